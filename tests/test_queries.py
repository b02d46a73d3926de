"""Query discipline: the dashboard and the changelists cost the same for 41 or 300 municipalities."""

import datetime

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

import pytest

from convenant import toegang
from convenant.models import Convenant
from gemeenten.models import Gemeente
from overeenkomsten.models import Samenwerkingsovereenkomst

from .bureau import genereer_gemeenten, maak_gebruiker

pytestmark = pytest.mark.django_db

D = datetime.date
EXTRA = 260  # 41 + 260 = 301 municipalities


def queries(client, url) -> list[str]:
    with CaptureQueriesContext(connection) as ctx:
        r = client.get(url)
    assert r.status_code == 200, url
    # ATOMIC_REQUESTS wraps each request in a savepoint here; those are not queries.
    return [q["sql"] for q in ctx.captured_queries if "SAVEPOINT" not in q["sql"]]


PAGINAS = {
    "dashboard": lambda: "/",
    "dashboard 2019-2022": lambda: "/?convenant=2019-2022",
    "overeenkomsten": lambda: reverse("admin:overeenkomsten_samenwerkingsovereenkomst_changelist"),
    "overeenkomsten 2023-2027, alle": lambda: reverse("admin:overeenkomsten_samenwerkingsovereenkomst_changelist")
    + f"?convenant__id__exact={Convenant.objects.get(slug='2023-2027').pk}&all=",
    "documenten": lambda: reverse("admin:overeenkomsten_overeenkomstdocument_changelist") + "?all=",
    "gemeenten": lambda: reverse("admin:gemeenten_gemeente_changelist") + "?all=",
    "inwonertallen": lambda: reverse("admin:gemeenten_inwonertal_changelist"),
    "workflow, 300 gekozen": lambda: reverse("admin:overeenkomsten_samenwerkingsovereenkomst_overgang",
                                             args=["verzenden"]) + "?ids="
    + ",".join(str(pk) for pk in Samenwerkingsovereenkomst.objects.values_list("pk", flat=True)),
}


@pytest.mark.parametrize(("rol", "pagina"), [
    *(("beheerder", p) for p in PAGINAS),
    # with group permissions; the secretariaat does not send agreements
    *((toegang.SECRETARIAAT, p) for p in PAGINAS if not p.startswith("workflow")),
])
def test_aantal_queries_groeit_niet_met_gemeenten(referentiedata, beheerder, django_user_model, client, rol, pagina):
    client.force_login(beheerder if rol == "beheerder" else maak_gebruiker(django_user_model, rol, "secr"))
    url = PAGINAS[pagina]
    queries(client, url())  # warm up caches (content types)
    bij_41 = queries(client, url())
    genereer_gemeenten(EXTRA)
    assert Gemeente.objects.count() == 41 + EXTRA
    bij_301 = queries(client, url())
    assert len(bij_301) == len(bij_41), "\n".join(bij_301)


def test_dashboard_queries_vastgelegd(referentiedata, beheerder_client):
    genereer_gemeenten(EXTRA)
    # 1 session, 2 user, 3 convenants, 4 agreements with municipality and "has a scan",
    # 5 members without an agreement; the calendar of obligations: 6 jaarplannen,
    # 7 their evaluations, 8 the convenant evaluation; the year's invoicing: 9 the agreements to invoice,
    # 10 the year's invoices, 11 overdue payments; the invoices on the calendar (facturen.kalender):
    # 12 the convenant's invoices, 13 its agreements. (A superuser needs no permission queries.)
    gezien = queries(beheerder_client, "/")
    assert len(gezien) == 13, "\n".join(gezien)
    html = beheerder_client.get("/").content.decode()
    assert f"{1 + EXTRA // 2} van {41 + EXTRA} ondertekend" in html


def test_coordinator_changelist_queries(referentiedata, django_user_model, client):
    almere = Gemeente.objects.get(naam="Almere")
    client.force_login(maak_gebruiker(django_user_model, toegang.COORDINATOR, "coord", gemeente=almere))
    url = reverse("admin:overeenkomsten_samenwerkingsovereenkomst_changelist")
    queries(client, url)
    bij_41 = queries(client, url)
    genereer_gemeenten(EXTRA)
    bij_301 = queries(client, url)
    assert len(bij_301) == len(bij_41)
    # the coördinator's municipality is looked up once per request, not per call
    assert sum('"convenant_persoon"' in q for q in bij_301) == 1
