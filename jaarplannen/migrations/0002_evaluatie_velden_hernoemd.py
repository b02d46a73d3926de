# Renames ahead of the findings model: an evaluation's free-text `bevindingen`
# becomes its `samenvatting` (the findings get their own model, whose reverse
# name is `bevindingen`), and `gerapporteerd_op` becomes the date reported to
# the directeur of Platform31 (the voorzitter of G40 gets a date of his own).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("jaarplannen", "0001_initial"),
    ]

    operations = [
        migrations.RenameField("evaluatie", "bevindingen", "samenvatting"),
        migrations.RenameField("historicalevaluatie", "bevindingen", "samenvatting"),
        migrations.RenameField("evaluatie", "gerapporteerd_op", "gerapporteerd_directeur_op"),
        migrations.RenameField("historicalevaluatie", "gerapporteerd_op", "gerapporteerd_directeur_op"),
        migrations.RenameField("convenantevaluatie", "gerapporteerd_op", "gerapporteerd_directeur_op"),
        migrations.RenameField(
            "historicalconvenantevaluatie", "gerapporteerd_op", "gerapporteerd_directeur_op",
        ),
    ]
