"""The secretariaat and the relatiemanager keep the data the documents need.

Both roles may change a municipality (address, seat, G40 contact e-mail),
add and change persons (and link a person to an existing staff account; the
admin offers only active staff accounts that are not superusers), and import
CBS figures (add and change inhabitants). Users and groups stay with a
superuser. Every role sees the log of e-mails about the agreements it sees
(`overeenkomsten.view_bericht`; the kept .eml itself is a document, behind
`bekijk_documenten`). Frozen like 0003_rollen: names, not code that changes later.
"""

from django.db import migrations

ERBIJ = [
    "gemeenten.change_gemeente",
    "convenant.add_persoon",
    "convenant.change_persoon",
    "gemeenten.add_inwonertal",
    "gemeenten.change_inwonertal",
]
GROEPEN = ["G40-secretariaat", "Relatiemanager Platform31"]
BERICHTEN = "overeenkomsten.view_bericht"
ALLE_ROLLEN = ["G40-secretariaat", "Relatiemanager Platform31", "Lezer", "G40-coördinator"]


def _rechten(apps, alias, namen):
    from django.apps import apps as global_apps
    from django.contrib.auth.management import create_permissions

    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=alias, apps=apps)
    Permission = apps.get_model("auth", "Permission")
    gevonden = []
    for naam in namen:
        app_label, codename = naam.split(".")
        gevonden.append(Permission.objects.using(alias).get(content_type__app_label=app_label, codename=codename))
    return gevonden


def geef(apps, schema_editor):
    alias = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    rechten = _rechten(apps, alias, ERBIJ)
    [berichten] = _rechten(apps, alias, [BERICHTEN])
    for naam in ALLE_ROLLEN:
        groep, _ = Group.objects.using(alias).get_or_create(name=naam)
        groep.permissions.add(berichten, *(rechten if naam in GROEPEN else []))


def neem_terug(apps, schema_editor):
    alias = schema_editor.connection.alias
    Group = apps.get_model("auth", "Group")
    rechten = _rechten(apps, alias, [*ERBIJ, BERICHTEN])
    for groep in Group.objects.using(alias).filter(name__in=ALLE_ROLLEN):
        groep.permissions.remove(*rechten)


class Migration(migrations.Migration):

    dependencies = [
        ("convenant", "0006_verlenging_en_streefdatum_optioneel"),
        ("overeenkomsten", "0007_berichten"),
    ]

    operations = [
        migrations.RunPython(geef, neem_terug),
    ]
