"""The per-city agreement PDF, read back as text like a person would read it."""

import csv
import datetime
import io
import re
import zipfile
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

import pytest
from pypdf import PdfReader

from convenant import formatting
from overeenkomsten import bundels, documenten, pdf
from overeenkomsten.bijlage import bijlage3
from overeenkomsten.models import OvereenkomstDocument, PdfBundel, Samenwerkingsovereenkomst

pytestmark = pytest.mark.django_db

# Every clause of the signed Deventer agreement (end of seed 001), in order,
# with the OCR slips corrected (é/ë, König, 7e, Bijlage 1, bullets).
DEVENTER = [
    "Samenwerkingsovereenkomst behorende bij het Convenant G40-Stedennetwerk en Platform31: "
    "Samenwerken aan Aantrekkelijke en Krachtige Steden, 2023 t/m 2027",
    "De stichting, Stichting Platform31, gevestigd aan het Koningin Julianaplein 10 (7e verdieping) "
    "te Den Haag, in deze rechtsgeldig vertegenwoordigd door haar directeur-bestuurder, de heer "
    "V. Everhardt, hierna te noemen: Platform31",
    "en",
    "De gemeente Deventer gevestigd aan Grote Kerkhof 1 in Deventer, in deze rechtsgeldig "
    "vertegenwoordigd door burgemeester R.C. König op basis van het collegebesluit van "
    "10 januari 2023, hierna te noemen: de gemeente",
    "gezamenlijk ook aangeduid als de partijen",
    "Overwegende dat:",
    "de stichting Platform31 en het G40-Stedennetwerk op 19 december 2022 een Convenant hebben "
    "gesloten waarmee zij een samenwerkingsverband zijn aangegaan voor de periode 1 maart 2023 "
    "t/m 31 december 2027;",
    "het G40-Stedennetwerk een samenwerkingsverband betreft tussen 41 gemeenten;",
    "het G40-Stedennetwerk geen rechtspersoonlijkheid heeft;",
    "in het Convenant tussen Platform31 en het G40-Stedennetwerk afspraken zijn gemaakt waarvan "
    "het wenselijk is dat deze afspraken door zowel Platform31 als de individuele gemeenten "
    "nagekomen worden.",
    "Partijen komen daarbij het navolgende overeen",
    "Artikel 1 Duur samenwerkingsovereenkomst",
    "1.1 De samenwerkingsovereenkomst vangt aan op 1 maart 2023 en loopt van rechtswege af op "
    "31 december 2027 zonder dat daarvoor enige opzegging vereist is.",
    "1.2 De uitvoeringsovereenkomst kan tussentijds beëindigd worden door beide partijen door "
    "middel van een schriftelijke kennisgeving van de ene partij aan de andere partij.",
    "1.3 De beëindiging dient voor 1 september van het lopende jaar tegen 1 januari van het "
    "komende kalenderjaar schriftelijk aan de andere partij gezonden te worden, waardoor een "
    "opzegtermijn van vier maanden in acht genomen wordt.",
    "Artikel 2 Inhoud samenwerking",
    "2.1 Platform31 biedt de gemeente een samenwerking die leidt tot hetgeen vermeld onder punt 2 "
    "in het Convenant alsmede in Bijlage 1 bij het Convenant.",
    "2.2 Naast de samenwerking zoals vermeld in het Convenant is het ook mogelijk dat Platform31 "
    "een aanvullende samenwerking aangaat met, en/of producten en diensten levert aan, de gemeente. "
    "Over het verrichten van eventuele aanvullende werkzaamheden zullen partijen nader overleg "
    "voeren en zullen de gemaakte afspraken in dit kader separaat worden vastgelegd.",
    "Artikel 3 Prijs",
    "3.1 De gemeente betaalt aan Platform31 een bedrag van € 0,15 ex BTW per inwoner per jaar. "
    "Gebaseerd op gegevens van het CBS met peildatum 1 januari 2022 is dit een totaalbedrag van "
    "€ 15.216,90 ex BTW per jaar.",
    "Artikel 4 Overige bepalingen",
    "4.1 Indien tussen partijen een geschil mocht ontstaan over de inhoud van onderhavige "
    "samenwerkingsovereenkomst treden partijen zo spoedig mogelijk met elkaar in overleg teneinde "
    "een passende oplossing te vinden.",
    "4.2 Indien het vinden van een passende oplossing niet lukt wijzen beide partijen een terzake "
    "kundige persoon aan. Deze beide deskundigen wijzen samen een onafhankelijke derde terzake "
    "kundige persoon aan. Deze Commissie van Wijzen voorziet partijen van een niet-bindend advies.",
    "4.3 Indien een van beide partijen zich niet kan vinden in het advies als bedoeld in artikel 4.2 "
    "van deze uitvoeringsovereenkomst zal deze partij het geschil kunnen voorleggen aan de in deze "
    "bevoegde Rechtbank.",
    "4.4 Op deze uitvoeringsovereenkomst is het Nederlands recht van toepassing.",
    "Aldus in tweevoud opgemaakt te Deventer op 10 januari 2023",
    "V. Everhardt R.C. König",
    "Directeur-Bestuurder stichting Platform31 burgemeester gemeente Deventer",
]


