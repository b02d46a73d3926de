"""Invoices to the municipalities: the yearly contribution, extra contributions, credit notes.

An invoice gets its number when it is created (one gapless series per year of
the invoice date, ``2027-0001``; :func:`facturen.nummering.volgend_nummer`) and
is never deleted. While it is a concept it follows the data: every save copies
the supplier's and the debtor's details from Platform31 (``convenant.Organisatie``)
and the municipality (``Gemeente`` + :class:`Factuurgegevens`). Once sent it is
frozen: nothing but the payment can be recorded; a correction is a credit note
that refers to it plus a new invoice.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from convenant import formatting, rules
from convenant.models import Convenant, Organisatie
from gemeenten.models import Gemeente
from overeenkomsten.models import Samenwerkingsovereenkomst

from .constants import CREDITNOTAS, FactuurSoort, FactuurStatus, Peppolschema, RegelSoort, Uitgangspunt

NUL = Decimal("0.00")


class BtwTarief(models.Model):
    """A BTW rate with the period it applies to (the standard rate is 21 % since 1 October 2012)."""

    omschrijving = models.CharField("omschrijving", max_length=100, help_text="Bijv. ‘algemeen tarief’.")
    percentage = models.DecimalField(
        "percentage", max_digits=5, decimal_places=2,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))],
    )
    geldig_van = models.DateField("geldig vanaf")
    geldig_tot = models.DateField("geldig tot en met", null=True, blank=True, help_text="Leeg: nog steeds geldig.")

    class Meta:
        verbose_name = "btw-tarief"
        verbose_name_plural = "btw-tarieven"
        ordering = ["-geldig_van"]
        constraints = [
            models.UniqueConstraint(fields=["geldig_van"], name="btwtarief_uniek_begin",
                                    violation_error_message="Er begint al een btw-tarief op deze datum."),
            models.CheckConstraint(condition=Q(geldig_tot__isnull=True) | Q(geldig_tot__gte=models.F("geldig_van")),
                                   name="btwtarief_einde_na_begin",
                                   violation_error_message="‘Geldig tot’ ligt vóór ‘geldig vanaf’."),
        ]

    def __str__(self):
        return f"{self.omschrijving} {formatting.euro(self.percentage, symbool=False)} %"

    @classmethod
    def op(cls, datum: datetime.date) -> "BtwTarief":
        tarief = (cls.objects.filter(geldig_van__lte=datum)
                  .filter(Q(geldig_tot__isnull=True) | Q(geldig_tot__gte=datum)).order_by("-geldig_van").first())
        if tarief is None:
            raise ValidationError(f"Er is geen btw-tarief vastgelegd dat geldt op {formatting.datum(datum)}.")
        return tarief


class Factuurgegevens(models.Model):
    """How a municipality wants to be invoiced: its invoice address, reference and Peppol identifier."""

    gemeente = models.OneToOneField(Gemeente, verbose_name="gemeente", on_delete=models.CASCADE,
                                    related_name="factuurgegevens")
    factuuradres = models.CharField("factuuradres", max_length=200, blank=True,
                                    help_text="Leeg: het adres van het stadhuis. Bijv. ‘Postbus 5000’.")
    postcode = models.CharField("postcode", max_length=10, blank=True)
    plaats = models.CharField("plaats", max_length=100, blank=True, help_text="Leeg: de vestigingsplaats.")
    t_a_v = models.CharField("ter attentie van", max_length=200, blank=True)
    referentie = models.CharField(
        "referentie van de gemeente", max_length=100, blank=True,
        help_text="Het kenmerk dat de gemeente op haar facturen wil zien (EN 16931: buyer reference).",
    )
    inkoopordernummer = models.CharField("inkoopordernummer", max_length=100, blank=True)
    peppol_id = models.CharField("Peppol-identificatie", max_length=50, blank=True,
                                 help_text="OIN (20 cijfers) of KvK-nummer waarop de gemeente e-facturen ontvangt.")
    peppol_schema = models.CharField("soort identificatie", max_length=4, choices=Peppolschema.choices,
                                     default=Peppolschema.OIN)

    class Meta:
        verbose_name = "factuurgegevens gemeente"
        verbose_name_plural = "factuurgegevens gemeenten"
        ordering = ["gemeente__naam"]

    def __str__(self):
        return f"Factuurgegevens {self.gemeente}"

    def clean(self):
        if self.peppol_id and self.peppol_schema == Peppolschema.OIN and not (
                self.peppol_id.isdigit() and len(self.peppol_id) == 20):
            raise ValidationError({"peppol_id": "Een OIN bestaat uit twintig cijfers."})
        if self.peppol_id and self.peppol_schema == Peppolschema.KVK and not (
                self.peppol_id.isdigit() and len(self.peppol_id) == 8):
            raise ValidationError({"peppol_id": "Een KvK-nummer bestaat uit acht cijfers."})


class Nummerreeks(models.Model):
    """The last number given in a year; read and raised under a row lock (gapless)."""

    jaar = models.PositiveSmallIntegerField("jaar", unique=True)
    laatste = models.PositiveIntegerField("laatst uitgegeven volgnummer", default=0)

    class Meta:
        verbose_name = "nummerreeks"
        verbose_name_plural = "nummerreeksen"
        ordering = ["jaar"]

    def __str__(self):
        return f"{self.jaar}: {self.laatste}"


# Snapshot fields: copied from the sources while the invoice is a concept.
LEVERANCIER_VELDEN = {
    "leverancier_naam": "naam van Platform31",
    "leverancier_adres": "adres van Platform31",
    "leverancier_plaats": "vestigingsplaats van Platform31",
    "leverancier_btw_id": "btw-identificatienummer van Platform31",
    "leverancier_kvk": "KvK-nummer van Platform31",
    "leverancier_iban": "IBAN van Platform31",
}
DEBITEUR_VERPLICHT = {
    "debiteur_adres": "factuuradres van de gemeente {gemeente}",
    "debiteur_plaats": "plaats van het factuuradres van de gemeente {gemeente}",
}
# What may still change once an invoice is sent (recording the payment).
NA_VERZENDING_WIJZIGBAAR = {"status", "betaald_op"}


class Factuur(models.Model):
    nummer = models.CharField("factuurnummer", max_length=20, unique=True, editable=False)
    soort = models.CharField("soort", max_length=30, choices=FactuurSoort.choices, default=FactuurSoort.JAARBIJDRAGE)
    status = models.CharField("status", max_length=20, choices=FactuurStatus.choices,
                              default=FactuurStatus.CONCEPT, db_index=True, editable=False)
    convenant = models.ForeignKey(Convenant, verbose_name="convenant", on_delete=models.PROTECT,
                                  related_name="facturen")
    jaar = models.PositiveSmallIntegerField("convenantjaar", help_text="Het jaar waarover gefactureerd wordt.")
    gemeente = models.ForeignKey(Gemeente, verbose_name="gemeente", on_delete=models.PROTECT, related_name="facturen")
    overeenkomst = models.ForeignKey(Samenwerkingsovereenkomst, verbose_name="overeenkomst", null=True, blank=True,
                                     on_delete=models.PROTECT, related_name="facturen")
    extra_bijdrage = models.ForeignKey("ExtraBijdrage", verbose_name="extra bijdrage", null=True, blank=True,
                                       on_delete=models.PROTECT, related_name="facturen")
    crediteert = models.ForeignKey("self", verbose_name="crediteert factuur", null=True, blank=True,
                                   on_delete=models.PROTECT, related_name="creditnotas",
                                   help_text="Bij een creditnota: de factuur die zij (deels) crediteert.")
    vervangt = models.ForeignKey("self", verbose_name="vervangt factuur", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="vervangen_door",
                                 help_text="Bij een herziene factuur: de gecrediteerde factuur die zij vervangt.")
    omschrijving = models.CharField("omschrijving", max_length=300)
    factuurdatum = models.DateField("factuurdatum")
    vervaldatum = models.DateField("vervaldatum")
    btw_percentage = models.DecimalField("btw-percentage", max_digits=5, decimal_places=2)
    verzonden_op = models.DateField("verzonden op", null=True, blank=True, editable=False)
    betaald_op = models.DateField("betaald op", null=True, blank=True, editable=False)

    referentie = models.CharField("referentie van de gemeente", max_length=100, blank=True)
    inkoopordernummer = models.CharField("inkoopordernummer", max_length=100, blank=True)

    # Snapshot of the parties (filled in while a concept, frozen once sent).
    leverancier_naam = models.CharField("leverancier", max_length=200, blank=True, editable=False)
    leverancier_adres = models.CharField("adres leverancier", max_length=200, blank=True, editable=False)
    leverancier_postcode = models.CharField("postcode leverancier", max_length=10, blank=True, editable=False)
    leverancier_plaats = models.CharField("plaats leverancier", max_length=100, blank=True, editable=False)
    leverancier_btw_id = models.CharField("btw-id leverancier", max_length=20, blank=True, editable=False)
    leverancier_kvk = models.CharField("KvK-nummer leverancier", max_length=8, blank=True, editable=False)
    leverancier_iban = models.CharField("IBAN leverancier", max_length=34, blank=True, editable=False)
    debiteur_naam = models.CharField("debiteur", max_length=200, blank=True, editable=False)
    debiteur_tav = models.CharField("ter attentie van", max_length=200, blank=True, editable=False)
    debiteur_adres = models.CharField("factuuradres", max_length=200, blank=True, editable=False)
    debiteur_postcode = models.CharField("postcode", max_length=10, blank=True, editable=False)
    debiteur_plaats = models.CharField("plaats", max_length=100, blank=True, editable=False)
    debiteur_peppol_id = models.CharField("Peppol-identificatie", max_length=50, blank=True, editable=False)
    debiteur_peppol_schema = models.CharField("soort identificatie", max_length=4, blank=True, editable=False)

    aangemaakt_op = models.DateTimeField("aangemaakt op", auto_now_add=True)

    class Meta:
        verbose_name = "factuur"
        verbose_name_plural = "facturen"
        ordering = ["-jaar", "nummer"]
        permissions = [
            ("verzend_factuur", "Mag facturen als verzonden vastleggen"),
            ("registreer_betaling", "Mag betalingen van facturen vastleggen"),
            ("crediteer_factuur", "Mag facturen crediteren en overschotten verrekenen"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["overeenkomst", "jaar", "soort"], condition=Q(soort="jaarbijdrage"),
                name="factuur_een_jaarbijdrage_per_overeenkomst_per_jaar",
                violation_error_message="Voor deze overeenkomst is over dit jaar al een factuur gemaakt.",
            ),
            models.UniqueConstraint(
                fields=["extra_bijdrage", "gemeente"], condition=Q(soort="extra_bijdrage"),
                name="factuur_een_extra_bijdrage_per_gemeente",
                violation_error_message="Deze gemeente heeft voor deze extra bijdrage al een factuur.",
            ),
            models.CheckConstraint(
                condition=~Q(soort__in=list(CREDITNOTAS)) | Q(crediteert__isnull=False),
                name="factuur_creditnota_verwijst", violation_error_message="Een creditnota verwijst naar een factuur.",
            ),
            models.CheckConstraint(
                condition=Q(vervaldatum__gte=models.F("factuurdatum")), name="factuur_vervaldatum_na_factuurdatum",
                violation_error_message="De vervaldatum ligt vóór de factuurdatum.",
            ),
            models.CheckConstraint(
                condition=~Q(status="betaald") | Q(betaald_op__isnull=False), name="factuur_betaald_heeft_datum",
                violation_error_message="Een betaalde factuur heeft een betaaldatum.",
            ),
            models.CheckConstraint(
                condition=Q(status="concept") | Q(verzonden_op__isnull=False), name="factuur_verzonden_heeft_datum",
                violation_error_message="Een verzonden factuur heeft een verzenddatum.",
            ),
        ]

    def __str__(self):
        return f"{self.get_soort_display()} {self.nummer} {self.gemeente}"

    def save(self, *args, **kwargs):
        if self.pk:
            oud = Factuur.objects.filter(pk=self.pk).first()
            if oud and oud.status != FactuurStatus.CONCEPT:
                gewijzigd = {f.attname for f in self._meta.concrete_fields
                             if getattr(oud, f.attname) != getattr(self, f.attname)}
                if gewijzigd - NA_VERZENDING_WIJZIGBAAR:
                    raise ValidationError(
                        f"Factuur {oud.nummer} is {oud.get_status_display().lower()} en kan niet meer worden "
                        "gewijzigd; crediteer haar en maak een nieuwe factuur.")
        if self.status == FactuurStatus.CONCEPT:
            self.neem_partijen_over()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(f"Factuur {self.nummer} kan niet worden verwijderd: de nummering is doorlopend. "
                              "Crediteer haar in plaats daarvan.")

    # --- state --------------------------------------------------------------------------------

    @property
    def is_creditnota(self) -> bool:
        return self.soort in CREDITNOTAS

    @property
    def is_concept(self) -> bool:
        return self.status == FactuurStatus.CONCEPT

    @property
    def is_gecrediteerd(self) -> bool:
        """Fully credited (a credit note of kind ‘creditnota’ refers to it)."""
        return self.creditnotas.filter(soort=FactuurSoort.CREDITNOTA).exists()

    def neem_partijen_over(self):
        """Copy supplier and debtor details from their sources (only while a concept)."""
        p31: Organisatie = self.convenant.platform31
        self.leverancier_naam = p31.statutaire_naam or p31.naam
        self.leverancier_adres = p31.adres
        self.leverancier_postcode = p31.postcode
        self.leverancier_plaats = p31.plaats
        self.leverancier_btw_id = p31.btw_id
        self.leverancier_kvk = p31.kvk_nummer
        self.leverancier_iban = p31.iban
        gemeente = self.gemeente
        fg = Factuurgegevens.objects.filter(gemeente=gemeente).first()
        self.debiteur_naam = f"Gemeente {gemeente.naam}"
        self.debiteur_tav = fg.t_a_v if fg else ""
        self.debiteur_adres = (fg and fg.factuuradres) or gemeente.adres
        self.debiteur_postcode = fg.postcode if fg else ""
        self.debiteur_plaats = (fg and fg.plaats) or gemeente.plaats
        self.debiteur_peppol_id = fg.peppol_id if fg else ""
        self.debiteur_peppol_schema = fg.peppol_schema if fg and fg.peppol_id else ""
        if fg and not self.referentie:
            self.referentie = fg.referentie
        if fg and not self.inkoopordernummer:
            self.inkoopordernummer = fg.inkoopordernummer

    def ontbrekende_gegevens(self) -> list[str]:
        """Dutch names of everything a sendable invoice needs and this one lacks."""
        ontbrekend = [naam for veld, naam in LEVERANCIER_VELDEN.items() if not getattr(self, veld)]
        ontbrekend += [naam.format(gemeente=self.gemeente.naam) for veld, naam in DEBITEUR_VERPLICHT.items()
                       if not getattr(self, veld)]
        if not self.pk or not self.regels.exists():
            ontbrekend.append("factuurregels")
        return ontbrekend

    # --- amounts ------------------------------------------------------------------------------

    def _regels(self):
        return list(self.regels.all())  # uses a prefetch when there is one

    @property
    def bedrag_excl_btw(self) -> Decimal:
        return sum((r.bedrag for r in self._regels()), NUL)

    @property
    def btw_bedrag(self) -> Decimal:
        return rules.btw_bedrag(self.bedrag_excl_btw, self.btw_percentage)

    @property
    def bedrag_incl_btw(self) -> Decimal:
        return self.bedrag_excl_btw + self.btw_bedrag

    @property
    def verrekening(self) -> Decimal:
        """The surplus settled on this document (negative on an invoice: a deduction)."""
        return sum((r.bedrag for r in self._regels() if r.soort == RegelSoort.VERREKENING), NUL)

    @property
    def teken(self) -> int:
        """+1 for an invoice, −1 for a credit note (whose amounts are positive in the document)."""
        return -1 if self.is_creditnota else 1

    # --- guards -------------------------------------------------------------------------------

    def clean(self):
        errors = {}
        if self.convenant_id and self.jaar and self.jaar not in self.convenant.jaren:
            errors["jaar"] = (f"{self.jaar} valt buiten de looptijd van het convenant "
                              f"({self.convenant.jaren[0]}–{self.convenant.jaren[-1]}).")
        if self.overeenkomst_id and self.gemeente_id and self.overeenkomst.gemeente_id != self.gemeente_id:
            errors["overeenkomst"] = "De overeenkomst hoort bij een andere gemeente."
        if self.factuurdatum and self.vervaldatum and self.vervaldatum < self.factuurdatum:
            errors["vervaldatum"] = "De vervaldatum ligt vóór de factuurdatum."
        if errors:
            raise ValidationError(errors)


class Factuurregel(models.Model):
    factuur = models.ForeignKey(Factuur, verbose_name="factuur", on_delete=models.CASCADE, related_name="regels")
    volgorde = models.PositiveSmallIntegerField("volgorde", default=1)
    soort = models.CharField("soort", max_length=20, choices=RegelSoort.choices, default=RegelSoort.BIJDRAGE)
    omschrijving = models.CharField("omschrijving", max_length=300)
    aantal = models.DecimalField("aantal", max_digits=12, decimal_places=2, default=Decimal("1"),
                                 help_text="Negatief voor een aftrek (verrekening).")
    eenheid = models.CharField("eenheid", max_length=30, blank=True, help_text="Bijv. ‘inwoners’.")
    prijs = models.DecimalField("prijs per eenheid", max_digits=12, decimal_places=4,
                                validators=[MinValueValidator(Decimal("0"))], help_text="Exclusief btw, in euro.")

    class Meta:
        verbose_name = "factuurregel"
        verbose_name_plural = "factuurregels"
        ordering = ["factuur", "volgorde", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(prijs__gte=0), name="factuurregel_prijs_niet_negatief",
                                   violation_error_message="De prijs is niet negatief; "
                                                           "een aftrek heeft een negatief aantal."),
        ]

    def __str__(self):
        return self.omschrijving

    def save(self, *args, **kwargs):
        self._bewaak()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._bewaak()
        return super().delete(*args, **kwargs)

    @property
    def bedrag(self) -> Decimal:
        return rules.regelbedrag(self.aantal, self.prijs)

    def _bewaak(self):
        factuur = Factuur.objects.filter(pk=self.factuur_id).only("status", "nummer").first()
        if factuur and factuur.status != FactuurStatus.CONCEPT:
            raise ValidationError(f"Factuur {factuur.nummer} is verzonden; haar regels liggen vast. "
                                  "Crediteer haar en maak een nieuwe factuur.")


class Overschotverrekening(models.Model):
    """A surplus both parties established, settled against the cities' contribution in the last year."""

    convenant = models.OneToOneField(Convenant, verbose_name="convenant", on_delete=models.PROTECT,
                                     related_name="overschotverrekening")
    jaar = models.PositiveSmallIntegerField("verrekend over jaar")
    bedrag = models.DecimalField("overschot", max_digits=12, decimal_places=2)
    vastgesteld_op = models.DateField("door beide partijen vastgesteld op")
    aangemaakt_op = models.DateTimeField("vastgelegd op", auto_now_add=True)
    aangemaakt_door = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="vastgelegd door", null=True,
                                        blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "overschotverrekening"
        verbose_name_plural = "overschotverrekeningen"
        constraints = [
            models.CheckConstraint(condition=Q(bedrag__gt=0), name="overschot_positief",
                                   violation_error_message="Het overschot moet groter dan nul zijn."),
        ]

    def __str__(self):
        return f"Overschot {self.convenant.slug}: {formatting.euro(self.bedrag)}"


