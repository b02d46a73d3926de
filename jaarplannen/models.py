from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q

from simple_history.models import HistoricalRecords

from convenant import rules
from convenant.models import Convenant, Persoon, Themagroep

from .constants import EVALUATIE_MAAND, ActiviteitSoort, ActiviteitStatus, EvaluatieMoment, JaarplanStatus


class JaarplanManager(models.Manager):
    def get_by_natural_key(self, convenant_slug, jaar):
        return self.get(convenant__slug=convenant_slug, jaar=jaar)


class Jaarplan(models.Model):
    """The plan for one convenant year (convenant 2023–2027, art. 2)."""

    convenant = models.ForeignKey(
        Convenant, verbose_name="convenant", on_delete=models.PROTECT, related_name="jaarplannen",
    )
    jaar = models.PositiveSmallIntegerField("jaar")
    titel = models.CharField("titel", max_length=200, blank=True)
    status = models.CharField(
        "status", max_length=20, choices=JaarplanStatus.choices, default=JaarplanStatus.IN_VOORBEREIDING,
    )
    gereed_op = models.DateField("gereed op", null=True, blank=True)
    vastgesteld_op = models.DateField(
        "vastgesteld op", null=True, blank=True, help_text="Datum van het besluit van het G40-DB.",
    )
    toelichting = models.TextField("toelichting", blank=True)

    history = HistoricalRecords()
    objects = JaarplanManager()

    class Meta:
        verbose_name = "jaarplan"
        verbose_name_plural = "jaarplannen"
        ordering = ["convenant", "jaar"]
        constraints = [
            models.UniqueConstraint(
                fields=["convenant", "jaar"], name="jaarplan_uniek_per_jaar",
                violation_error_message="Voor dit convenantjaar bestaat al een jaarplan.",
            ),
            models.CheckConstraint(
                condition=~Q(status="vastgesteld") | (Q(gereed_op__isnull=False) & Q(vastgesteld_op__isnull=False)),
                name="jaarplan_vastgesteld_heeft_datums",
                violation_error_message="Een vastgesteld jaarplan heeft een datum gereed en een datum van vaststelling.",
            ),
            models.CheckConstraint(
                condition=Q(vastgesteld_op__isnull=True) | Q(gereed_op__isnull=True)
                | Q(vastgesteld_op__gte=models.F("gereed_op")),
                name="jaarplan_vastgesteld_na_gereed",
                violation_error_message="Een jaarplan kan niet worden vastgesteld voordat het gereed is.",
            ),
        ]

    def __str__(self):
        return f"Jaarplan {self.jaar}"

    def natural_key(self):
        return (self.convenant.slug, self.jaar)

    natural_key.dependencies = ["convenant.convenant"]

    @property
    def gereed_uiterlijk(self):
        return rules.jaarplan_gereed_uiterlijk(self.jaar, self.convenant.ingangsdatum)

    @property
    def vaststellen_uiterlijk(self):
        return rules.jaarplan_vaststellen_uiterlijk(self.jaar)

    def clean(self):
        errors = {}
        if self.convenant_id and self.jaar and self.jaar not in self.convenant.jaren:
            errors["jaar"] = (
                f"{self.jaar} valt buiten de looptijd van het convenant "
                f"({self.convenant.jaren[0]}–{self.convenant.jaren[-1]})."
            )
        if self.status == JaarplanStatus.VASTGESTELD:
            if not self.gereed_op:
                errors["gereed_op"] = "Een jaarplan kan pas worden vastgesteld als het gereed is."
            if not self.vastgesteld_op:
                errors["vastgesteld_op"] = "Vul de datum van het DB-besluit in."
        if self.status == JaarplanStatus.GEREED and not self.gereed_op:
            errors["gereed_op"] = "Vul in wanneer het jaarplan gereed was."
        if self.gereed_op and self.vastgesteld_op and self.vastgesteld_op < self.gereed_op:
            errors["vastgesteld_op"] = "De vaststelling ligt vóór de datum waarop het plan gereed was."
        if errors:
            raise ValidationError(errors)


