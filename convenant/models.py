import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q

from simple_history.models import HistoricalRecords

from . import rules
from .constants import Rol, Sjabloon


class NaamManager(models.Manager):
    def get_by_natural_key(self, naam):
        return self.get(naam=naam)


class Organisatie(models.Model):
    """A party to the convenant (Stichting Platform31, the G40-Stedennetwerk)."""

    naam = models.CharField("naam", max_length=200, unique=True)
    statutaire_naam = models.CharField(
        "statutaire naam", max_length=200, blank=True,
        help_text="Zoals in de aanhef van de overeenkomst, bijv. ‘Stichting Platform31’.",
    )
    adres = models.CharField("adres", max_length=200, blank=True)
    plaats = models.CharField("plaats", max_length=100, blank=True)
    rechtspersoon = models.BooleanField(
        "rechtspersoon", default=True,
        help_text="Het G40-Stedennetwerk heeft geen rechtspersoonlijkheid.",
    )
    # What an invoice from this organisation needs (Platform31 as supplier). The sources do
    # not give them: an invoice stays a concept until they are filled in.
    postcode = models.CharField("postcode", max_length=10, blank=True)
    btw_id = models.CharField(
        "btw-identificatienummer", max_length=20, blank=True, help_text="Bijv. ‘NL001234567B01’.",
    )
    kvk_nummer = models.CharField("KvK-nummer", max_length=8, blank=True, help_text="Acht cijfers.")
    iban = models.CharField("IBAN", max_length=34, blank=True, help_text="Rekening voor betaling van facturen.")

    objects = NaamManager()

    class Meta:
        verbose_name = "organisatie"
        verbose_name_plural = "organisaties"
        ordering = ["naam"]

    def __str__(self):
        return self.naam

    def natural_key(self):
        return (self.naam,)

    def clean(self):
        from stdnum import iban
        from stdnum.nl import btw

        errors = {}
        if self.btw_id and not btw.is_valid(self.btw_id):
            errors["btw_id"] = "Dit is geen geldig Nederlands btw-identificatienummer (bijv. NL000099998B57)."
        if self.kvk_nummer and not (self.kvk_nummer.isdigit() and len(self.kvk_nummer) == 8):
            errors["kvk_nummer"] = "Een KvK-nummer bestaat uit acht cijfers."
        if self.iban and not iban.is_valid(self.iban):
            errors["iban"] = "Dit IBAN klopt niet (controlegetal of lengte)."
        if errors:
            raise ValidationError(errors)
        self.btw_id = f"NL{btw.compact(self.btw_id)}" if self.btw_id else ""
        self.iban = iban.compact(self.iban) if self.iban else ""


class Persoon(models.Model):
    """A person in one of the roles the documents name."""

    naam = models.CharField("naam", max_length=200, unique=True, help_text="Bijv. ‘V. Everhardt’.")
    aanhef = models.CharField("aanhef", max_length=20, blank=True, help_text="Bijv. ‘de heer’.")
    functie = models.CharField("functie", max_length=200, blank=True)
    rol = models.CharField("rol", max_length=30, choices=Rol.choices, default=Rol.OVERIG)
    organisatie = models.ForeignKey(
        Organisatie, verbose_name="organisatie", null=True, blank=True,
        on_delete=models.PROTECT, related_name="personen",
    )
    gemeente = models.ForeignKey(
        "gemeenten.Gemeente", verbose_name="gemeente", null=True, blank=True,
        on_delete=models.PROTECT, related_name="personen",
    )
    email = models.EmailField("e-mail", blank=True)
    telefoon = models.CharField("telefoon", max_length=30, blank=True)
    actief = models.BooleanField("actief", default=True)
    gebruiker = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="gebruikersaccount", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="persoon",
        help_text="Het account waarmee deze persoon inlogt. Een G40-coördinator ziet daarmee "
                  "alleen de overeenkomst van de gemeente hierboven.",
    )

    objects = NaamManager()

    class Meta:
        verbose_name = "persoon"
        verbose_name_plural = "personen"
        ordering = ["naam"]

    def __str__(self):
        return f"{self.naam} ({self.functie})" if self.functie else self.naam

    def natural_key(self):
        return (self.naam,)

    def clean(self):
        if self.rol == Rol.COORDINATOR and self.gebruiker_id and not self.gemeente_id:
            raise ValidationError({
                "gemeente": "Een G40-coördinator met een gebruikersaccount hoort bij één gemeente; "
                            "kies die gemeente.",
            })


class ConvenantManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


class Convenant(models.Model):
    """A convenant between Platform31 and the G40-Stedennetwerk.

    Holds what every per-city agreement takes from it: the period, the rate per
    inhabitant, the CBS reference date and the termination rule.
    """

    slug = models.SlugField("kenmerk", unique=True, help_text="Bijv. ‘2023-2027’.")
    titel = models.CharField("titel", max_length=300)
    korte_titel = models.CharField(
        "korte titel", max_length=200, blank=True,
        help_text="Zoals in de kop van de overeenkomst, bijv. ‘Samenwerken aan "
                  "Aantrekkelijke en Krachtige Steden, 2023 t/m 2027’.",
    )
    platform31 = models.ForeignKey(
        Organisatie, verbose_name="Platform31", on_delete=models.PROTECT, related_name="+",
    )
    g40 = models.ForeignKey(
        Organisatie, verbose_name="G40-Stedennetwerk", on_delete=models.PROTECT, related_name="+",
    )
    vertegenwoordiger_platform31 = models.ForeignKey(
        Persoon, verbose_name="vertegenwoordiger Platform31", on_delete=models.PROTECT,
        related_name="+",
    )
    vertegenwoordiger_g40 = models.ForeignKey(
        Persoon, verbose_name="vertegenwoordiger G40", on_delete=models.PROTECT, related_name="+",
    )
    secretaris_g40 = models.ForeignKey(
        Persoon, verbose_name="secretaris G40", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    relatiemanager = models.ForeignKey(
        Persoon, verbose_name="relatiemanager Platform31", null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    ondertekend_te = models.CharField("ondertekend te", max_length=100)
    ondertekend_op = models.DateField("ondertekend op")
    ingangsdatum = models.DateField(
        "ingangsdatum", help_text="Begin van de overeenkomsten met de gemeenten.",
    )
    einddatum = models.DateField(
        "einddatum", help_text="Laatste dag van de overeenkomsten; zij lopen dan van rechtswege af.",
    )
    verlengd_tot = models.DateField(
        "verlengd tot en met", null=True, blank=True,
        help_text="Laatste dag na een verlenging van het convenant (2019–2022: verlengd tot 1 maart "
                  "2023). De tekst en de factuurjaren van de overeenkomsten blijven die van de einddatum.",
    )
    bijdrage_per_inwoner = models.DecimalField(
        "bijdrage per inwoner per jaar", max_digits=6, decimal_places=2,
        help_text="Exclusief BTW, in euro.",
        validators=[MaxValueValidator(rules.MAX_BIJDRAGE_PER_INWONER, "Niet plausibel: meer dan € 10,00 per inwoner.")],
    )
    peildatum = models.DateField("CBS-peildatum inwoners")
    streefdatum_overeenkomsten = models.DateField(
        "streefdatum overeenkomsten", null=True, blank=True,
        help_text="Uiterlijk dan moeten alle overeenkomsten binnen zijn. Leeg als geen bron haar noemt "
                  "(2019–2022).",
    )
    opzeggen_voor_maand = models.PositiveSmallIntegerField(
        "opzeggen vóór (maand)", default=9,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )
    opzeggen_voor_dag = models.PositiveSmallIntegerField(
        "opzeggen vóór (dag)", default=1,
        validators=[MinValueValidator(1), MaxValueValidator(31)],
    )
    sjabloon = models.CharField(
        "sjabloon overeenkomst", max_length=20, choices=Sjabloon.choices,
        help_text="Welke tekst de overeenkomst per gemeente krijgt.",
    )

    history = HistoricalRecords()
    objects = ConvenantManager()

    class Meta:
        verbose_name = "convenant"
        verbose_name_plural = "convenanten"
        ordering = ["-ingangsdatum"]
        constraints = [
            models.CheckConstraint(
                condition=Q(einddatum__gt=F("ingangsdatum")),
                name="convenant_einde_na_begin",
                violation_error_message="De einddatum moet na de ingangsdatum liggen.",
            ),
            models.CheckConstraint(
                condition=Q(verlengd_tot__isnull=True) | Q(verlengd_tot__gt=F("einddatum")),
                name="convenant_verlenging_na_einde",
                violation_error_message="Een verlenging ligt na de einddatum.",
            ),
            models.CheckConstraint(
                condition=Q(bijdrage_per_inwoner__gt=0),
                name="convenant_bijdrage_positief",
                violation_error_message="De bijdrage per inwoner moet groter dan nul zijn.",
            ),
            models.CheckConstraint(
                condition=Q(bijdrage_per_inwoner__lte=rules.MAX_BIJDRAGE_PER_INWONER),
                name="convenant_bijdrage_plausibel",
                violation_error_message="Niet plausibel: meer dan € 10,00 per inwoner.",
            ),
        ]

    def __str__(self):
        return f"Convenant {self.slug}"

    def natural_key(self):
        return (self.slug,)

    @property
    def jaren(self) -> list[int]:
        return list(range(self.ingangsdatum.year, self.einddatum.year + 1))

    @property
    def loopt_tot(self) -> datetime.date:
        """The convenant's last day in practice: its extension, else its end date."""
        return self.verlengd_tot or self.einddatum

    @property
    def laatste_jaar(self) -> int:
        return self.einddatum.year

    def jaarbedrag(self, inwoners: int):
        return rules.jaarbedrag(inwoners, self.bijdrage_per_inwoner)

    def einddatum_na_opzegging(self, verzonden: datetime.date) -> datetime.date:
        """First day without the agreement after a notice sent on `verzonden` (art. 1.3)."""
        return rules.einddatum_na_opzegging(
            verzonden, self.einddatum, self.opzeggen_voor_maand, self.opzeggen_voor_dag
        )

    def opzegdeadline(self, jaar: int) -> datetime.date:
        """Last moment (exclusive) to give notice in `jaar` for 1 January of the next year."""
        return datetime.date(jaar, self.opzeggen_voor_maand, self.opzeggen_voor_dag)


class Pijler(models.Model):
    naam = models.CharField("naam", max_length=100, unique=True)
    volgorde = models.PositiveSmallIntegerField("volgorde", default=0)

    objects = NaamManager()

    class Meta:
        verbose_name = "pijler"
        verbose_name_plural = "pijlers"
        ordering = ["volgorde", "naam"]

    def __str__(self):
        return self.naam

    def natural_key(self):
        return (self.naam,)


class Themagroep(models.Model):
    """A theme group of Bijlage 2, inside a pijler or standalone."""

    naam = models.CharField("naam", max_length=200, unique=True)
    pijler = models.ForeignKey(
        Pijler, verbose_name="pijler", null=True, blank=True,
        on_delete=models.PROTECT, related_name="themagroepen",
        help_text="Leeg voor een zelfstandige themagroep.",
    )
    omschrijving = models.TextField("omschrijving", blank=True)
    raakt_aan = models.ManyToManyField(
        "self", verbose_name="raakt aan", blank=True, symmetrical=True,
    )
    volgorde = models.PositiveSmallIntegerField("volgorde", default=0)

    objects = NaamManager()

    class Meta:
        verbose_name = "themagroep"
        verbose_name_plural = "themagroepen"
        ordering = ["pijler__volgorde", "volgorde", "naam"]

    def __str__(self):
        return self.naam

    def natural_key(self):
        return (self.naam,)
