"""The small forms of the admin's confirmation pages; each calls one workflow function."""

import re

from django import forms
from django.core.exceptions import ValidationError

from convenant import formatting, rules

from . import workflow
from .constants import OpgezegdDoor


class DatumInput(forms.DateInput):
    input_type = "date"  # the browser's own date picker, also on a phone

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


def datumveld(label, help_text=""):
    return forms.DateField(
        label=label, widget=DatumInput(), help_text=help_text,
        initial=workflow.vandaag, input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        error_messages={"invalid": "Vul een geldige datum in, bijv. 10-01-2023.",
                        "required": "Vul de datum in."},
    )


class OvergangForm(forms.Form):
    """Base: the agreements the step applies to are passed in, fields may depend on them."""

    overgang: str = ""

    def __init__(self, *args, overeenkomsten=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.overeenkomsten = list(overeenkomsten)

    def voer_uit(self, ov, gebruiker) -> str:
        """Run the step for one agreement; return what to tell the user."""
        raise NotImplementedError


class VerzendenForm(OvergangForm):
    overgang = "verzenden"
    verzonden_op = datumveld("verzonden op")

    def __init__(self, *args, adressen=None, **kwargs):
        super().__init__(*args, **kwargs)
        adressen = adressen or {}
        for ov in self.overeenkomsten:
            voorstel = ov.verzonden_aan or ", ".join(adressen.get(ov.gemeente_id, []))
            self.fields[f"aan_{ov.pk}"] = forms.CharField(
                label=f"aan ({ov.gemeente})", max_length=200, initial=voorstel,
                error_messages={"required": f"Vul in aan wie de overeenkomst van {ov.gemeente} ging."},
            )

    def aan_veld(self, ov):
        return self[f"aan_{ov.pk}"]

    def voer_uit(self, ov, gebruiker):
        workflow.markeer_verzonden(
            ov, self.cleaned_data["verzonden_op"], self.cleaned_data[f"aan_{ov.pk}"], gebruiker,
        )
        return f"{ov.gemeente}: verzonden op {formatting.datum(ov.verzonden_op)} aan {ov.verzonden_aan}."


class ScanVeld(forms.FileField):
    def __init__(self, **kwargs):
        super().__init__(
            label="getekende scan (PDF)", widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
            **kwargs,
        )


class OntvangenForm(OvergangForm):
    overgang = "ontvangen"
    ontvangen_op = datumveld("getekend ontvangen op")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if len(self.overeenkomsten) == 1:
            self.fields["scan"] = ScanVeld(
                required=False,
                help_text="Mag ook later worden toegevoegd (actie ‘Getekende scan toevoegen’).",
            )

    def voer_uit(self, ov, gebruiker):
        scan = self.cleaned_data.get("scan")
        workflow.markeer_ontvangen(ov, self.cleaned_data["ontvangen_op"], scan or None, gebruiker)
        zonder = "" if scan else " (nog zonder scan)"
        return f"{ov.gemeente}: ondertekend ontvangen op {formatting.datum(ov.ontvangen_op)}{zonder}."


class OpzeggenForm(OvergangForm):
    overgang = "opzeggen"
    opgezegd_door = forms.ChoiceField(
        label="opgezegd door", choices=[("", "—"), *OpgezegdDoor.choices],
        error_messages={"required": "Kies wie de overeenkomst heeft opgezegd."},
    )
    opzegging_verzonden_op = datumveld(
        "opzegging verzonden op",
        help_text="De verzenddatum beslist (art. 1.3): vóór 1 september verzonden, dan eindigt de "
                  "overeenkomst op 1 januari van het jaar daarna; later: een jaar later, nooit na het "
                  "eigen einde.",
    )
    opzegging_ontvangen_op = forms.DateField(
        label="opzegging ontvangen op", required=False, widget=DatumInput(),
        input_formats=["%Y-%m-%d", "%d-%m-%Y"],
        help_text="Datum waarop de andere partij de opzegging ontving; leeg als die (nog) niet bekend is.",
        error_messages={"invalid": "Vul een geldige datum in, bijv. 10-01-2023."},
    )

    def clean(self):
        cleaned = super().clean()
        verzonden, ontvangen = cleaned.get("opzegging_verzonden_op"), cleaned.get("opzegging_ontvangen_op")
        if verzonden and ontvangen and ontvangen < verzonden:
            self.add_error("opzegging_ontvangen_op", "De opzegging kan niet vóór haar verzending ontvangen zijn.")
        return cleaned

    def voer_uit(self, ov, gebruiker):
        laatste_dag = workflow.registreer_opzegging(
            ov, self.cleaned_data["opzegging_verzonden_op"], gebruiker,
            door=self.cleaned_data["opgezegd_door"],
            ontvangen_op=self.cleaned_data.get("opzegging_ontvangen_op"),
        )
        return (f"{ov.gemeente}: opgezegd door {ov.get_opgezegd_door_display().lower()}, verzonden op "
                f"{formatting.datum(ov.opzegging_verzonden_op)}; de overeenkomst loopt "
                f"t/m {formatting.datum(laatste_dag)}.")


class TerugdraaienForm(forms.Form):
    reden = forms.CharField(
        label="reden", max_length=workflow.REDEN_MAX - 30, widget=forms.TextInput(attrs={"size": 80}),
        help_text="Waarom deze stap onjuist was vastgelegd; wordt met uw naam in de geschiedenis bewaard.",
        error_messages={"required": "Geef een reden; die wordt in de geschiedenis bewaard."},
    )


class ScanForm(OvergangForm):
    overgang = "scan"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scan"] = ScanVeld(required=True)

    def clean(self):
        if len(self.overeenkomsten) != 1:
            raise ValidationError("Een scan hoort bij één overeenkomst: kies er precies één.")
        return super().clean()

    def voer_uit(self, ov, gebruiker):
        workflow.voeg_scan_toe(ov, self.cleaned_data["scan"], gebruiker)
        return f"{ov.gemeente}: getekende scan toegevoegd."


FORMULIEREN = {f.overgang: f for f in (VerzendenForm, OntvangenForm, OpzeggenForm, ScanForm)}

_AANTAL = re.compile(r"^(\d{1,3}(\.\d{3})+|\d+)$")


class AantalVeld(forms.CharField):
    """A whole number as people write it: 101446 or 101.446 (never read as 101)."""

    def to_python(self, value):
        value = super().to_python(value).strip().replace(" ", "")
        if value in self.empty_values:
            return None
        if not _AANTAL.match(value):
            raise ValidationError(f"‘{value}’ is geen aantal; schrijf bijv. 101446 of 101.446.")
        return int(value.replace(".", ""))


class CorrectieForm(forms.Form):
    inwoners = AantalVeld(label="juist aantal inwoners")
    reden = forms.CharField(
        label="reden", max_length=workflow.REDEN_MAX, widget=forms.TextInput(attrs={"size": 80}),
        help_text="Wordt met uw naam in de geschiedenis van de overeenkomst bewaard.",
    )

    def clean_inwoners(self):
        aantal = self.cleaned_data["inwoners"]
        if aantal is not None and (fout := rules.inwoners_fout(aantal)):
            raise ValidationError(fout[0].upper() + fout[1:] + ".")
        return aantal