def tekst_van(data: bytes) -> str:
    """All text of a PDF on one line, page footers removed, whitespace collapsed."""
    reader = PdfReader(io.BytesIO(data))
    tekst = " ".join(page.extract_text() for page in reader.pages)
    tekst = re.sub(r"\S+ [^\n]*? pagina \d+ van \d+", " ", tekst)  # running footer
    tekst = tekst.replace("•", " ")
    return re.sub(r"\s+", " ", tekst).strip()


def assert_in_volgorde(tekst: str, clausules: list[str]):
    positie = 0
    for clausule in clausules:
        gevonden = tekst.find(clausule, positie)
        assert gevonden >= 0, f"Niet (op zijn plaats) gevonden: {clausule!r}\nna: {tekst[positie:positie + 300]!r}"
        positie = gevonden + len(clausule)


def overeenkomst(convenant: str, gemeente: str) -> Samenwerkingsovereenkomst:
    return Samenwerkingsovereenkomst.objects.select_related("gemeente", "convenant").get(
        convenant__slug=convenant, gemeente__naam=gemeente,
    )


def maak_compleet(ov, vertegenwoordiger="J. Jansen", functie="burgemeester", adres="Grote Markt 2"):
    ov.vertegenwoordiger = vertegenwoordiger
    ov.vertegenwoordiger_functie = functie
    ov.collegebesluit_op = datetime.date(2023, 2, 7)
    ov.save()
    ov.gemeente.adres = adres
    ov.gemeente.plaats = ov.gemeente.naam
    ov.gemeente.save()
    return ov


def cbs_2022(naam: str) -> int:
    with open(settings.BASE_DIR / "fixtures" / "g40_gemeenten.csv", encoding="utf-8") as f:
        for rij in csv.DictReader(f):
            if rij["naam"] == naam:
                return int(rij["inwoners_2022_01_01"])
    raise KeyError(naam)


def test_deventer_leest_als_de_getekende_overeenkomst(referentiedata):
    data = pdf.render_overeenkomst_pdf(overeenkomst("2023-2027", "Deventer"), definitief=True)
    tekst = tekst_van(data)
    assert_in_volgorde(tekst, DEVENTER)
    assert "CONCEPT" not in tekst
    assert len(PdfReader(io.BytesIO(data)).pages) == 2


def test_andere_gemeente_krijgt_eigen_gegevens_en_bedrag(referentiedata):
    ov = maak_compleet(overeenkomst("2023-2027", "Haarlem"), "J. Wienen", "burgemeester", "Grote Markt 2")
    bedrag = (Decimal("0.15") * cbs_2022("Haarlem")).quantize(Decimal("0.01"))
    tekst = tekst_van(pdf.render_overeenkomst_pdf(ov, definitief=True))
    assert_in_volgorde(tekst, [
        "De gemeente Haarlem gevestigd aan Grote Markt 2 in Haarlem, in deze rechtsgeldig "
        "vertegenwoordigd door burgemeester J. Wienen op basis van het collegebesluit van 7 februari 2023",
        "tussen 41 gemeenten",
        f"totaalbedrag van {formatting.euro(bedrag)} ex BTW per jaar",
        "burgemeester gemeente Haarlem",
    ])
    assert "Deventer" not in tekst and "15.216,90" not in tekst and "CONCEPT" not in tekst


