"""Import and export of activities (CSV/XLSX) with django-import-export.

One row per activity; the columns are the ones `ActiviteitResource` exports, so
an exported file can be edited and imported again. A row is matched to an
existing activity by convenant, year and title; otherwise it is added.

All or nothing: if any row is refused, nothing is written (the admin only
offers to confirm an import without errors; `importeer_activiteiten` rolls the
whole file back). Errors are reported per row in Dutch, with the line number as
a spreadsheet shows it (the header is line 1, the first activity line 2).
"""

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

import tablib
from import_export import fields, resources, widgets
from import_export.formats import base_formats
from import_export.results import RowResult

from convenant.formules import EXPORTFORMATEN as VEILIGE_EXPORTFORMATEN
from convenant.models import Convenant, Persoon, Themagroep

from .constants import ActiviteitSoort, ActiviteitStatus
from .models import Activiteit, Jaarplan

KOLOMMEN = [
    "convenant", "jaar", "soort", "themagroep", "titel", "doel", "acties",
    "verantwoordelijke_g40", "verantwoordelijke_platform31", "planning", "budget", "status", "volgorde",
]
VERPLICHTE_KOLOMMEN = ["convenant", "jaar", "soort", "titel"]


def _tekst(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\u00a0", " ").strip()


def lees_geheel_getal(value, wat: str) -> int | None:
    """Whole numbers, strictly: ‘2024’, 2024 or 2024.0 (a spreadsheet cell); nothing else."""
    if value is None or _tekst(value) == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"{wat} ‘{value}’ is geen geheel getal.")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    tekst = _tekst(value)
    if re.fullmatch(r"\d+", tekst):
        return int(tekst)
    raise ValueError(f"{wat} ‘{tekst}’ is geen geheel getal.")


_BEDRAG_KAAL = re.compile(r"-?\d+(?:[.,]\d{1,2})?")
_BEDRAG_NL = re.compile(r"-?[1-9]\d{0,2}(?:\.\d{3})+(?:,\d{1,2})?")


def lees_bedrag(value) -> Decimal | None:
    """An amount in euro, to the cent: ‘1234,50’, ‘1234.50’, ‘1.234,50’, ‘€ 1.234,50’.

    A point followed by three digits groups thousands (Dutch notation): ‘1.500’
    is fifteen hundred. More than two decimals, or text, is refused.
    """
    if value is None or _tekst(value) == "":
        return None
    if isinstance(value, bool):
        raise ValueError(f"‘{value}’ is geen bedrag.")
    if isinstance(value, (int, float, Decimal)):
        bedrag = Decimal(str(value))
    else:
        tekst = _tekst(value).replace("€", "").replace(" ", "")
        if _BEDRAG_KAAL.fullmatch(tekst):
            bedrag = Decimal(tekst.replace(",", "."))
        elif _BEDRAG_NL.fullmatch(tekst):
            bedrag = Decimal(tekst.replace(".", "").replace(",", "."))
        else:
            raise ValueError(
                f"‘{_tekst(value)}’ is geen bedrag; schrijf bijvoorbeeld 1234,50 of 1.234,50."
            )
    try:
        afgerond = bedrag.quantize(Decimal("0.01"))
    except InvalidOperation as exc:
        raise ValueError(f"‘{_tekst(value)}’ is geen bedrag.") from exc
    if afgerond != bedrag:
        raise ValueError(f"Het bedrag {_tekst(value)} heeft meer dan twee decimalen.")
    return afgerond


class JaarplanWidget(widgets.Widget):
    """The jaarplan from two columns: `convenant` (its kenmerk) and `jaar`."""

    def __init__(self):
        super().__init__()
        self._cache = {}

    def clean(self, value, row=None, **kwargs):
        slug = _tekst((row or {}).get("convenant"))
        jaar = lees_geheel_getal(value, "Het jaar")
        if not slug:
            raise ValueError("Vul het convenant in (kolom ‘convenant’, bijv. 2023-2027).")
        if jaar is None:
            raise ValueError("Vul het jaar van het jaarplan in (kolom ‘jaar’).")
        sleutel = (slug, jaar)
        if sleutel not in self._cache:
            plan = Jaarplan.objects.select_related("convenant").filter(convenant__slug=slug, jaar=jaar).first()
            if plan is not None:
                self._cache[sleutel] = plan
            elif not Convenant.objects.filter(slug=slug).exists():
                self._cache[sleutel] = f"Onbekend convenant ‘{slug}’."
            else:
                self._cache[sleutel] = f"Het convenant {slug} heeft geen jaarplan {jaar}."
        if isinstance(self._cache[sleutel], str):
            raise ValueError(self._cache[sleutel])
        return self._cache[sleutel]

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.jaar


