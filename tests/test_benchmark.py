"""The benchmark's own parts run against the current schema (make bench broke once on a new constraint)."""

import pytest

from benchmarks import run
from overeenkomsten.models import Samenwerkingsovereenkomst

from .bureau import genereer_gemeenten

pytestmark = pytest.mark.django_db


def test_paginas_bij_schaal_meten(referentiedata, beheerder_client, tmp_path):
    voor = Samenwerkingsovereenkomst.objects.count()
    genereer_gemeenten(12)
    assert Samenwerkingsovereenkomst.objects.count() == voor + 12

    gemeten = run.meet_paginas(beheerder_client, tmp_path, herhalingen=2)

    assert set(gemeten) == {"dashboard", "changelist overeenkomsten", "export CSV (exporteer_overeenkomsten)"}
    for naam, w in gemeten.items():
        assert w["queries"] > 0, naam
        assert w["tijd_s"]["n"] == 2 and w["tijd_s"]["min"] <= w["tijd_s"]["mediaan"] <= w["tijd_s"]["max"], naam
    assert "Proefstad 0011" in (tmp_path / "export.csv").read_text(encoding="utf-8-sig")
