import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone

from simple_history.models import HistoricalRecords

from convenant import formatting, rules
from convenant.models import Convenant
from gemeenten.models import Gemeente

from . import bewaking
from .constants import AFGELOPEN, AFGELOPEN_LABEL, DocumentSoort, OpgezegdDoor, Status


class OvereenkomstManager(models.Manager):
    def get_by_natural_key(self, convenant_slug, cbs_code):
        return self.get(convenant__slug=convenant_slug, gemeente__cbs_code=cbs_code)


class Samenwerkingsovereenkomst(models.Model):
    """The agreement one municipality signs with Platform31 under a convenant.

    The inhabitants, peildatum and rate are a snapshot: they are copied from the
    reference data while the agreement is a concept and frozen once it is
    signed, so a later CBS import never rewrites what a city agreed to pay.
    """

    convenant = models.ForeignKey(
        Convenant, verbose_name="convenant", on_delete=models.PROTECT, related_name="overeenkomsten",
    )
    gemeente = models.ForeignKey(
        Gemeente, verbose_name="gemeente", on_delete=models.PROTECT, related_name="overeenkomsten",
    )
    status = models.CharField(
        "status", max_length=20, choices=Status.choices, default=Status.CONCEPT, db_index=True,
    )
    ingangsdatum = models.DateField(
        "ingangsdatum", null=True, blank=True,
        help_text="Leeg: de ingangsdatum van het convenant. Alleen invullen voor een gemeente die "
                  "tijdens de looptijd toetreedt.",
    )

    # What the agreement's text needs per city.
    vertegenwoordiger = models.CharField(
        "vertegenwoordiger", max_length=200, blank=True, help_text="Bijv. ‘R.C. König’.",
    )
    vertegenwoordiger_functie = models.CharField(
        "functie vertegenwoordiger", max_length=100, blank=True, help_text="Bijv. ‘burgemeester’.",
    )
    collegebesluit_op = models.DateField("datum collegebesluit", null=True, blank=True)
    ondertekend_te = models.CharField(
        "opgemaakt te", max_length=100, blank=True,
        help_text="Plaats van ondertekening (‘Aldus in tweevoud opgemaakt te …’).",
    )
    ondertekend_op = models.DateField(
        "opgemaakt op", null=True, blank=True, help_text="Datum van ondertekening.",
    )

    # Snapshot of what fixes the amount.
    inwoners = models.PositiveIntegerField("inwoners", validators=[
        MaxValueValidator(rules.MAX_INWONERS, "Niet plausibel: geen gemeente heeft meer dan %(limit_value)s inwoners."),
    ])
    peildatum = models.DateField("peildatum")
    bijdrage_per_inwoner = models.DecimalField("bijdrage per inwoner", max_digits=6, decimal_places=2, validators=[
        MaxValueValidator(rules.MAX_BIJDRAGE_PER_INWONER, "Niet plausibel: meer dan € 10,00 per inwoner."),
    ])
    bedrag_per_jaar = models.DecimalField("bedrag per jaar", max_digits=rules.BEDRAG_MAX_DIGITS, decimal_places=2)

    # Workflow.
    verzonden_op = models.DateField("verzonden op", null=True, blank=True)
    verzonden_aan = models.CharField("verzonden aan", max_length=200, blank=True)
    ontvangen_op = models.DateField("getekend ontvangen op", null=True, blank=True)
    datum_onbekend = models.BooleanField(
        "ontvangstdatum onbekend", default=False,
        help_text="Ondertekend volgens de bronnen, maar de datum staat nergens (overeenkomsten "
                  "2019–2022). Dan blijft ‘getekend ontvangen op’ leeg in plaats van verzonnen.",
    )
    opzegging_verzonden_op = models.DateField(
        "opzegging verzonden op", null=True, blank=True,
        help_text="Datum waarop de schriftelijke opzegging is verzonden; die beslist (art. 1.3: "
                  "‘voor 1 september … gezonden’).",
    )
    opzegging_ontvangen_op = models.DateField(
        "opzegging ontvangen op", null=True, blank=True,
        help_text="Datum waarop de schriftelijke opzegging bij de andere partij is ontvangen.",
    )
    opgezegd_door = models.CharField(
        "opgezegd door", max_length=20, choices=OpgezegdDoor.choices, blank=True,
    )
    opmerking = models.TextField("opmerking", blank=True)

    history = HistoricalRecords()
    objects = OvereenkomstManager()

    class Meta:
        verbose_name = "samenwerkingsovereenkomst"
        verbose_name_plural = "samenwerkingsovereenkomsten"
        ordering = ["convenant", "gemeente__naam"]
        permissions = [
            ("verzend_overeenkomst", "Mag overeenkomsten als verzonden vastleggen (PDF bewaren)"),
            ("registreer_status", "Mag ontvangst, getekende scan en opzegging vastleggen"),
            ("corrigeer_inwoners", "Mag het inwonertal van een ondertekende overeenkomst corrigeren"),
            ("bekijk_documenten", "Mag verzonden PDF's en getekende scans inzien"),
            ("alle_gemeenten", "Mag de overeenkomsten van alle gemeenten zien"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["convenant", "gemeente"], name="overeenkomst_uniek_per_gemeente",
                violation_error_message="Deze gemeente heeft al een overeenkomst onder dit convenant.",
            ),
            models.CheckConstraint(
                condition=Q(inwoners__gt=0), name="overeenkomst_inwoners_positief",
                violation_error_message="Het aantal inwoners moet groter dan nul zijn.",
            ),
            # Within these bounds the amount always fits its column (see convenant.rules).
            models.CheckConstraint(
                condition=Q(inwoners__lte=rules.MAX_INWONERS)
                & Q(bijdrage_per_inwoner__lte=rules.MAX_BIJDRAGE_PER_INWONER),
                name="overeenkomst_snapshot_plausibel",
                violation_error_message="Niet plausibel: meer dan 2 miljoen inwoners of meer dan € 10,00 per inwoner.",
            ),
            models.CheckConstraint(
                condition=Q(bijdrage_per_inwoner__gt=0) & Q(bedrag_per_jaar__gt=0),
                name="overeenkomst_bedrag_positief",
                violation_error_message="Bijdrage en bedrag moeten groter dan nul zijn.",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["ondertekend", "opgezegd"]) | Q(ontvangen_op__isnull=False)
                | Q(datum_onbekend=True),
                name="overeenkomst_ondertekend_heeft_ontvangstdatum",
                violation_error_message="Een ondertekende overeenkomst heeft een ontvangstdatum "
                                        "(of is gemarkeerd als ‘datum onbekend’).",
            ),
            models.CheckConstraint(
                condition=Q(datum_onbekend=False) | Q(ontvangen_op__isnull=True),
                name="overeenkomst_datum_onbekend_zonder_datum",
                violation_error_message="‘Ontvangstdatum onbekend’ gaat niet samen met een ontvangstdatum.",
            ),
            models.CheckConstraint(
                condition=~Q(status="verzonden") | Q(verzonden_op__isnull=False),
                name="overeenkomst_verzonden_heeft_verzenddatum",
                violation_error_message="Een verzonden overeenkomst heeft een verzenddatum.",
            ),
            models.CheckConstraint(
                condition=~Q(status="opgezegd") | Q(opzegging_verzonden_op__isnull=False),
                name="overeenkomst_opgezegd_heeft_verzenddatum_opzegging",
                violation_error_message="Een opgezegde overeenkomst heeft de datum waarop de "
                                        "opzegging is verzonden.",
            ),
            models.CheckConstraint(
                condition=Q(opzegging_ontvangen_op__isnull=True) | Q(opzegging_verzonden_op__isnull=True)
                | Q(opzegging_ontvangen_op__gte=models.F("opzegging_verzonden_op")),
                name="overeenkomst_opzegging_ontvangen_na_verzonden",
                violation_error_message="De opzegging kan niet vóór haar verzending ontvangen zijn.",
            ),
        ]

    def __str__(self):
        return f"{self.gemeente} – {self.convenant.slug}"

    def save(self, *args, **kwargs):
        # The amount is always derived from the snapshot by the one rule.
        self.bedrag_per_jaar = rules.jaarbedrag(self.inwoners, self.bijdrage_per_inwoner)
        # Status changes only through the workflow; a signed agreement's amount is frozen.
        bewaking.bewaak_opslaan(self)
        super().save(*args, **kwargs)

    def clean(self):
        errors = {}
        if self.ontvangen_op and self.verzonden_op and self.ontvangen_op < self.verzonden_op:
            errors["ontvangen_op"] = "De getekende overeenkomst kan niet vóór verzending ontvangen zijn."
        if self.collegebesluit_op and self.ondertekend_op and self.ondertekend_op < self.collegebesluit_op:
            errors["ondertekend_op"] = "De ondertekening ligt vóór het collegebesluit."
        if self.ingangsdatum and self.convenant_id:
            c = self.convenant
            if not c.ingangsdatum <= self.ingangsdatum <= c.einddatum:
                errors["ingangsdatum"] = (
                    "De ingangsdatum valt buiten de looptijd van het convenant "
                    f"({formatting.datum(c.ingangsdatum)} t/m {formatting.datum(c.einddatum)})."
                )
        if errors:
            raise ValidationError(errors)

    def natural_key(self):
        return (self.convenant.slug, self.gemeente.cbs_code)

    natural_key.dependencies = ["convenant.convenant", "gemeenten.gemeente"]

    @property
    def is_getekend(self) -> bool:
        return self.status in (Status.ONDERTEKEND, Status.OPGEZEGD)

    @property
    def begint_op(self) -> datetime.date:
        """First day the agreement runs: its own start date, else the convenant's."""
        return self.ingangsdatum or self.convenant.ingangsdatum

    @property
    def einddatum(self) -> datetime.date:
        """Last day the agreement runs: its own end, or earlier after a notice.

        The notice's *sending* date decides (art. 1.3, ‘gezonden’), by the
        convenant's rule (`convenant.rules.einddatum_na_opzegging`).
        """
        if self.opzegging_verzonden_op:
            return self.convenant.einddatum_na_opzegging(self.opzegging_verzonden_op) - datetime.timedelta(days=1)
        return self.convenant.einddatum

    @property
    def laatste_dag(self) -> datetime.date:
        """The last day it actually ran: `einddatum`, or the convenant's extension without a notice.

        The 2019–2022 convenant was extended until 28 February 2023 (seed 000);
        its agreements' text and invoice years stay those of 2019–2022.
        """
        if self.opzegging_verzonden_op:
            return self.einddatum
        return max(self.einddatum, self.convenant.loopt_tot)

    def loopt_in_jaar(self, jaar: int) -> bool:
        """Whether the agreement runs (part of) calendar year `jaar`, from its own start date."""
        return self.begint_op.year <= jaar <= self.einddatum.year

    def te_factureren(self, jaar: int) -> Decimal:
        """What Platform31 invoices this agreement for `jaar`: THE rule, for every list and invoice.

        A signed agreement that runs in `jaar` pays its full yearly amount: the
        agreements fix a price ‘per jaar’ and no pro rata rule (the 2023–2027
        agreements start on 1 March 2023 and pay the full 2023 amount; a city that
        joins on 1 July 2025 pays the full 2025 amount, and nothing for 2024).
        A notice always takes effect on 1 January, so it removes whole years.
        Not signed: nothing (yet).
        """
        if not self.is_getekend or not self.loopt_in_jaar(jaar):
            return Decimal("0.00")
        return self.bedrag_per_jaar

    def is_afgelopen(self, vandaag: datetime.date | None = None) -> bool:
        """Signed, and its last day has passed: derived, never a stored status."""
        vandaag = vandaag or timezone.localdate()
        return self.is_getekend and self.laatste_dag < vandaag

    def toestand(self, vandaag: datetime.date | None = None) -> str:
        """The status code, or ``afgelopen`` for a signed agreement past its end."""
        return AFGELOPEN if self.is_afgelopen(vandaag) else self.status

    @property
    def toestand_label(self) -> str:
        """What lists show: ‘Afgelopen’ past the end, else the status in words."""
        return AFGELOPEN_LABEL if self.is_afgelopen() else self.get_status_display()

    @property
    def ontvangen_tekst(self) -> str:
        """The receipt date in words, ‘datum onbekend’ when the sources do not give it."""
        if self.ontvangen_op:
            return formatting.datum(self.ontvangen_op)
        return "datum onbekend" if self.datum_onbekend else ""


def document_pad(instance, filename):
    ov = instance.overeenkomst
    return f"overeenkomsten/{ov.convenant.slug}/{ov.gemeente.slug}/{instance.soort}-{filename}"


class OvereenkomstDocument(models.Model):
    """A file that belongs to an agreement: the exact PDF sent, or the signed scan."""

    overeenkomst = models.ForeignKey(
        Samenwerkingsovereenkomst, verbose_name="overeenkomst", on_delete=models.PROTECT,
        related_name="documenten",
    )
    soort = models.CharField("soort", max_length=20, choices=DocumentSoort.choices)
    bestand = models.FileField("bestand", upload_to=document_pad)
    sha256 = models.CharField("SHA-256", max_length=64)
    grootte = models.PositiveIntegerField("grootte (bytes)")
    aangemaakt_op = models.DateTimeField("vastgelegd op", auto_now_add=True)
    aangemaakt_door = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="vastgelegd door", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )

    class Meta:
        verbose_name = "document"
        verbose_name_plural = "documenten"
        ordering = ["-aangemaakt_op"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="document_sha256_vorm",
            ),
        ]

    def __str__(self):
        return f"{self.get_soort_display()} {self.overeenkomst} ({self.aangemaakt_op:%d-%m-%Y})"