def test_variant_2019_2022_met_eigen_waarden(referentiedata):
    ov = maak_compleet(overeenkomst("2019-2022", "Haarlem"))
    tekst = tekst_van(pdf.render_overeenkomst_pdf(ov, definitief=True))
    assert_in_volgorde(tekst, [
        "Uitvoeringsovereenkomst behorende bij het Convenant G40-Stedennetwerk en Platform31: "
        "Samenwerken aan Aantrekkelijke en Krachtige Steden, 2019 t/m 2022",
        "vertegenwoordigd door haar algemeen directeur, de heer H. Karakus",
        "op 27 september 2018 een Convenant hebben gesloten",
        "voor de periode 1 januari 2019 t/m 31 december 2022",
        "tussen 40 gemeenten",
        "Artikel 1 Duur uitvoeringsovereenkomst",
        "1.1 De uitvoeringsovereenkomst vangt aan op 1 januari 2019 en loopt van rechtswege af op 31 december 2022",
        "€ 0,13 ex BTW per inwoner per jaar",
        "peildatum 1 januari 2018 is dit een totaalbedrag van € 20.762,17 ex BTW per jaar",
        "Algemeen directeur stichting Platform31",
    ])


def test_onvolledige_overeenkomst_is_concept_met_lege_plekken(referentiedata):
    ov = overeenkomst("2023-2027", "Haarlem")
    tekst = tekst_van(pdf.render_overeenkomst_pdf(ov))
    assert tekst.startswith("CONCEPT") or "CONCEPT – nog niet volledig" in tekst
    assert "[vertegenwoordiger]" in tekst and "[datum collegebesluit]" in tekst and "[adres]" in tekst


def test_definitief_van_onvolledige_noemt_elk_ontbrekend_veld(referentiedata):
    ov = overeenkomst("2023-2027", "Haarlem")
    with pytest.raises(pdf.OntbrekendeGegevens) as fout:
        pdf.render_overeenkomst_pdf(ov, definitief=True)
    melding = fout.value.messages[0]
    for veld in ["vertegenwoordiger", "functie vertegenwoordiger", "datum collegebesluit",
                 "adres van de gemeente Haarlem", "vestigingsplaats van de gemeente Haarlem"]:
        assert veld in melding
    ov.vertegenwoordiger = "J. Wienen"
    ov.save()
    with pytest.raises(pdf.OntbrekendeGegevens) as fout:
        pdf.render_overeenkomst_pdf(ov, definitief=True)
    assert fout.value.velden[0] == "functie vertegenwoordiger"


