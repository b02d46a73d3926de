from django.core.validators import MaxValueValidator, RegexValidator
from django.db import models
from django.db.models import Q

from simple_history.models import HistoricalRecords

from convenant import rules

CBS_CODE = RegexValidator(r"^GM\d{4}$", "Een CBS-gemeentecode is ‘GM’ gevolgd door vier cijfers.")


class GemeenteManager(models.Manager):
    def get_by_natural_key(self, cbs_code):
        return self.get(cbs_code=cbs_code)


class Gemeente(models.Model):
    """A member municipality of the G40-Stedennetwerk."""

    naam = models.CharField("naam", max_length=100, unique=True)
    slug = models.SlugField("slug", unique=True, help_text="Voor bestandsnamen, bijv. ‘s-hertogenbosch’.")
    cbs_code = models.CharField("CBS-code", max_length=6, unique=True, validators=[CBS_CODE])
    cbs_naam = models.CharField(
        "naam bij het CBS", max_length=100, blank=True,
        help_text="Alleen als het CBS de gemeente anders noemt, bijv. ‘Hengelo (O.)’.",
    )
    adres = models.CharField(
        "adres stadhuis", max_length=200, blank=True, help_text="Bijv. ‘Grote Kerkhof 1’.",
    )
    plaats = models.CharField("vestigingsplaats", max_length=100, blank=True)
    lid_sinds = models.DateField("lid sinds", null=True, blank=True)
    lid_tot = models.DateField("lid tot", null=True, blank=True)
    contact_email = models.EmailField(
        "e-mail G40-contact", blank=True, help_text="Voor herinneringen over de overeenkomst.",
    )
    opmerking = models.TextField("opmerking", blank=True)

    history = HistoricalRecords()
    objects = GemeenteManager()

    class Meta:
        verbose_name = "gemeente"
        verbose_name_plural = "gemeenten"
        ordering = ["naam"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cbs_code__regex=r"^GM[0-9]{4}$"),
                name="gemeente_cbs_code_vorm",
                violation_error_message="Een CBS-gemeentecode is ‘GM’ gevolgd door vier cijfers.",
            ),
            models.CheckConstraint(
                condition=Q(lid_tot__isnull=True) | Q(lid_sinds__isnull=True)
                | Q(lid_tot__gte=models.F("lid_sinds")),
                name="gemeente_lid_tot_na_lid_sinds",
                violation_error_message="‘Lid tot’ ligt vóór ‘lid sinds’.",
            ),
        ]

    def __str__(self):
        return self.naam

    def natural_key(self):
        return (self.cbs_code,)

    def inwoners_op(self, peildatum):
        """Inhabitants on a reference date, or None when no figure is known."""
        for rij in self.inwonertallen.all():  # uses a prefetch when there is one
            if rij.peildatum == peildatum:
                return rij.aantal
        return None


class InwonertalManager(models.Manager):
    def get_by_natural_key(self, cbs_code, peildatum):
        return self.get(gemeente__cbs_code=cbs_code, peildatum=peildatum)


class Inwonertal(models.Model):
    """CBS population of a municipality on one reference date (peildatum)."""

    gemeente = models.ForeignKey(
        Gemeente, verbose_name="gemeente", on_delete=models.CASCADE, related_name="inwonertallen",
    )
    peildatum = models.DateField("peildatum")
    aantal = models.PositiveIntegerField("inwoners", validators=[
        MaxValueValidator(rules.MAX_INWONERS, "Niet plausibel: geen gemeente heeft meer dan %(limit_value)s inwoners."),
    ])
    bron = models.CharField("bron", max_length=300, blank=True)

    history = HistoricalRecords()
    objects = InwonertalManager()

    class Meta:
        verbose_name = "inwonertal"
        verbose_name_plural = "inwonertallen"
        ordering = ["gemeente__naam", "-peildatum"]
        constraints = [
            models.UniqueConstraint(
                fields=["gemeente", "peildatum"], name="inwonertal_uniek_per_peildatum",
                violation_error_message="Voor deze gemeente is op deze peildatum al een inwonertal.",
            ),
            models.CheckConstraint(
                condition=Q(aantal__gt=0), name="inwonertal_positief",
                violation_error_message="Het aantal inwoners moet groter dan nul zijn.",
            ),
            models.CheckConstraint(
                condition=Q(aantal__lte=rules.MAX_INWONERS), name="inwonertal_plausibel",
                violation_error_message="Niet plausibel: geen gemeente heeft meer dan 2 miljoen inwoners.",
            ),
        ]

    def __str__(self):
        return f"{self.gemeente} op {self.peildatum:%d-%m-%Y}: {self.aantal}"

    def natural_key(self):
        return (self.gemeente.cbs_code, self.peildatum.isoformat())

    natural_key.dependencies = ["gemeenten.gemeente"]
