"""Bring an existing database in line with the sources (issue 10, item 4); see fixtures/README.md.

A fresh database gets the same from the fixtures (`manage.py bootstrap`); this
migration changes only rows that still carry the old, contradicted values, so
it never overwrites what users recorded since:

- convenant 2019-2022: extended until 28 February 2023 (seed 000: "verlengd tot
  1 maart 2023"); its target date 1 January 2019 was invented: no source gives one;
- the secretary's and relatiemanager's e-mail addresses from the same letter;
- the 2019–2022 agreements still in concept without any workflow date: signed,
  date unknown (seed 000: "ieder lid van de G40 [heeft] een eigen
  samenwerkingsovereenkomst met Platform31"), with a line in their history.
"""

import datetime

from django.db import migrations
from django.utils import timezone

REDEN = "Bronnen: ondertekend, datum onbekend (brief 21 december 2022)"
OPMERKING = ("Ondertekend volgens de brief van 21 december 2022 (‘ieder lid van de G40 [heeft] een eigen "
             "samenwerkingsovereenkomst met Platform31’); de datum van ondertekening en ontvangst staat in "
             "geen enkele bron.")
EMAILS = {"Genie Hendriks": "ej.hendriks@breda.nl", "Anjel Punte": "anjel.punte@platform31.nl"}


def volgens_de_bronnen(apps, schema_editor):
    Convenant = apps.get_model("convenant", "Convenant")
    Persoon = apps.get_model("convenant", "Persoon")
    Overeenkomst = apps.get_model("overeenkomsten", "Samenwerkingsovereenkomst")
    Historie = apps.get_model("overeenkomsten", "HistoricalSamenwerkingsovereenkomst")

    Convenant.objects.filter(slug="2019-2022", einddatum=datetime.date(2022, 12, 31), verlengd_tot__isnull=True) \
        .update(verlengd_tot=datetime.date(2023, 2, 28))
    Convenant.objects.filter(slug="2019-2022", streefdatum_overeenkomsten=datetime.date(2019, 1, 1)) \
        .update(streefdatum_overeenkomsten=None)
    for naam, email in EMAILS.items():
        Persoon.objects.filter(naam=naam, email="").update(email=email)

    nu = timezone.now()
    velden = [f.attname for f in Overeenkomst._meta.concrete_fields]
    for ov in Overeenkomst.objects.filter(
        convenant__slug="2019-2022", status="concept", verzonden_op__isnull=True, ontvangen_op__isnull=True,
    ):
        ov.status = "ondertekend"
        ov.datum_onbekend = True
        ov.opmerking = ov.opmerking or OPMERKING
        Overeenkomst.objects.filter(pk=ov.pk).update(status=ov.status, datum_onbekend=True, opmerking=ov.opmerking)
        Historie.objects.create(
            **{v: getattr(ov, v) for v in velden}, history_date=nu, history_type="~",
            history_change_reason=REDEN,
        )


class Migration(migrations.Migration):

    dependencies = [
        ("convenant", "0006_verlenging_en_streefdatum_optioneel"),
        ("overeenkomsten", "0005_opzegging_verzonden_en_datum_onbekend"),
    ]

    operations = [
        migrations.RunPython(volgens_de_bronnen, migrations.RunPython.noop),
    ]
