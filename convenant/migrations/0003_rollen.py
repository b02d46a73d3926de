"""The four roles of the secretary's desk, as groups with their permissions.

Frozen here on purpose (a migration must not import code that changes later):
- G40-secretariaat: sees everything, records receipts, scans, notices and
  corrections of inhabitants, keeps the jaarplannen and evaluations (with their findings);
- Relatiemanager Platform31: sees everything, adds and edits agreements,
  records them as sent (the PDF is kept);
- Lezer: sees everything except the documents (sent PDFs, signed scans);
("Everything" is every view permission of the domain apps, except the historical
models and the calendar subscription tokens, which only an administrator manages.)
- G40-coördinator: sees only the agreement of the municipality of the person
  linked to the account (Persoon.gebruiker + Persoon.gemeente) and its documents.

Permissions do not exist yet on a fresh database while migrations run (Django
creates them in post_migrate), so they are created here first.
"""

from django.apps import apps as global_apps
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations

DOMEIN_APPS = ["convenant", "gemeenten", "overeenkomsten", "jaarplannen"]

ALLES_ZIEN = "*view"  # every view permission of the domain apps, see NIET_VOOR_ROLLEN
NIET_VOOR_ROLLEN = {"jaarplannen.view_kalendertoken"}

ROLLEN = {
    "G40-secretariaat": [
        ALLES_ZIEN,
        "overeenkomsten.alle_gemeenten",
        "overeenkomsten.registreer_status",
        "overeenkomsten.corrigeer_inwoners",
        "overeenkomsten.bekijk_documenten",
        "jaarplannen.add_jaarplan", "jaarplannen.change_jaarplan",
        "jaarplannen.add_activiteit", "jaarplannen.change_activiteit",
        "jaarplannen.add_evaluatie", "jaarplannen.change_evaluatie",
        "jaarplannen.add_bevinding", "jaarplannen.change_bevinding",
        "jaarplannen.add_convenantevaluatie", "jaarplannen.change_convenantevaluatie",
    ],
    "Relatiemanager Platform31": [
        ALLES_ZIEN,
        "overeenkomsten.alle_gemeenten",
        "overeenkomsten.add_samenwerkingsovereenkomst",
        "overeenkomsten.change_samenwerkingsovereenkomst",
        "overeenkomsten.verzend_overeenkomst",
        "overeenkomsten.bekijk_documenten",
    ],
    "Lezer": [
        ALLES_ZIEN,
        "-overeenkomsten.view_overeenkomstdocument",
        "overeenkomsten.alle_gemeenten",
    ],
    "G40-coördinator": [
        "overeenkomsten.view_samenwerkingsovereenkomst",
        "overeenkomsten.view_overeenkomstdocument",
        "overeenkomsten.bekijk_documenten",
    ],
}


def maak_rollen(apps, schema_editor):
    alias = schema_editor.connection.alias
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=alias, apps=apps)

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    alle = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.using(alias).select_related("content_type")
    }
    zien = {
        naam for naam, p in alle.items()
        if p.content_type.app_label in DOMEIN_APPS and p.codename.startswith("view_")
        and not p.content_type.model.startswith("historical")
    } - NIET_VOOR_ROLLEN
    for groepnaam, regels in ROLLEN.items():
        namen = set()
        for regel in regels:
            if regel == ALLES_ZIEN:
                namen |= zien
            elif regel.startswith("-"):
                namen.discard(regel[1:])
            else:
                namen.add(regel)
        ontbreekt = sorted(namen - alle.keys())
        if ontbreekt:
            raise RuntimeError(f"Rechten voor {groepnaam} bestaan niet: {', '.join(ontbreekt)}")
        groep, _ = Group.objects.using(alias).get_or_create(name=groepnaam)
        groep.permissions.set([alle[n] for n in namen])


def verwijder_rollen(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Group.objects.using(schema_editor.connection.alias).filter(name__in=ROLLEN).delete()


class Migration(migrations.Migration):

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("convenant", "0002_persoon_gebruiker"),
        ("gemeenten", "0001_initial"),
        ("overeenkomsten", "0002_rechten_en_verzenddatum"),
        ("jaarplannen", "0003_bevindingen_projectbladen_kalendertoken"),
    ]

    operations = [
        migrations.RunPython(maak_rollen, verwijder_rollen),
    ]
