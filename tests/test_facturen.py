"""Invoices: the year's invoices, the gapless numbers, sending, payment, crediting, the guards."""

import datetime
import io
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction

import pytest

from convenant.models import Convenant, Organisatie
from facturen import services
from facturen.constants import FactuurSoort, FactuurStatus, RegelSoort
from facturen.models import BtwTarief, Factuur, Factuurgegevens, Factuurregel, Nummerreeks
from overeenkomsten.constants import Status
from overeenkomsten.models import Samenwerkingsovereenkomst

pytestmark = pytest.mark.django_db
D = datetime.date


def commando(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def teken_alle(slug="2023-2027"):
    """Every agreement of the convenant signed (a historic state, written directly as other tests do)."""
    Samenwerkingsovereenkomst.objects.filter(convenant__slug=slug).update(
        status=Status.ONDERTEKEND, ondertekend_op=D(2023, 1, 20), ontvangen_op=D(2023, 2, 1))


def vul_platform31():
    Organisatie.objects.filter(naam="Platform31").update(
        btw_id="NL001234567B01", kvk_nummer="12345678", iban="NL91ABNA0417164300", postcode="2595 AA")


@pytest.fixture
def convenant(referentiedata):
    return Convenant.objects.get(slug="2023-2027")


@pytest.fixture
def getekend(convenant):
    teken_alle()
    return convenant


@pytest.fixture
def compleet(getekend):
    vul_platform31()
    return getekend


def test_btw_tarief_uit_de_migratie():
    assert BtwTarief.op(D(2024, 1, 15)).percentage == Decimal("21.00")
    with pytest.raises(ValidationError, match="geen btw-tarief"):
        BtwTarief.op(D(2010, 1, 1))


def test_2024_41_facturen_na_een_commando_en_nog_steeds_41_na_een_tweede(getekend):
    uit = commando("factureer", "--convenant", "2023-2027", "--jaar", "2024", "--factuurdatum", "2024-01-15")
    assert "41 facturen gemaakt" in uit
    assert Factuur.objects.filter(jaar=2024).count() == 41
    uit = commando("factureer", "--convenant", "2023-2027", "--jaar", "2024", "--factuurdatum", "2024-01-15")
    assert "0 facturen gemaakt" in uit and "41 bestonden al" in uit
    assert Factuur.objects.filter(jaar=2024).count() == 41
    nummers = sorted(Factuur.objects.values_list("nummer", flat=True))
    assert nummers == [f"2024-{i:04d}" for i in range(1, 42)]  # gapless, from 0001
    deventer = Factuur.objects.get(gemeente__naam="Deventer")
    assert deventer.bedrag_excl_btw == Decimal("15216.90")
    assert deventer.btw_bedrag == Decimal("3195.55")    # 21 % of 15.216,90 = 3.195,549 → half up
    assert deventer.bedrag_incl_btw == Decimal("18412.45")
    assert deventer.vervaldatum == D(2024, 2, 14)       # 30 days
    assert deventer.status == FactuurStatus.CONCEPT
    # The total equals the invoice list of the same year (the agreements' own amounts).
    totaal = sum(f.bedrag_excl_btw for f in Factuur.objects.filter(jaar=2024))
    assert totaal == sum(Samenwerkingsovereenkomst.objects.filter(convenant__slug="2023-2027")
                         .values_list("bedrag_per_jaar", flat=True))


def test_dry_run_geeft_geen_nummer_uit_en_slaat_niets_op(getekend):
    uit = commando("factureer", "--convenant", "2023-2027", "--jaar", "2024", "--dry-run")
    assert "Proefrun" in uit and "41 facturen zou maken" in uit
    assert not Factuur.objects.exists()
    assert not Nummerreeks.objects.exists()


def test_alleen_getekende_overeenkomsten_die_in_het_jaar_lopen(convenant):
    # Today's fixture: only Deventer signed.
    r = services.factureer(convenant, 2024, factuurdatum=D(2024, 1, 10))
    assert [f.gemeente.naam for f in r.nieuw] == ["Deventer"]
    assert len(r.overgeslagen) == 40 and {reden for _, reden in r.overgeslagen} == {"nog niet getekend"}
    # Terminated before 1 September 2024: runs in 2024, not in 2025 (uses the agreement's own einddatum).
    teken_alle()
    Samenwerkingsovereenkomst.objects.filter(convenant=convenant, gemeente__naam="Zwolle").update(
        status=Status.OPGEZEGD, opzegging_verzonden_op=D(2024, 8, 31))
    r = services.factureer(convenant, 2025, factuurdatum=D(2025, 1, 10))
    assert "Zwolle" not in [f.gemeente.naam for f in r.nieuw]
    assert any(ov.gemeente.naam == "Zwolle" and "loopt niet in 2025" in reden for ov, reden in r.overgeslagen)
    assert len(r.nieuw) == 40


def test_eerste_jaar_2023_volledig_en_jaar_buiten_looptijd_geweigerd(getekend):
    r = services.factureer(getekend, 2023, factuurdatum=D(2023, 3, 1))
    deventer = next(f for f in r.nieuw if f.gemeente.naam == "Deventer")
    assert deventer.bedrag_excl_btw == Decimal("15216.90")   # the full year, see the README
    with pytest.raises(CommandError, match="2022 valt buiten de looptijd"):
        commando("factureer", "--convenant", "2023-2027", "--jaar", "2022")


def test_nummers_per_jaar_van_de_factuurdatum(getekend):
    services.factureer(getekend, 2024, factuurdatum=D(2024, 1, 10))
    r = services.factureer(getekend, 2025, factuurdatum=D(2025, 1, 10))
    assert r.nieuw[0].nummer == "2025-0001"
    assert Nummerreeks.objects.get(jaar=2024).laatste == 41


def test_mislukte_transactie_laat_geen_gat(convenant):
    services.factureer(convenant, 2024, factuurdatum=D(2024, 1, 10))  # 2024-0001
    with pytest.raises(RuntimeError), transaction.atomic():
        services.volgend_nummer(2024)
        raise RuntimeError("halverwege mis")
    teken_alle()
    r = services.factureer(convenant, 2025, factuurdatum=D(2024, 12, 20))
    assert r.nieuw[0].nummer == "2024-0002"


def test_een_jaarfactuur_per_overeenkomst_in_de_database(convenant):
    f = services.factureer(convenant, 2024, factuurdatum=D(2024, 1, 10)).nieuw[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Factuur.objects.create(nummer="2024-9999", convenant=convenant, jaar=2024, gemeente=f.gemeente,
                               overeenkomst=f.overeenkomst, omschrijving="dubbel", factuurdatum=D(2024, 1, 10),
                               vervaldatum=D(2024, 2, 9), btw_percentage=Decimal("21"))


def test_concept_kan_niet_verzonden_met_elk_ontbrekend_veld(convenant):
    f = services.factureer(convenant, 2024, factuurdatum=D(2024, 1, 10)).nieuw[0]
    with pytest.raises(services.OntbrekendeFactuurgegevens) as fout:
        services.verzend(f, D(2024, 1, 11))
    tekst = fout.value.messages[0]
    for veld in ("btw-identificatienummer van Platform31", "KvK-nummer van Platform31", "IBAN van Platform31"):
        assert veld in tekst
    f.refresh_from_db()
    assert f.status == FactuurStatus.CONCEPT
    # Without the municipality's address as well:
    f.gemeente.adres = ""
    f.gemeente.save()
    vul_platform31()
    with pytest.raises(services.OntbrekendeFactuurgegevens, match="factuuradres van de gemeente Deventer"):
        services.verzend(f, D(2024, 1, 11))


def deventer(resultaat) -> Factuur:
    return next(f for f in resultaat.nieuw if f.gemeente.naam == "Deventer")


def test_verzenden_betalen_en_daarna_niets_meer_wijzigen(compleet):
    f = deventer(services.factureer(compleet, 2024, factuurdatum=D(2024, 1, 10)))
    Factuurgegevens.objects.create(gemeente=f.gemeente, factuuradres="Postbus 5000", postcode="7400 GC",
                                   inkoopordernummer="IO-2024-17", peppol_id="00000001001234567000")
    f.refresh_from_db()
    f = services.verzend(f, D(2024, 1, 12))
    assert (f.status, f.verzonden_op) == (FactuurStatus.VERZONDEN, D(2024, 1, 12))
    assert (f.debiteur_adres, f.inkoopordernummer, f.leverancier_iban) == (
        "Postbus 5000", "IO-2024-17", "NL91ABNA0417164300")
    # Frozen: a later change of Platform31's data does not reach the sent invoice.
    Organisatie.objects.filter(naam="Platform31").update(iban="NL02RABO0123456789")
    f.refresh_from_db()
    assert f.leverancier_iban == "NL91ABNA0417164300"
    f.omschrijving = "iets anders"
    with pytest.raises(ValidationError, match="kan niet meer worden gewijzigd"):
        f.save()
    regel = Factuurregel.objects.get(factuur=f)
    regel.prijs = Decimal("0.20")
    with pytest.raises(ValidationError, match="regels liggen vast"):
        regel.save()
    with pytest.raises(ValidationError, match="regels liggen vast"):
        regel.delete()
    with pytest.raises(ValidationError, match="niet worden verwijderd"):
        f.delete()
    f.refresh_from_db()
    with pytest.raises(ValidationError, match="vóór de factuurdatum"):
        services.registreer_betaling(f, D(2023, 12, 1))
    f = services.registreer_betaling(f, D(2024, 2, 1))
    assert (f.status, f.betaald_op) == (FactuurStatus.BETAALD, D(2024, 2, 1))
    with pytest.raises(ValidationError, match="Alleen een verzonden factuur"):
        services.registreer_betaling(f, D(2024, 2, 2))


def test_crediteren_maakt_creditnota_en_nieuwe_concept_factuur(compleet):
    f = deventer(services.factureer(compleet, 2024, factuurdatum=D(2024, 1, 10)))
    with pytest.raises(ValidationError, match="nog een concept"):
        services.crediteer(f)
    f = services.verzend(f, D(2024, 1, 12))
    credit, nieuw = services.crediteer(f, D(2024, 3, 1))
    assert credit.soort == FactuurSoort.CREDITNOTA and credit.crediteert == f
    assert credit.bedrag_incl_btw == f.bedrag_incl_btw and credit.teken == -1
    assert nieuw.soort == FactuurSoort.HERZIEN and nieuw.vervangt == f and nieuw.is_concept
    assert [credit.nummer, nieuw.nummer] == ["2024-0042", "2024-0043"]
    assert f.is_gecrediteerd
    with pytest.raises(ValidationError, match="al gecrediteerd"):
        services.crediteer(f)
    with pytest.raises(ValidationError, match="zelf een creditnota"):
        services.crediteer(credit)
    # The new concept can be corrected: its lines are not frozen.
    regel = nieuw.regels.get()
    regel.aantal = Decimal("100000")
    regel.save()
    assert nieuw.bedrag_excl_btw == Decimal("15000.00")


def test_betaaltermijn_instelbaar(convenant, settings):
    settings.FACTUUR_BETAALTERMIJN_DAGEN = 14
    f = services.factureer(convenant, 2024, factuurdatum=D(2024, 1, 10)).nieuw[0]
    assert f.vervaldatum == D(2024, 1, 24)


def test_standaard_factuurdatum_nooit_voor_het_jaar():
    assert services.standaard_factuurdatum(2027, vandaag=D(2026, 12, 1)) == D(2027, 1, 1)
    assert services.standaard_factuurdatum(2027, vandaag=D(2027, 2, 3)) == D(2027, 2, 3)


def test_creditnota_zonder_verwijzing_geweigerd_door_database(convenant):
    f = services.factureer(convenant, 2024, factuurdatum=D(2024, 1, 10)).nieuw[0]
    with pytest.raises(IntegrityError), transaction.atomic():
        Factuur.objects.create(nummer="2024-0500", soort=FactuurSoort.CREDITNOTA, convenant=convenant, jaar=2024,
                               gemeente=f.gemeente, omschrijving="x", factuurdatum=D(2024, 1, 10),
                               vervaldatum=D(2024, 2, 9), btw_percentage=Decimal("21"))


def test_aftrekregel_heeft_negatief_aantal_niet_negatieve_prijs(convenant):
    f = services.factureer(convenant, 2024, factuurdatum=D(2024, 1, 10)).nieuw[0]
    Factuurregel.objects.create(factuur=f, soort=RegelSoort.VERREKENING, omschrijving="aftrek",
                                aantal=Decimal("-1"), prijs=Decimal("216.90"))
    assert f.bedrag_excl_btw == Decimal("15000.00") and f.verrekening == Decimal("-216.90")
    with pytest.raises(IntegrityError), transaction.atomic():
        Factuurregel.objects.create(factuur=f, omschrijving="fout", aantal=1, prijs=Decimal("-1"))


def test_gegevens_van_platform31_worden_gecontroleerd(referentiedata):
    p31 = Organisatie.objects.get(naam="Platform31")
    p31.btw_id, p31.kvk_nummer, p31.iban = "NL001234567B99", "1234", "NL91ABNA0417164301"
    with pytest.raises(ValidationError) as fout:
        p31.full_clean()
    assert set(fout.value.message_dict) == {"btw_id", "kvk_nummer", "iban"}
    p31.btw_id, p31.kvk_nummer, p31.iban = "nl000099998b57", "12345678", "NL91 ABNA 0417 1643 00"
    p31.full_clean()
    assert (p31.btw_id, p31.iban) == ("NL000099998B57", "NL91ABNA0417164300")
