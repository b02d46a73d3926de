"""python manage.py genereer_overeenkomsten --convenant 2023-2027 [--gemeente NAAM ...] --out DIR"""

import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q

from convenant.models import Convenant
from convenant.uitvoer import controleer_map
from overeenkomsten import pdf
from overeenkomsten.models import Samenwerkingsovereenkomst


class Command(BaseCommand):
    help = (
        "Schrijft per gemeente de overeenkomst als PDF "
        "(samenwerkingsovereenkomst-<convenant>-<gemeente>.pdf), op alle processorkernen."
    )

    def add_arguments(self, parser):
        parser.add_argument("--convenant", required=True, help="Kenmerk, bijv. 2023-2027.")
        parser.add_argument(
            "--gemeente", nargs="+", action="extend", default=[], metavar="NAAM",
            help="Alleen deze gemeente(n): naam, slug of CBS-code. Standaard: alle.",
        )
        parser.add_argument("--out", required=True, type=Path, help="Map voor de PDF’s.")
        parser.add_argument(
            "--definitief", action="store_true",
            help="Alleen definitieve versies: weigert als een overeenkomst nog gegevens mist.",
        )
        parser.add_argument("--processen", type=int, default=None, help="Aantal processen (standaard: alle kernen).")

    def handle(self, *args, convenant, gemeente, out, definitief, processen, **options):
        controleer_map(out)  # before any work: a bad --out costs a second, not the rendering
        try:
            conv = Convenant.objects.get(slug=convenant)
        except Convenant.DoesNotExist:
            bekend = ", ".join(Convenant.objects.order_by("slug").values_list("slug", flat=True))
            raise CommandError(f"Onbekend convenant ‘{convenant}’. Bekend: {bekend}.") from None

        qs = Samenwerkingsovereenkomst.objects.filter(convenant=conv)
        if gemeente:
            qs = qs.filter(pk__in=self._kies(conv, qs, gemeente))
        try:
            documenten = pdf.maak_documenten(qs, definitief=definitief)
        except ValidationError as fout:
            raise CommandError("Niets geschreven. " + " ".join(fout.messages)) from None
        if not documenten:
            raise CommandError(f"Convenant {conv.slug} heeft geen overeenkomsten. Niets geschreven.")

        totaal = len(documenten)
        self.stdout.write(f"{totaal} overeenkomst(en) van convenant {conv.slug} renderen…")
        begin = time.perf_counter()

        interactief = self.stdout.isatty()
        stap = max(1, totaal // 10)

        def voortgang(klaar, totaal):
            if interactief:
                self.stdout.write(f"\r  {klaar}/{totaal} ({100 * klaar // totaal}%)", ending="")
                self.stdout.flush()
            elif klaar % stap == 0 or klaar == totaal:
                self.stdout.write(f"  {klaar}/{totaal} ({100 * klaar // totaal}%)")

        data = pdf.render_veel([d.html for d in documenten], processen=processen, voortgang=voortgang)
        if interactief:
            self.stdout.write("")

        # Written only once every document rendered: an error above leaves nothing behind.
        out.mkdir(parents=True, exist_ok=True)
        for document, inhoud in zip(documenten, data, strict=True):
            tijdelijk = out / (document.bestandsnaam + ".tmp")
            tijdelijk.write_bytes(inhoud)
            tijdelijk.replace(out / document.bestandsnaam)

        concepten = [d for d in documenten if d.concept]
        duur = time.perf_counter() - begin
        self.stdout.write(self.style.SUCCESS(
            f"{totaal} PDF’s geschreven naar {out} in {duur:.1f} s: "
            f"{totaal - len(concepten)} definitief, {len(concepten)} concept."
        ))
        if concepten and options["verbosity"] >= 1:
            self.stdout.write("Concepten (gegevens ontbreken): " + ", ".join(
                d.bestandsnaam for d in concepten[:10]) + (" …" if len(concepten) > 10 else ""))

    def _kies(self, conv, qs, namen):
        gekozen, onbekend = [], []
        for naam in namen:
            sleutel = naam.strip()
            match = list(qs.filter(
                Q(gemeente__naam__iexact=sleutel) | Q(gemeente__slug__iexact=sleutel)
                | Q(gemeente__cbs_code__iexact=sleutel)
            ).values_list("pk", flat=True))
            if match:
                gekozen.extend(match)
            else:
                onbekend.append(naam)
        if onbekend:
            raise CommandError(
                f"Geen overeenkomst onder convenant {conv.slug} voor: {', '.join(onbekend)}. "
                "Geef de naam, slug of CBS-code van een deelnemende gemeente. Niets geschreven."
            )
        return gekozen
