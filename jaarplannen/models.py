import datetime
import secrets
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q

from simple_history.models import HistoricalRecords

from convenant import formatting, rules
from convenant.constants import Sjabloon
from convenant.models import Convenant, Persoon, Pijler, Themagroep

from .constants import (
    EVALUATIE_MAAND,
    ActiviteitSoort,
    ActiviteitStatus,
    Doorwerking,
    EvaluatieMoment,
    JaarplanStatus,
)


def _gekoppeld(instance, veld: str):
    """The related object behind `veld`, or None, without a query for an empty FK.

    Inline forms of a parent that is not yet saved set the related object but not
    its id, so both are looked at.
    """
    descriptor = getattr(type(instance), veld)
    if getattr(instance, f"{veld}_id") is not None or descriptor.is_cached(instance):
        return getattr(instance, veld)
    return None


class JaarplanManager(models.Manager):
    def get_by_natural_key(self, convenant_slug, jaar):
        return self.get(convenant__slug=convenant_slug, jaar=jaar)


class Jaarplan(models.Model):
    """The plan for one convenant year (convenant 2023–2027, art. 2).

    Its status runs in one direction: in voorbereiding (no dates) → gereed (the
    date it was ready) → vastgesteld (also the date of the G40 DB decision, not
    before it was ready).
    """

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
                condition=~Q(status="vastgesteld")
                | (Q(gereed_op__isnull=False) & Q(vastgesteld_op__isnull=False)),
                name="jaarplan_vastgesteld_heeft_datums",
                violation_error_message=(
                    "Een vastgesteld jaarplan heeft een datum gereed en een datum van vaststelling."
                ),
            ),
            models.CheckConstraint(
                condition=Q(vastgesteld_op__isnull=True) | Q(gereed_op__isnull=True)
                | Q(vastgesteld_op__gte=models.F("gereed_op")),
                name="jaarplan_vastgesteld_na_gereed",
                violation_error_message="Een jaarplan kan niet worden vastgesteld voordat het gereed is.",
            ),
            models.CheckConstraint(
                condition=~Q(status="gereed") | Q(gereed_op__isnull=False),
                name="jaarplan_gereed_heeft_datum",
                violation_error_message="Een gereed jaarplan heeft een datum gereed.",
            ),
            models.CheckConstraint(
                condition=Q(vastgesteld_op__isnull=True) | Q(status="vastgesteld"),
                name="jaarplan_vaststellingsdatum_alleen_bij_vastgesteld",
                violation_error_message="Alleen een vastgesteld jaarplan heeft een datum van vaststelling.",
            ),
            models.CheckConstraint(
                condition=Q(gereed_op__isnull=True) | ~Q(status="in_voorbereiding"),
                name="jaarplan_in_voorbereiding_zonder_datum_gereed",
                violation_error_message="Een jaarplan in voorbereiding heeft nog geen datum gereed.",
            ),
        ]

    def __str__(self):
        return f"Jaarplan {self.jaar}"

    def natural_key(self):
        return (self.convenant.slug, self.jaar)

    natural_key.dependencies = ["convenant.convenant"]

    @property
    def gereed_uiterlijk(self) -> datetime.date:
        return rules.jaarplan_gereed_uiterlijk(self.jaar, self.convenant.ingangsdatum)

    @property
    def vaststellen_uiterlijk(self) -> datetime.date:
        return rules.jaarplan_vaststellen_uiterlijk(self.jaar)

    @property
    def is_vastgesteld(self) -> bool:
        return self.status == JaarplanStatus.VASTGESTELD

    def volgend_jaarplan(self):
        """The plan a finding is carried into when it goes to ‘the next plan’."""
        return Jaarplan.objects.filter(jaar=self.jaar + 1).order_by("-convenant__ingangsdatum").first()

    def clean(self):
        errors = {}
        convenant = _gekoppeld(self, "convenant")
        if convenant and self.jaar and self.jaar not in convenant.jaren:
            errors["jaar"] = (
                f"{self.jaar} valt buiten de looptijd van het convenant "
                f"({convenant.jaren[0]}–{convenant.jaren[-1]})."
            )
        if self.status == JaarplanStatus.IN_VOORBEREIDING:
            if self.gereed_op:
                errors["gereed_op"] = (
                    "Een jaarplan in voorbereiding heeft nog geen datum gereed; "
                    "zet de status op ‘Gereed’ of maak de datum leeg."
                )
        if self.status in (JaarplanStatus.GEREED, JaarplanStatus.VASTGESTELD) and not self.gereed_op:
            errors["gereed_op"] = (
                "Een jaarplan kan pas worden vastgesteld als het gereed is: vul in wanneer het gereed was."
                if self.status == JaarplanStatus.VASTGESTELD
                else "Vul in wanneer het jaarplan gereed was."
            )
        if self.status == JaarplanStatus.VASTGESTELD and not self.vastgesteld_op:
            errors["vastgesteld_op"] = "Vul de datum van het besluit van het G40-DB in."
        if self.status != JaarplanStatus.VASTGESTELD and self.vastgesteld_op:
            errors["vastgesteld_op"] = (
                "Alleen een vastgesteld jaarplan heeft een datum van vaststelling; "
                "zet de status op ‘Vastgesteld door het DB’ of maak de datum leeg."
            )
        if self.gereed_op and self.vastgesteld_op and self.vastgesteld_op < self.gereed_op:
            errors["vastgesteld_op"] = (
                f"De vaststelling ({formatting.datum(self.vastgesteld_op)}) ligt vóór de datum waarop "
                f"het plan gereed was ({formatting.datum(self.gereed_op)})."
            )
        if errors:
            raise ValidationError(errors)


