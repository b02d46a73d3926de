from decimal import Decimal

from django import forms
from django.utils import timezone

from convenant.models import Convenant


def datumveld(label, help_text="", required=True):
    return forms.DateField(label=label, help_text=help_text, required=required,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                           input_formats=["%Y-%m-%d", "%d-%m-%Y"])


class FactureerForm(forms.Form):
    convenant = forms.ModelChoiceField(Convenant.objects.order_by("-ingangsdatum"), label="convenant")
    jaar = forms.IntegerField(label="jaar", min_value=1900, max_value=2200)
    factuurdatum = datumveld("factuurdatum", "Leeg: vandaag, niet vóór 1 januari van het jaar.", required=False)


class OverschotForm(forms.Form):
    convenant = forms.ModelChoiceField(Convenant.objects.order_by("-ingangsdatum"), label="convenant")
    bedrag = forms.DecimalField(label="overschot (euro)", min_value=Decimal("0.01"), decimal_places=2,
                                max_digits=12, help_text="Het door beide partijen vastgestelde overschot.")
    vastgesteld_op = datumveld("vastgesteld op")


class DatumForm(forms.Form):
    datum = datumveld("datum")

    def __init__(self, *args, label="datum", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["datum"].label = label
        self.fields["datum"].initial = timezone.localdate()


class OpvolgerForm(forms.Form):
    slug = forms.SlugField(label="kenmerk nieuw convenant", help_text="Bijv. ‘2028-2032’.")
    ingangsdatum = datumveld("ingangsdatum")
    einddatum = datumveld("einddatum")
    bijdrage = forms.DecimalField(label="bijdrage per inwoner per jaar (euro)", min_value=Decimal("0.01"),
                                  decimal_places=2, max_digits=6)
    peildatum = datumveld("CBS-peildatum inwoners")