def test_pdf_view_en_melding_bij_definitief(referentiedata, beheerder_client):
    deventer = overeenkomst("2023-2027", "Deventer")
    response = beheerder_client.get(reverse("overeenkomsten:pdf", args=[deventer.pk]) + "?versie=definitief")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "samenwerkingsovereenkomst-2023-2027-deventer.pdf" in response["Content-Disposition"]

    haarlem = overeenkomst("2023-2027", "Haarlem")
    response = beheerder_client.get(
        reverse("overeenkomsten:pdf", args=[haarlem.pk]) + "?versie=definitief", follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("overeenkomsten:voorbeeld", args=[haarlem.pk])
    inhoud = response.content.decode()
    assert "De definitieve overeenkomst voor Haarlem kan nog niet worden gemaakt" in inhoud
    assert "datum collegebesluit" in inhoud


def test_pdf_alleen_voor_ingelogde_gebruiker_met_recht(referentiedata, client, django_user_model):
    deventer = overeenkomst("2023-2027", "Deventer")
    url = reverse("overeenkomsten:pdf", args=[deventer.pk])
    assert client.get(url).status_code == 302
    client.force_login(django_user_model.objects.create_user("zonderrecht", password="x-123-y", is_staff=True))
    assert client.get(url).status_code == 404


def test_admin_toont_pdf_link_en_zip_actie(referentiedata, beheerder_client):
    changelist = reverse("admin:overeenkomsten_samenwerkingsovereenkomst_changelist")
    deventer = overeenkomst("2023-2027", "Deventer")
    response = beheerder_client.get(f"{changelist}?convenant__id__exact={deventer.convenant_id}")
    assert reverse("overeenkomsten:pdf", args=[deventer.pk]) in response.content.decode()

    gekozen = [overeenkomst("2023-2027", naam) for naam in ["Deventer", "Haarlem", "Zwolle"]]
    response = beheerder_client.post(changelist, {
        "action": "download_zip", "_selected_action": [ov.pk for ov in gekozen],
    })
    # The ZIP is made in the background (tests/test_pdf_bundel.py runs a real worker); here the
    # task's work is done inline and the download checked.
    bundel = PdfBundel.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("overeenkomsten:bundel", args=[bundel.pk])
    assert sorted(bundel.overeenkomsten) == sorted(ov.pk for ov in gekozen)
    bundels.maak_bundel(str(bundel.pk))
    response = beheerder_client.get(reverse("overeenkomsten:bundel_zip", args=[bundel.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archief = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    assert sorted(archief.namelist()) == [
        "samenwerkingsovereenkomst-2023-2027-deventer.pdf",
        "samenwerkingsovereenkomst-2023-2027-haarlem.pdf",
        "samenwerkingsovereenkomst-2023-2027-zwolle.pdf",
    ]
    for naam in archief.namelist():
        tekst = tekst_van(archief.read(naam))
        gemeente = naam.rsplit("-", 1)[-1].removesuffix(".pdf").capitalize()
        assert f"De gemeente {gemeente} gevestigd" in tekst


def test_voorbeeldpagina(referentiedata, beheerder_client):
    haarlem = overeenkomst("2023-2027", "Haarlem")
    response = beheerder_client.get(reverse("overeenkomsten:voorbeeld", args=[haarlem.pk]))
    inhoud = response.content.decode()
    assert response.status_code == 200
    assert "concept" in inhoud and reverse("overeenkomsten:pdf", args=[haarlem.pk]) in inhoud
    assert formatting.euro(haarlem.bedrag_per_jaar) in inhoud and "." in formatting.euro(haarlem.bedrag_per_jaar)


def teken(ov, datum=datetime.date(2023, 2, 20)):
    # A signed agreement as historic data; save() refuses status changes outside the workflow.
    Samenwerkingsovereenkomst.objects.filter(pk=ov.pk).update(
        status="ondertekend", ondertekend_op=datum, ontvangen_op=datum,
    )


def test_bijlage3_lijst_precies_de_getekende_met_totaal(referentiedata, beheerder_client):
    for naam in ["Haarlem", "Zwolle"]:
        teken(maak_compleet(overeenkomst("2023-2027", naam)))
    b = bijlage3(overeenkomst("2023-2027", "Deventer").convenant)
    assert [ov.gemeente.naam for ov in b.rijen] == ["Deventer", "Haarlem", "Zwolle"]
    verwacht = sum(
        (Decimal("0.15") * cbs_2022(n)).quantize(Decimal("0.01")) for n in ["Deventer", "Haarlem", "Zwolle"]
    )
    assert b.totaal_bedrag == verwacht
    assert b.totaal_inwoners == sum(cbs_2022(n) for n in ["Deventer", "Haarlem", "Zwolle"])

    response = beheerder_client.get(reverse("overeenkomsten:bijlage3_pdf", args=["2023-2027"]))
    tekst = tekst_van(response.content)
    assert "Deelnemende steden" in tekst
    assert_in_volgorde(tekst, [
        "Deventer 10 januari 2023 101.446 € 15.216,90", "Haarlem 20 februari 2023", "Zwolle",
        f"Totaal (3 gemeenten) {formatting.aantal(b.totaal_inwoners)} {formatting.euro(verwacht)}",
    ])
    assert "Almere" not in tekst and "Amsterdam" not in tekst

    pagina = beheerder_client.get(reverse("overeenkomsten:bijlage3", args=["2023-2027"])).content.decode()
    assert "3 van 41 overeenkomsten ondertekend" in pagina and formatting.euro(verwacht) in pagina


def test_verzonden_pdf_wordt_bewaard_met_sha256(referentiedata, beheerder):
    ov = overeenkomst("2023-2027", "Deventer")
    doc = documenten.bewaar_verzonden_pdf(ov, beheerder)
    data = doc.bestand.open("rb").read()
    assert data.startswith(b"%PDF") and doc.grootte == len(data)
    assert doc.sha256 == documenten.sha256(data)
    assert "€ 15.216,90" in tekst_van(data) and doc.aangemaakt_door == beheerder


def test_concept_wordt_niet_verzonden(referentiedata):
    with pytest.raises(pdf.OntbrekendeGegevens):
        documenten.bewaar_verzonden_pdf(overeenkomst("2023-2027", "Haarlem"))
    assert not OvereenkomstDocument.objects.exists()


def test_getekende_scan_wordt_op_inhoud_gecontroleerd(referentiedata, settings):
    ov = overeenkomst("2023-2027", "Deventer")
    echte_pdf = pdf.render_overeenkomst_pdf(ov)
    doc = documenten.bewaar_getekende_scan(ov, SimpleUploadedFile("scan.pdf", echte_pdf))
    assert doc.soort == "getekend" and doc.sha256 == documenten.sha256(echte_pdf)

    with pytest.raises(ValidationError, match="geen PDF"):
        documenten.bewaar_getekende_scan(ov, SimpleUploadedFile("scan.pdf", b"\x89PNG\r\n\x1a\n nep"))
    with pytest.raises(ValidationError, match="onvolledig"):
        documenten.bewaar_getekende_scan(ov, SimpleUploadedFile("scan.pdf", echte_pdf[:2000]))
    settings.MAX_SCAN_BYTES = 1000
    with pytest.raises(ValidationError, match="maximum"):
        documenten.bewaar_getekende_scan(ov, SimpleUploadedFile("scan.pdf", echte_pdf))
    assert OvereenkomstDocument.objects.count() == 1


def test_document_alleen_met_recht(referentiedata, beheerder, client, django_user_model):
    doc = documenten.bewaar_verzonden_pdf(overeenkomst("2023-2027", "Deventer"), beheerder)
    url = reverse("overeenkomsten:document", args=[doc.pk])
    assert client.get(url).status_code == 302
    client.force_login(django_user_model.objects.create_user("zonder", password="x-123-y", is_staff=True))
    assert client.get(url).status_code == 403
    client.force_login(beheerder)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")


class TestCommando:
    def test_een_gemeente(self, referentiedata, tmp_path):
        uit = io.StringIO()
        call_command("genereer_overeenkomsten", "--convenant", "2023-2027", "--gemeente", "Deventer",
                     "--out", str(tmp_path / "pdf"), stdout=uit)
        bestanden = list((tmp_path / "pdf").iterdir())
        assert [b.name for b in bestanden] == ["samenwerkingsovereenkomst-2023-2027-deventer.pdf"]
        assert_in_volgorde(tekst_van(bestanden[0].read_bytes()), DEVENTER)
        assert "1 definitief, 0 concept" in uit.getvalue()

    def test_alle_41_parallel(self, referentiedata, tmp_path):
        uit = io.StringIO()
        call_command("genereer_overeenkomsten", "--convenant", "2023-2027", "--out", str(tmp_path),
                     "--processen", "2", stdout=uit)
        namen = sorted(b.name for b in tmp_path.glob("*.pdf"))
        slugs = Samenwerkingsovereenkomst.objects.filter(convenant__slug="2023-2027").values_list(
            "gemeente__slug", flat=True)
        assert namen == sorted(f"samenwerkingsovereenkomst-2023-2027-{s}.pdf" for s in slugs)
        assert len(namen) == 41
        assert "41/41 (100%)" in uit.getvalue()
        zwolle = tmp_path / "samenwerkingsovereenkomst-2023-2027-zwolle.pdf"
        assert "De gemeente Zwolle" in tekst_van(zwolle.read_bytes())

    @pytest.mark.parametrize("argumenten, melding", [
        (["--convenant", "2030-2034"], "Onbekend convenant ‘2030-2034’"),
        (["--convenant", "2023-2027", "--gemeente", "Deventer", "Atlantis"], "Atlantis"),
        (["--convenant", "2019-2022", "--gemeente", "Amstelveen"], "Amstelveen"),
        (["--convenant", "2023-2027", "--definitief"], "datum collegebesluit"),
    ])
    def test_fouten_schrijven_niets(self, referentiedata, tmp_path, argumenten, melding):
        doel = tmp_path / "uit"
        with pytest.raises(CommandError, match=melding):
            call_command("genereer_overeenkomsten", *argumenten, "--out", str(doel))
        assert not doel.exists()

    def test_fout_geeft_exitcode(self, referentiedata, tmp_path):
        from django.core.management import execute_from_command_line

        with pytest.raises(SystemExit) as einde:
            execute_from_command_line([
                "manage.py", "genereer_overeenkomsten", "--convenant", "bestaat-niet", "--out", str(tmp_path / "x"),
            ])
        assert einde.value.code != 0
        assert not (tmp_path / "x").exists()


@pytest.mark.skipif(not pdf.eerste_pagina_png_mogelijk(), reason="pdftoppm (poppler-utils) ontbreekt")
def test_voorbeeld_toont_eerste_pagina_als_afbeelding(referentiedata, beheerder_client):
    deventer = overeenkomst("2023-2027", "Deventer")
    pagina = beheerder_client.get(reverse("overeenkomsten:voorbeeld", args=[deventer.pk])).content.decode()
    assert reverse("overeenkomsten:voorbeeld_png", args=[deventer.pk]) in pagina
    assert "G40-convenantadministratie" in pagina  # the admin's header, not Django's default
    response = beheerder_client.get(reverse("overeenkomsten:voorbeeld_png", args=[deventer.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG\r\n\x1a\n")
    breedte, hoogte = int.from_bytes(response.content[16:20], "big"), int.from_bytes(response.content[20:24], "big")
    assert 1.35 < hoogte / breedte < 1.45  # an A4 page