class ActiviteitManager(models.Manager):
    def get_by_natural_key(self, convenant_slug, jaar, titel):
        return self.get(jaarplan__convenant__slug=convenant_slug, jaarplan__jaar=jaar, titel=titel)


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
    budget = models.DecimalField(
        "budget", max_digits=12, decimal_places=2, null=True, blank=True,
        help_text="In euro; leeg als het nog niet bekend is.",
    )
    status = models.CharField(
        "status", max_length=20, choices=ActiviteitStatus.choices, default=ActiviteitStatus.GEPLAND,
    )
    volgorde = models.PositiveSmallIntegerField("volgorde", default=0)

    history = HistoricalRecords()
    objects = ActiviteitManager()

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
            models.UniqueConstraint(
                fields=["jaarplan", "titel"], name="activiteit_titel_uniek_per_jaarplan",
                violation_error_message="Dit jaarplan heeft al een activiteit met deze titel.",
            ),
        ]

    def __str__(self):
        return self.titel

    def natural_key(self):
        return (*self.jaarplan.natural_key(), self.titel)

    natural_key.dependencies = ["jaarplannen.jaarplan"]

    @property
    def onderdeel(self) -> str:
        """Where the activity sits in the plan: ‘Basisprogramma’ or its themagroep."""
        if self.soort == ActiviteitSoort.BASISPROGRAMMA:
            return ActiviteitSoort.BASISPROGRAMMA.label
        return str(self.themagroep) if self.themagroep_id else ""

    def clean(self):
        if self.soort == ActiviteitSoort.THEMA and not self.themagroep_id:
            raise ValidationError({"themagroep": "Kies de themagroep van deze activiteit."})
        if self.soort == ActiviteitSoort.BASISPROGRAMMA and self.themagroep_id:
            raise ValidationError({"themagroep": "Het basisprogramma hoort niet bij één themagroep."})