class ExtraBijdrage(models.Model):
    """An extra contribution asked of participating cities for one activity or project.

    Convenant 2023–2027 art. 6d (activities the convenant does not fund) and
    2019–2022 art. 7.8 with the three principles of its toelichting; only the
    principle ‘advies op eigen casuïstiek’ allows a contribution.
    """

    convenant = models.ForeignKey(Convenant, verbose_name="convenant", on_delete=models.PROTECT,
                                  related_name="extra_bijdragen")
    jaar = models.PositiveSmallIntegerField("jaar")
    activiteit = models.ForeignKey("jaarplannen.Activiteit", verbose_name="activiteit (jaarplan)", null=True,
                                   blank=True, on_delete=models.PROTECT, related_name="extra_bijdragen")
    projectblad = models.ForeignKey("jaarplannen.Projectblad", verbose_name="project (projectblad)", null=True,
                                    blank=True, on_delete=models.PROTECT, related_name="extra_bijdragen")
    omschrijving = models.CharField("omschrijving op de factuur", max_length=300)
    uitgangspunt = models.CharField("uitgangspunt", max_length=20, choices=Uitgangspunt.choices,
                                    help_text="Volgens de toelichting bij het convenant 2019–2022 (art. 7.8).")
    bedrag_per_stad = models.DecimalField("bedrag per deelnemende stad", max_digits=12, decimal_places=2,
                                          help_text="Exclusief btw, in euro.")
    deelnemers = models.ManyToManyField(Gemeente, verbose_name="deelnemende gemeenten", blank=True,
                                        related_name="extra_bijdragen")
    afgesproken_op = models.DateField("afgesproken op", null=True, blank=True)

    class Meta:
        verbose_name = "extra bijdrage"
        verbose_name_plural = "extra bijdragen"
        ordering = ["-jaar", "omschrijving"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(activiteit__isnull=False) & Q(projectblad__isnull=True))
                | (Q(activiteit__isnull=True) & Q(projectblad__isnull=False)),
                name="extra_bijdrage_activiteit_of_project",
                violation_error_message="Kies een activiteit of een projectblad (één van beide).",
            ),
            models.CheckConstraint(condition=Q(bedrag_per_stad__gte=0), name="extra_bijdrage_niet_negatief",
                                   violation_error_message="Het bedrag per stad kan niet negatief zijn."),
        ]

    def __str__(self):
        return self.omschrijving

    def clean(self):
        from .constants import MET_BIJDRAGE

        errors = {}
        if bool(self.activiteit_id) == bool(self.projectblad_id):
            errors["activiteit"] = "Kies een activiteit of een projectblad (één van beide)."
        if self.bedrag_per_stad and self.uitgangspunt and self.uitgangspunt not in MET_BIJDRAGE:
            errors["bedrag_per_stad"] = (f"Bij het uitgangspunt ‘{self.get_uitgangspunt_display()}’ "
                                         "wordt geen eigen bijdrage gevraagd; het bedrag moet 0 zijn.")
        if self.convenant_id and self.jaar and self.jaar not in self.convenant.jaren:
            errors["jaar"] = f"{self.jaar} valt buiten de looptijd van het convenant."
        if errors:
            raise ValidationError(errors)