class KeuzeWidget(widgets.Widget):
    """A choice by its code or its label, in any case: ‘thema’ and ‘Specifiek thema’ both work."""

    def __init__(self, keuzes, wat: str, standaard=None):
        super().__init__()
        self.keuzes = keuzes
        self.wat = wat
        self.standaard = standaard

    def clean(self, value, row=None, **kwargs):
        tekst = _tekst(value)
        if not tekst:
            if self.standaard is not None:
                return self.standaard
            raise ValueError(f"Vul de {self.wat} in ({', '.join(self.keuzes.values)}).")
        for code, label in self.keuzes.choices:
            if tekst.lower() in (code.lower(), str(label).lower()):
                return code
        raise ValueError(
            f"Onbekende {self.wat} ‘{tekst}’; kies uit: {', '.join(self.keuzes.values)}."
        )


class NaamWidget(widgets.Widget):
    """A related row by its name (themagroep, persoon); an unknown name is refused, not created."""

    def __init__(self, model, wat: str):
        super().__init__()
        self.model = model
        self.wat = wat

    def clean(self, value, row=None, **kwargs):
        naam = _tekst(value)
        if not naam:
            return None
        obj = self.model.objects.filter(naam__iexact=naam).first()
        if obj is None:
            raise ValueError(f"Onbekende {self.wat} ‘{naam}’.")
        return obj

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value.naam


class BedragWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return lees_bedrag(value)

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return value if kwargs.get("force_native_type") else f"{value:.2f}"


class GeheelGetalWidget(widgets.Widget):
    def __init__(self, wat: str, standaard=None):
        super().__init__()
        self.wat = wat
        self.standaard = standaard

    def clean(self, value, row=None, **kwargs):
        getal = lees_geheel_getal(value, self.wat)
        return self.standaard if getal is None else getal

    def render(self, value, obj=None, **kwargs):
        if kwargs.get("force_native_type") and isinstance(value, int):
            return value  # a number cell in XLSX
        return super().render(value, obj, **kwargs)


class TekstWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        return _tekst(value)


class ActiviteitResource(resources.ModelResource):
    convenant = fields.Field(attribute="jaarplan__convenant__slug", column_name="convenant", readonly=True)
    jaarplan = fields.Field(attribute="jaarplan", column_name="jaar", widget=JaarplanWidget())
    soort = fields.Field(attribute="soort", column_name="soort", widget=KeuzeWidget(ActiviteitSoort, "soort"))
    themagroep = fields.Field(
        attribute="themagroep", column_name="themagroep", widget=NaamWidget(Themagroep, "themagroep"),
    )
    titel = fields.Field(attribute="titel", column_name="titel", widget=TekstWidget())
    doel = fields.Field(attribute="doel", column_name="doel", widget=TekstWidget())
    acties = fields.Field(attribute="acties", column_name="acties", widget=TekstWidget())
    verantwoordelijke_g40 = fields.Field(
        attribute="verantwoordelijke_g40", column_name="verantwoordelijke_g40",
        widget=NaamWidget(Persoon, "persoon"),
    )
    verantwoordelijke_platform31 = fields.Field(
        attribute="verantwoordelijke_platform31", column_name="verantwoordelijke_platform31",
        widget=NaamWidget(Persoon, "persoon"),
    )
    planning = fields.Field(attribute="planning", column_name="planning", widget=TekstWidget())
    budget = fields.Field(attribute="budget", column_name="budget", widget=BedragWidget())
    status = fields.Field(
        attribute="status", column_name="status",
        widget=KeuzeWidget(ActiviteitStatus, "status", standaard=ActiviteitStatus.GEPLAND),
    )
    volgorde = fields.Field(
        attribute="volgorde", column_name="volgorde", widget=GeheelGetalWidget("De volgorde", standaard=0),
    )

    class Meta:
        model = Activiteit
        fields = KOLOMMEN[:1] + ["jaarplan"] + KOLOMMEN[2:]
        export_order = fields
        import_id_fields = []
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        use_transactions = True

    def get_queryset(self):
        return super().get_queryset().select_related(
            "jaarplan__convenant", "themagroep__pijler", "verantwoordelijke_g40", "verantwoordelijke_platform31",
        ).order_by(
            "jaarplan__convenant__ingangsdatum", "jaarplan__jaar", "soort", "themagroep__pijler__volgorde",
            "themagroep__volgorde", "volgorde", "pk",
        )

    def before_import(self, dataset, **kwargs):
        koppen = [_tekst(k).lower() for k in (dataset.headers or [])]
        ontbrekend = [k for k in VERPLICHTE_KOLOMMEN if k not in koppen]
        if ontbrekend:
            raise ValueError(
                f"Het bestand mist de kolom(men) {', '.join(ontbrekend)}. "
                f"Verwacht worden de kolommen: {', '.join(KOLOMMEN)}."
            )
        dataset.headers = koppen
        # Two lines for the same activity would silently overwrite each other.
        self._eerste_regel = {}
        self._dubbel = {}
        for nummer, rij in enumerate(dataset.dict, start=2):
            sleutel = (_tekst(rij.get("convenant")), _tekst(rij.get("jaar")), _tekst(rij.get("titel")).lower())
            if not sleutel[2]:
                continue
            if sleutel in self._eerste_regel:
                self._dubbel[nummer] = self._eerste_regel[sleutel]
            else:
                self._eerste_regel[sleutel] = nummer

    def before_import_row(self, row, **kwargs):
        regel = kwargs["row_number"] + 1
        if regel in getattr(self, "_dubbel", {}):
            raise ValidationError({
                "titel": f"Deze activiteit staat al op regel {self._dubbel[regel]} van het bestand.",
            })

    def import_row(self, row, instance_loader, **kwargs):
        # An empty line (a spreadsheet's trailing rows) is skipped, keeping the line numbers.
        if all(_tekst(waarde) == "" for waarde in row.values()):
            resultaat = self.get_row_result_class()()
            resultaat.import_type = RowResult.IMPORT_TYPE_SKIP
            return resultaat
        return super().import_row(row, instance_loader, **kwargs)

    def get_instance(self, instance_loader, row):
        titel = _tekst(row.get("titel"))
        if not titel:
            return None
        try:
            plan = self.fields["jaarplan"].widget.clean(row.get("jaar"), row=row)
        except ValueError:
            return None  # the row is refused when its fields are read
        return Activiteit.objects.filter(jaarplan=plan, titel=titel).first()


