"""The exports run a number of queries that does not grow with the number of municipalities.

Each test measures one export with the 41 real municipalities, then adds 300
generated ones (with agreements under both convenants, some signed, some
terminated) and measures again: the count must be the same.
"""

import datetime
import io

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from convenant.models import Convenant
from convenant.rules import jaarbedrag
from gemeenten.models import Gemeente, Inwonertal
from overeenkomsten.constants import Status
from overeenkomsten.models import Samenwerkingsovereenkomst

pytestmark = pytest.mark.django_db

EXTRA = 300


def voeg_gemeenten_toe(aantal: int) -> None:
    convenanten = list(Convenant.objects.all())
    gemeenten = Gemeente.objects.bulk_create([
        Gemeente(naam=f"Proefgemeente {i:04d}", slug=f"proefgemeente-{i:04d}", cbs_code=f"GM{5000 + i:04d}")
        for i in range(aantal)
    ])
    Inwonertal.objects.bulk_create([
        Inwonertal(gemeente=g, peildatum=c.peildatum, aantal=20_000 + i, bron="proef")
        for i, g in enumerate(gemeenten) for c in convenanten
    ])
    overeenkomsten = []
    for i, g in enumerate(gemeenten):
        for c in convenanten:
            ov = Samenwerkingsovereenkomst(
                convenant=c, gemeente=g, inwoners=20_000 + i, peildatum=c.peildatum,
                bijdrage_per_inwoner=c.bijdrage_per_inwoner,
                bedrag_per_jaar=jaarbedrag(20_000 + i, c.bijdrage_per_inwoner),
            )
            if i % 3:
                ov.status, ov.verzonden_op, ov.ontvangen_op = Status.ONDERTEKEND, c.ingangsdatum, c.ingangsdatum
            if i % 7 == 0:
                ov.status, ov.ontvangen_op = Status.OPGEZEGD, c.ingangsdatum
                ov.opzegging_verzonden_op = datetime.date(c.ingangsdatum.year + 1, 5, 1)
            overeenkomsten.append(ov)
    Samenwerkingsovereenkomst.objects.bulk_create(overeenkomsten)


def tel(doe) -> int:
    with CaptureQueriesContext(connection) as ctx:
        doe()
    return len(ctx.captured_queries)


def gelijk_bij_41_en_meer(doe) -> int:
    assert Gemeente.objects.count() == 41
    klein = tel(doe)
    voeg_gemeenten_toe(EXTRA)
    assert Gemeente.objects.count() == 41 + EXTRA
    groot = tel(doe)
    assert klein == groot, f"{klein} queries bij 41 gemeenten, {groot} bij {41 + EXTRA}"
    return groot


def commando(*args):
    return lambda: call_command(*args, stdout=io.StringIO(), stderr=io.StringIO())


def test_exporteer_overeenkomsten_csv(referentiedata):
    # the convenant by slug; the agreements with their municipality and convenant
    assert gelijk_bij_41_en_meer(commando("exporteer_overeenkomsten", "--convenant", "2023-2027")) == 2


def test_exporteer_overeenkomsten_xlsx(referentiedata, tmp_path):
    doe = commando("exporteer_overeenkomsten", "--convenant", "2023-2027", "--format", "xlsx",
                   "--out", str(tmp_path / "o.xlsx"))
    assert gelijk_bij_41_en_meer(doe) == 2


def test_factuurlijst(referentiedata):
    # the agreements of the convenants that cover the year, with municipality and convenant
    assert gelijk_bij_41_en_meer(commando("factuurlijst", "--jaar", "2024")) == 1


def test_vergelijk_convenanten(referentiedata):
    # two convenants by slug; the agreements of both
    assert gelijk_bij_41_en_meer(commando("vergelijk_convenanten")) == 3


def test_admin_actie_alles_geselecteerd(referentiedata, beheerder_client):
    url = reverse("admin:overeenkomsten_samenwerkingsovereenkomst_changelist")

    def doe():
        r = beheerder_client.post(url, {"action": "exporteer_csv", "select_across": "1", "index": 0,
                                        "_selected_action": ["1"]})
        assert r["Content-Type"].startswith("text/csv")
        assert r.content.count(b"\n") == Samenwerkingsovereenkomst.objects.count() + 1

    # `doe` itself counts once; the export is the rest
    gelijk_bij_41_en_meer(doe)


@pytest.mark.parametrize("naam, args, query", [
    ("rapportages:overzicht", ["2023-2027"], {}),
    ("rapportages:overzicht", ["2023-2027"], {"formaat": "xlsx"}),
    ("rapportages:factuurlijst", [], {"jaar": 2024}),
    ("rapportages:factuurlijst", [], {"jaar": 2024, "formaat": "csv"}),
    ("rapportages:vergelijking", [], {}),
    ("rapportages:vergelijking", [], {"formaat": "xlsx"}),
])
def test_rapportpaginas(referentiedata, beheerder_client, naam, args, query):
    url = reverse(naam, args=args)

    def doe():
        assert beheerder_client.get(url, query).status_code == 200

    gelijk_bij_41_en_meer(doe)