class RapportageMixin(models.Model):
    """Reporting an evaluation to the directeur of Platform31 and the voorzitter of G40 (art. 7).

    Who received it is kept with the evaluation (a snapshot: the convenant's
    representatives may change later); empty names are taken from the convenant.
    """

    directeur_platform31 = models.ForeignKey(
        Persoon, verbose_name="directeur Platform31", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
        help_text="Leeg: de vertegenwoordiger van Platform31 in het convenant.",
    )
    gerapporteerd_directeur_op = models.DateField(
        "gerapporteerd aan directeur op", null=True, blank=True,
    )
    voorzitter_g40 = models.ForeignKey(
        Persoon, verbose_name="voorzitter G40", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
        help_text="Leeg: de vertegenwoordiger van de G40 in het convenant.",
    )
    gerapporteerd_voorzitter_op = models.DateField(
        "gerapporteerd aan voorzitter op", null=True, blank=True,
    )

    class Meta:
        abstract = True

    @property
    def is_gerapporteerd(self) -> bool:
        return bool(self.gerapporteerd_directeur_op and self.gerapporteerd_voorzitter_op)

    def _vul_ontvangers(self, convenant):
        if convenant is None:
            return
        if not self.directeur_platform31_id:
            self.directeur_platform31_id = convenant.vertegenwoordiger_platform31_id
        if not self.voorzitter_g40_id:
            self.voorzitter_g40_id = convenant.vertegenwoordiger_g40_id

    def _rapportage_fouten(self) -> dict:
        errors = {}
        for veld, wie in (("gerapporteerd_directeur_op", "directeur"), ("gerapporteerd_voorzitter_op", "voorzitter")):
            gerapporteerd = getattr(self, veld)
            if gerapporteerd and self.datum and gerapporteerd < self.datum:
                errors[veld] = (
                    f"De rapportage aan de {wie} ({formatting.datum(gerapporteerd)}) ligt vóór "
                    f"de evaluatie ({formatting.datum(self.datum)})."
                )
        return errors


def _rapportage_constraints(prefix: str) -> list:
    return [
        models.CheckConstraint(
            condition=Q(gerapporteerd_directeur_op__isnull=True) | Q(gerapporteerd_directeur_op__gte=F("datum")),
            name=f"{prefix}_rapportage_directeur_na_evaluatie",
            violation_error_message="De rapportage aan de directeur ligt vóór de evaluatie.",
        ),
        models.CheckConstraint(
            condition=Q(gerapporteerd_voorzitter_op__isnull=True) | Q(gerapporteerd_voorzitter_op__gte=F("datum")),
            name=f"{prefix}_rapportage_voorzitter_na_evaluatie",
            violation_error_message="De rapportage aan de voorzitter ligt vóór de evaluatie.",
        ),
    ]


class Evaluatie(RapportageMixin):
    """The July or November evaluation of a jaarplan (convenant art. 7c).

    Its findings (`Bevinding`) say what is carried into the running or the next
    plan; the outcome is reported to the directeur of Platform31 and the
    voorzitter of G40.
    """

    jaarplan = models.ForeignKey(
        Jaarplan, verbose_name="jaarplan", on_delete=models.CASCADE, related_name="evaluaties",
    )
    moment = models.CharField("moment", max_length=10, choices=EvaluatieMoment.choices)
    datum = models.DateField("datum")
    samenvatting = models.TextField(
        "samenvatting", blank=True, help_text="De uitkomst in het kort; de bevindingen staan hieronder.",
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
            models.CheckConstraint(
                condition=(Q(moment="juli") & Q(datum__month=7)) | (Q(moment="november") & Q(datum__month=11)),
                name="evaluatie_in_haar_maand",
                violation_error_message="Een evaluatie valt in haar maand: juli of november.",
            ),
            *_rapportage_constraints("evaluatie"),
        ]

    def __str__(self):
        plan = _gekoppeld(self, "jaarplan")
        jaar = f" {plan.jaar}" if plan else ""
        return f"Evaluatie {self.get_moment_display().lower()}{jaar}"

    def save(self, *args, **kwargs):
        self._vul_ontvangers(self.jaarplan.convenant)
        super().save(*args, **kwargs)

    @property
    def periode(self) -> tuple[datetime.date, datetime.date]:
        return rules.jaarplan_evaluatie_periode(self.jaarplan.jaar, EVALUATIE_MAAND[EvaluatieMoment(self.moment)])

    def clean(self):
        errors = self._rapportage_fouten()
        plan = _gekoppeld(self, "jaarplan")
        if self.datum and self.moment in EvaluatieMoment.values and plan and plan.jaar:
            maand = EVALUATIE_MAAND[EvaluatieMoment(self.moment)]
            begin, einde = rules.jaarplan_evaluatie_periode(plan.jaar, maand)
            if not begin <= self.datum <= einde:
                naam = self.get_moment_display().lower()
                errors["datum"] = (
                    f"De {naam}-evaluatie van jaarplan {plan.jaar} valt in {naam} {plan.jaar} "
                    f"({formatting.datum(begin)} t/m {formatting.datum(einde)}), "
                    f"niet op {formatting.datum(self.datum)}."
                )
        if errors:
            raise ValidationError(errors)


