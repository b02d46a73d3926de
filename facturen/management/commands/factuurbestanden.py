"""python manage.py factuurbestanden --jaar 2024 --out MAP"""

import os
from pathlib import Path

from django.core.management.base import CommandError

from facturen import documenten
from facturen.models import Factuur
from overeenkomsten.pdf import render_veel

from ._basis import FactuurCommand, jaar


class Command(FactuurCommand):
    help = ("Schrijft van elke factuur en creditnota over dat jaar <factuurnummer>.pdf en <factuurnummer>.xml "
            "(e-factuur UBL 2.1, Peppol BIS Billing 3.0) naar MAP.")

    def add_arguments(self, parser):
        parser.add_argument("--jaar", type=int, required=True, help="convenantjaar, bijv. 2024")
        parser.add_argument("--out", required=True, metavar="MAP", help="map waarin de bestanden komen")

    def handle(self, *args, **opts):
        map_ = Path(opts["out"])
        try:
            map_.mkdir(parents=True, exist_ok=True)
        except OSError as fout:
            raise CommandError(f"Kan de map {map_} niet maken: {fout.strerror}.") from None
        if not map_.is_dir() or not os.access(map_, os.W_OK | os.X_OK):
            raise CommandError(f"In {map_} kan niet worden geschreven; kies een andere map met --out.")
        facturen = list(Factuur.objects.filter(jaar=jaar(opts["jaar"]))
                        .select_related("gemeente", "crediteert", "vervangt").prefetch_related("regels")
                        .order_by("nummer"))
        if not facturen:
            self.stderr.write(f"Over {opts['jaar']} zijn geen facturen.")
            return
        xmls = [documenten.ubl(f) for f in facturen]   # before any file is written: a failure writes nothing
        pdfs = render_veel([documenten.html(f) for f in facturen])
        for f, pdf, xml in zip(facturen, pdfs, xmls, strict=True):
            (map_ / documenten.bestandsnaam(f, "pdf")).write_bytes(pdf)
            (map_ / documenten.bestandsnaam(f, "xml")).write_bytes(xml)
        self.stdout.write(f"{len(facturen)} facturen geschreven naar {map_} (elk een PDF en een XML).")
