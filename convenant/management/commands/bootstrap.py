"""Migrate the database and load the reference data from fixtures/.

Rows that already exist (matched by their natural key: convenant slug, CBS
code, ...) are left exactly as they are, so running it again changes nothing
and never overwrites what users entered since.
"""

from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import transaction

FIXTURES_DIR = Path(settings.BASE_DIR) / "fixtures"


def laad_referentiedata(stdout=None) -> Counter:
    """Create the reference rows that are missing; return counts per model."""
    aangemaakt: Counter = Counter()
    nieuw: dict = {}
    with transaction.atomic():
        for path in sorted(FIXTURES_DIR.glob("*.json")):
            uitgesteld = []
            with path.open(encoding="utf-8") as fh:
                for obj in serializers.deserialize("json", fh, handle_forward_references=True):
                    model = type(obj.object)
                    if obj.object.pk is not None and model._default_manager.filter(pk=obj.object.pk).exists():
                        continue
                    obj.save()
                    aangemaakt[model._meta.verbose_name_plural] += 1
                    nieuw.setdefault(model, []).append(obj.object)
                    if obj.deferred_fields:
                        uitgesteld.append(obj)
            for obj in uitgesteld:
                obj.save_deferred_fields()
        # Raw fixture saves leave no history; give every new row its first version,
        # so the audit trail can show what a later change changed.
        for model, objecten in nieuw.items():
            history = getattr(model, "history", None)
            if history is not None and hasattr(history, "bulk_history_create"):
                history.bulk_history_create(objecten, default_change_reason="Referentiegegevens geladen")
    return aangemaakt


class Command(BaseCommand):
    help = "Migreert de database en laadt de referentiegegevens (convenanten, gemeenten, overeenkomsten, jaarplannen)."

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=max(0, options["verbosity"] - 1))
        aangemaakt = laad_referentiedata()
        if options["verbosity"] == 0:
            return
        if not aangemaakt:
            self.stdout.write(self.style.SUCCESS("Referentiegegevens waren al compleet; niets gewijzigd."))
            return
        for naam, aantal in aangemaakt.items():
            self.stdout.write(f"  {aantal:4d} {naam} aangemaakt")
        self.stdout.write(self.style.SUCCESS("Referentiegegevens geladen."))
