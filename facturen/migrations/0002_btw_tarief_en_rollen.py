"""The standard BTW rate (21 % since 1 October 2012) and what the four roles may do with invoices.

Frozen here on purpose, like convenant/0003_rollen:
- G40-secretariaat and Lezer: see every invoice and the facturen reference data;
- Relatiemanager Platform31 (Platform31 invoices): also make, send, record
  payment, credit and settle the surplus, and keep the invoice data of the cities;
- G40-coördinator: sees the invoices of the own municipality (scoped in the views).
"""

import datetime
from decimal import Decimal

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.db import migrations

ZIEN = ["view_factuur", "view_factuurregel", "view_btwtarief", "view_factuurgegevens", "view_nummerreeks",
        "view_overschotverrekening", "view_extrabijdrage"]
ROLLEN = {
    "G40-secretariaat": ZIEN + ["add_extrabijdrage", "change_extrabijdrage"],
    "Relatiemanager Platform31": ZIEN + [
        "add_factuur", "change_factuur", "add_factuurregel", "change_factuurregel",
        "verzend_factuur", "registreer_betaling", "crediteer_factuur",
        "add_factuurgegevens", "change_factuurgegevens", "add_overschotverrekening",
        "add_extrabijdrage", "change_extrabijdrage",
    ],
    "Lezer": ZIEN,
    "G40-coördinator": ["view_factuur"],
}


def vooruit(apps, schema_editor):
    alias = schema_editor.connection.alias
    BtwTarief = apps.get_model("facturen", "BtwTarief")
    BtwTarief.objects.using(alias).get_or_create(
        geldig_van=datetime.date(2012, 10, 1),
        defaults={"omschrijving": "algemeen tarief", "percentage": Decimal("21.00")},
    )
    create_permissions(global_apps.get_app_config("facturen"), verbosity=0, using=alias, apps=apps)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for naam, codes in ROLLEN.items():
        groep, _ = Group.objects.using(alias).get_or_create(name=naam)
        rechten = list(Permission.objects.using(alias).filter(content_type__app_label="facturen", codename__in=codes))
        if len(rechten) != len(codes):
            raise RuntimeError(f"Niet alle rechten voor {naam} bestaan")
        groep.permissions.add(*rechten)


def terug(apps, schema_editor):
    Permission = apps.get_model("auth", "Permission")
    Group = apps.get_model("auth", "Group")
    for groep in Group.objects.filter(name__in=ROLLEN):
        groep.permissions.remove(*Permission.objects.filter(content_type__app_label="facturen"))


class Migration(migrations.Migration):
    dependencies = [
        ("facturen", "0001_facturen"),
        ("convenant", "0003_rollen"),
    ]

    operations = [migrations.RunPython(vooruit, terug)]