class Bevinding(models.Model):
    """One finding of an evaluation, about the plan as a whole or about one activity.

    A finding is carried into the running plan or the next one (art. 7c); once it
    has become an activity there, `wordt_activiteit` points to it.
    """

    evaluatie = models.ForeignKey(
        Evaluatie, verbose_name="evaluatie", on_delete=models.CASCADE, related_name="bevindingen",
    )
    activiteit = models.ForeignKey(
        Activiteit, verbose_name="over activiteit", null=True, blank=True, on_delete=models.CASCADE,
        related_name="bevindingen", help_text="Leeg: een bevinding over het jaarplan als geheel.",
    )
    tekst = models.TextField("bevinding")
    doorwerking = models.CharField(
        "doorwerking", max_length=10, choices=Doorwerking.choices, default=Doorwerking.VOLGEND,
    )
    wordt_activiteit = models.ForeignKey(
        Activiteit, verbose_name="wordt activiteit", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="herkomst",
        help_text="De activiteit in het lopende of volgende jaarplan waarin de bevinding is doorvertaald.",
    )
    volgorde = models.PositiveSmallIntegerField("volgorde", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "bevinding"
        verbose_name_plural = "bevindingen"
        ordering = ["evaluatie", "volgorde", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(doorwerking="geen") | Q(wordt_activiteit__isnull=True),
                name="bevinding_zonder_doorwerking_geen_activiteit",
                violation_error_message="Een bevinding zonder doorwerking wordt geen activiteit.",
            ),
        ]

    def __str__(self):
        tekst = " ".join(self.tekst.split())
        return tekst if len(tekst) <= 80 else tekst[:79] + "…"

    def doeljaarplan(self):
        """The plan this finding is carried into, if that plan exists."""
        plan = self.evaluatie.jaarplan
        if self.doorwerking == Doorwerking.LOPEND:
            return plan
        if self.doorwerking == Doorwerking.VOLGEND:
            return plan.volgend_jaarplan()
        return None

    def clean(self):
        errors = {}
        evaluatie = _gekoppeld(self, "evaluatie")
        plan = _gekoppeld(evaluatie, "jaarplan") if evaluatie else None
        activiteit = _gekoppeld(self, "activiteit")
        if plan and activiteit and activiteit.jaarplan_id != plan.pk:
            errors["activiteit"] = (
                f"‘{activiteit}’ hoort bij {activiteit.jaarplan}, niet bij het geëvalueerde {plan}."
            )
        doel = _gekoppeld(self, "wordt_activiteit")
        if doel is not None:
            if self.doorwerking == Doorwerking.GEEN:
                errors["wordt_activiteit"] = (
                    "Een bevinding zonder doorwerking wordt geen activiteit; "
                    "kies de doorwerking of maak dit veld leeg."
                )
            elif plan:
                doeljaar = plan.jaar if self.doorwerking == Doorwerking.LOPEND else plan.jaar + 1
                if doel.jaarplan.jaar != doeljaar or (
                    self.doorwerking == Doorwerking.LOPEND and doel.jaarplan_id != plan.pk
                ):
                    waar = "het lopende" if self.doorwerking == Doorwerking.LOPEND else "het volgende"
                    errors["wordt_activiteit"] = (
                        f"‘{doel}’ staat in {doel.jaarplan}; deze bevinding werkt door in {waar} "
                        f"jaarplan ({doeljaar})."
                    )
        if errors:
            raise ValidationError(errors)