@dataclass
class Importuitkomst:
    nieuw: int = 0
    gewijzigd: int = 0
    ongewijzigd: int = 0
    fouten: list[str] = field(default_factory=list)

    @property
    def gelukt(self) -> bool:
        return not self.fouten


def foutregels(result) -> list[str]:
    """Every refusal of an import result as a Dutch line: ‘Regel 3, themagroep: …’."""
    velden = {f.name: str(f.verbose_name) for f in Activiteit._meta.fields}
    velden["jaarplan"] = "convenant/jaar"
    regels = [f"Bestand: {fout.error}" for fout in result.base_errors]
    for nummer, fouten in result.row_errors():
        for fout in fouten:
            regels.append(f"Regel {nummer + 1}: {fout.error}")
    for rij in result.invalid_rows:
        for veld, meldingen in rij.field_specific_errors.items():
            # A value that could not be read also fails the model's own check; say it once.
            regels.append(f"Regel {rij.number + 1}, {velden.get(veld, veld)}: {meldingen[0]}")
        for melding in rij.non_field_specific_errors:
            regels.append(f"Regel {rij.number + 1}: {melding}")
    return regels


class CSV(base_formats.CSV):
    """CSV in UTF-8 (with or without BOM), separated by commas or, as Dutch Excel writes it, semicolons."""

    def create_dataset(self, in_stream, **kwargs):
        if isinstance(in_stream, bytes):
            try:
                in_stream = in_stream.decode(self.encoding or "utf-8-sig")
            except UnicodeDecodeError as exc:
                raise ValueError("Het CSV-bestand is geen UTF-8; sla het op als ‘CSV UTF-8’.") from exc
        in_stream = in_stream.lstrip("\ufeff")
        eerste_regel = in_stream.splitlines()[0] if in_stream else ""
        kwargs.setdefault("delimiter", ";" if eerste_regel.count(";") > eerste_regel.count(",") else ",")
        return tablib.import_set(in_stream, format="csv", **kwargs)


IMPORTFORMATEN = [CSV, base_formats.XLSX]
EXPORTFORMATEN = VEILIGE_EXPORTFORMATEN  # text that could be a formula is neutralised


def lees_bestand(inhoud: bytes, formaat: str) -> tablib.Dataset:
    """A CSV or XLSX file as a dataset."""
    formaat = formaat.lower().lstrip(".")
    if formaat == "csv":
        return CSV(encoding="utf-8-sig").create_dataset(inhoud)
    if formaat == "xlsx":
        return base_formats.XLSX().create_dataset(inhoud)
    raise ValueError(f"Onbekend bestandsformaat ‘{formaat}’; gebruik CSV of XLSX.")


def importeer_activiteiten(dataset: tablib.Dataset, dry_run: bool = False) -> Importuitkomst:
    """Import activities all or nothing: one refused row and nothing is written."""
    result = ActiviteitResource().import_data(
        dataset, dry_run=dry_run, raise_errors=False, use_transactions=True,
        rollback_on_validation_errors=True,
    )
    uitkomst = Importuitkomst(fouten=foutregels(result))
    if uitkomst.fouten:
        return uitkomst
    totalen = result.totals
    uitkomst.nieuw = totalen.get("new", 0)
    uitkomst.gewijzigd = totalen.get("update", 0)
    uitkomst.ongewijzigd = totalen.get("skip", 0)
    return uitkomst