class Activiteit(models.Model):
    """A goal with actions in a jaarplan: basisprogramma or a specific theme."""

    jaarplan = models.ForeignKey(
        Jaarplan, verbose_name="jaarplan", on_delete=models.CASCADE, related_name="activiteiten",
    )
    soort = models.CharField("soort", max_length=20, choices=ActiviteitSoort.choices)
    themagroep = models.ForeignKey(
        Themagroep, verbose_name="themagroep", null=True, blank=True, on_delete=models.PROTECT,
        related_name="activiteiten",
    )
    titel = models.CharField("titel", max_length=200)
    doel = models.TextField("doel", blank=True)
    acties = models.TextField("acties", blank=True)
    verantwoordelijke_g40 = models.ForeignKey(
        Persoon, verbose_name="verantwoordelijke G40", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    verantwoordelijke_platform31 = models.ForeignKey(
        Persoon, verbose_name="verantwoordelijke Platform31", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    planning = models.CharField("planning", max_length=200, blank=True)
    budget = models.DecimalField("budget", max_digits=12, decimal_places=2, null=True, blank=True)
    status = models.CharField(
        "status", max_length=20, choices=ActiviteitStatus.choices, default=ActiviteitStatus.GEPLAND,
    )
    volgorde = models.PositiveSmallIntegerField("volgorde", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "activiteit"
        verbose_name_plural = "activiteiten"
        ordering = ["jaarplan", "volgorde", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(soort="basisprogramma") & Q(themagroep__isnull=True))
                | (Q(soort="thema") & Q(themagroep__isnull=False)),
                name="activiteit_thema_alleen_bij_thema",
                violation_error_message="Een thema-activiteit hoort bij een themagroep; "
                                        "het basisprogramma niet.",
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | Q(budget__gte=0), name="activiteit_budget_niet_negatief",
                violation_error_message="Het budget kan niet negatief zijn.",
            ),
        ]

    def __str__(self):
        return self.titel

    def clean(self):
        if self.soort == ActiviteitSoort.THEMA and not self.themagroep_id:
            raise ValidationError({"themagroep": "Kies de themagroep van deze activiteit."})
        if self.soort == ActiviteitSoort.BASISPROGRAMMA and self.themagroep_id:
            raise ValidationError({"themagroep": "Het basisprogramma hoort niet bij één themagroep."})


class Evaluatie(models.Model):
    """The July or November evaluation of a jaarplan (convenant art. 7)."""

    jaarplan = models.ForeignKey(
        Jaarplan, verbose_name="jaarplan", on_delete=models.CASCADE, related_name="evaluaties",
    )
    moment = models.CharField("moment", max_length=10, choices=EvaluatieMoment.choices)
    datum = models.DateField("datum")
    bevindingen = models.TextField("bevindingen", blank=True)
    doorwerking = models.TextField(
        "doorwerking", blank=True, help_text="Hoe de uitkomst wordt meegenomen in het lopende of volgende jaarplan.",
    )
    gerapporteerd_op = models.DateField(
        "gerapporteerd op", null=True, blank=True,
        help_text="Datum van de rapportage aan de directeur van Platform31 en de voorzitter van G40.",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "evaluatie"
        verbose_name_plural = "evaluaties"
        ordering = ["jaarplan", "datum"]
        constraints = [
            models.UniqueConstraint(
                fields=["jaarplan", "moment"], name="evaluatie_een_per_moment",
                violation_error_message="Dit jaarplan heeft voor dit moment al een evaluatie.",
            ),
        ]

    def __str__(self):
        return f"Evaluatie {self.get_moment_display().lower()} {self.jaarplan.jaar}"

    def clean(self):
        if self.datum and self.moment and self.jaarplan_id:
            maand = EVALUATIE_MAAND[EvaluatieMoment(self.moment)]
            if self.datum.year != self.jaarplan.jaar or self.datum.month != maand:
                raise ValidationError({
                    "datum": f"De {self.get_moment_display().lower()}-evaluatie valt in "
                             f"{self.get_moment_display().lower()} {self.jaarplan.jaar}."
                })


class ConvenantEvaluatie(models.Model):
    """The evaluation of the convenant itself, in the first half of its last year."""

    convenant = models.OneToOneField(
        Convenant, verbose_name="convenant", on_delete=models.PROTECT, related_name="evaluatie",
    )
    datum = models.DateField("datum")
    bevindingen = models.TextField("bevindingen", blank=True)
    gerapporteerd_op = models.DateField("gerapporteerd op", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "convenantevaluatie"
        verbose_name_plural = "convenantevaluaties"

    def __str__(self):
        return f"Evaluatie {self.convenant}"

    def clean(self):
        if self.datum and self.convenant_id:
            begin, einde = rules.convenant_evaluatie_periode(self.convenant.laatste_jaar)
            if not begin <= self.datum <= einde:
                raise ValidationError({
                    "datum": f"Het convenant wordt geëvalueerd in de eerste helft van "
                             f"{self.convenant.laatste_jaar} (1 januari t/m 30 juni)."
                })