class ConvenantEvaluatie(RapportageMixin):
    """The evaluation of the convenant itself, in the first half of its last year (art. 7b)."""

    convenant = models.OneToOneField(
        Convenant, verbose_name="convenant", on_delete=models.PROTECT, related_name="evaluatie",
    )
    datum = models.DateField("datum")
    bevindingen = models.TextField("bevindingen", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "convenantevaluatie"
        verbose_name_plural = "convenantevaluaties"
        constraints = [
            models.CheckConstraint(
                condition=Q(datum__month__lte=6), name="convenantevaluatie_eerste_jaarhelft",
                violation_error_message="Het convenant wordt geëvalueerd in de eerste helft van het jaar.",
            ),
            *_rapportage_constraints("convenantevaluatie"),
        ]

    def __str__(self):
        return f"Evaluatie {self.convenant}"

    def save(self, *args, **kwargs):
        self._vul_ontvangers(self.convenant)
        super().save(*args, **kwargs)

    def clean(self):
        errors = self._rapportage_fouten()
        convenant = _gekoppeld(self, "convenant")
        if self.datum and convenant:
            begin, einde = rules.convenant_evaluatie_periode(convenant.laatste_jaar)
            if not begin <= self.datum <= einde:
                errors["datum"] = (
                    f"Het convenant wordt geëvalueerd in de eerste helft van zijn laatste jaar: "
                    f"{formatting.datum(begin)} t/m {formatting.datum(einde)}."
                )
        if errors:
            raise ValidationError(errors)


class Projectblad(models.Model):
    """The projectblad of one project of the 2019–2022 werkprogramma (convenant 2019, art. 8).

    Holds what the toelichting on art. 8 lists: title, product, planning, the
    parties and contacts, the total budget and each party's contribution, and
    the responsible people on the G40 side (ambtelijk opdrachtgever,
    pijlersecretaris, bestuurder) and on the Platform31 side (projectleider,
    programmamanager).
    """

    convenant = models.ForeignKey(
        Convenant, verbose_name="convenant", on_delete=models.PROTECT, related_name="projectbladen",
    )
    jaar = models.PositiveSmallIntegerField(
        "jaar werkprogramma", null=True, blank=True,
    )
    titel = models.CharField("titel", max_length=200)
    pijler = models.ForeignKey(
        Pijler, verbose_name="pijler", null=True, blank=True, on_delete=models.PROTECT,
        related_name="projectbladen", help_text="Leeg voor het algemene deel (basisprogramma).",
    )
    themagroep = models.ForeignKey(
        Themagroep, verbose_name="themagroep", null=True, blank=True, on_delete=models.PROTECT,
        related_name="projectbladen",
    )
    doel = models.TextField("doel, beoogde opbrengst en resultaat", blank=True)
    product = models.TextField("product")
    aanpak = models.TextField("aanpak", blank=True)
    planning = models.TextField("planning")
    ambtelijk_opdrachtgever_g40 = models.ForeignKey(
        Persoon, verbose_name="ambtelijk opdrachtgever G40", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    pijlersecretaris_g40 = models.ForeignKey(
        Persoon, verbose_name="verantwoordelijk pijlersecretaris G40", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    bestuurder_g40 = models.ForeignKey(
        Persoon, verbose_name="bestuurder G40", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    projectleider_platform31 = models.ForeignKey(
        Persoon, verbose_name="projectleider Platform31", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    programmamanager_platform31 = models.ForeignKey(
        Persoon, verbose_name="verantwoordelijk programmamanager Platform31", null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    bijgewerkt_op = models.DateField(
        "bijgewerkt op", null=True, blank=True,
        help_text="Platform31 houdt de projectbladen actueel (toelichting art. 8).",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "projectblad"
        verbose_name_plural = "projectbladen"
        ordering = ["convenant", "jaar", "titel"]
        constraints = [
            models.UniqueConstraint(
                fields=["convenant", "titel"], name="projectblad_titel_uniek",
                violation_error_message="Onder dit convenant bestaat al een projectblad met deze titel.",
            ),
        ]

    def __str__(self):
        return self.titel

    @property
    def totaal_budget(self) -> Decimal:
        """The total budget: the sum of every party's contribution."""
        return sum((p.bijdrage for p in self.partijen.all() if p.bijdrage is not None), Decimal("0.00"))

    def clean(self):
        errors = {}
        convenant = _gekoppeld(self, "convenant")
        if convenant:
            if convenant.sjabloon != Sjabloon.UITVOERINGSOVEREENKOMST_2019:
                errors["convenant"] = (
                    "Projectbladen horen bij het convenant 2019 t/m 2022 (art. 8); "
                    "onder latere convenanten staan de activiteiten in de jaarplannen."
                )
            elif self.jaar and self.jaar not in convenant.jaren:
                errors["jaar"] = (
                    f"{self.jaar} valt buiten de looptijd van het convenant "
                    f"({convenant.jaren[0]}–{convenant.jaren[-1]})."
                )
        themagroep = _gekoppeld(self, "themagroep")
        if themagroep and self.pijler_id and themagroep.pijler_id != self.pijler_id:
            errors["themagroep"] = f"De themagroep {themagroep} valt niet onder de pijler {self.pijler}."
        if errors:
            raise ValidationError(errors)


class ProjectbladPartij(models.Model):
    """A party involved in a project, its contact and its contribution to the budget."""

    projectblad = models.ForeignKey(
        Projectblad, verbose_name="projectblad", on_delete=models.CASCADE, related_name="partijen",
    )
    partij = models.CharField("partij", max_length=200, help_text="Bijv. ‘Platform31’, ‘G40-Stedennetwerk’.")
    contactpersoon = models.CharField("contactpersoon", max_length=200, blank=True)
    bijdrage = models.DecimalField(
        "bijdrage", max_digits=12, decimal_places=2, null=True, blank=True, help_text="In euro.",
    )
    volgorde = models.PositiveSmallIntegerField("volgorde", default=0)

    # With history, the projectblad's change form also checks the parties' version (no lost edits,
    # convenant.admin_basis): two people editing the same budget cannot silently overwrite each other.
    history = HistoricalRecords()

    class Meta:
        verbose_name = "betrokken partij"
        verbose_name_plural = "betrokken partijen en bijdragen"
        ordering = ["projectblad", "volgorde", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["projectblad", "partij"], name="projectblad_partij_uniek",
                violation_error_message="Deze partij staat al op het projectblad.",
            ),
            models.CheckConstraint(
                condition=Q(bijdrage__isnull=True) | Q(bijdrage__gte=0), name="projectblad_bijdrage_niet_negatief",
                violation_error_message="Een bijdrage kan niet negatief zijn.",
            ),
        ]

    def __str__(self):
        return self.partij


def _nieuw_token() -> str:
    return secrets.token_urlsafe(32)


class KalenderToken(models.Model):
    """A user's secret for subscribing to the calendar feed without a session.

    Calendar apps (Outlook, Google Calendar) cannot log in; the feed URL carries
    this token instead. A new token replaces the old one, which then stops working.
    """

    gebruiker = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="gebruiker", on_delete=models.CASCADE,
        related_name="kalendertoken",
    )
    token = models.CharField("token", max_length=64, unique=True, default=_nieuw_token, editable=False)
    aangemaakt_op = models.DateTimeField("aangemaakt op", auto_now_add=True)

    class Meta:
        verbose_name = "kalenderabonnement"
        verbose_name_plural = "kalenderabonnementen"

    def __str__(self):
        return f"Kalenderabonnement van {self.gebruiker}"

    @classmethod
    def voor(cls, gebruiker, vernieuwen: bool = False) -> "KalenderToken":
        """The user's token, created if missing; `vernieuwen` replaces it."""
        token, aangemaakt = cls.objects.get_or_create(gebruiker=gebruiker)
        if vernieuwen and not aangemaakt:
            token.token = _nieuw_token()
            token.save(update_fields=["token"])
        return token
