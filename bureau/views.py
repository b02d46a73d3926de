"""The desk: the secretary's dashboard and the report pages, which combine the apps below.

Views only choose what to show and how; the numbers come from
:mod:`bureau.dashboard` and :mod:`overeenkomsten.rapportages`, and who may see
what from :mod:`convenant.toegang`.
"""

from django.contrib import admin, messages
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone

from convenant import formatting, rules, toegang
from convenant.models import Convenant
from facturen import overzicht as facturen_overzicht
from facturen import toegang as facturen_toegang
from jaarplannen import kalender
from overeenkomsten import berichten, rapportages, resources, workflow
from overeenkomsten.constants import BerichtStatus, status_label
from overeenkomsten.models import OvereenkomstDocument, Samenwerkingsovereenkomst
from overeenkomsten.pdf import ontbrekende_velden

from . import dashboard as dashboard_data

# Reports list every municipality's amounts: for staff who may view all agreements.
RAPPORTAGE = toegang.vereist(toegang.BEKIJK_OVEREENKOMSTEN, alle_gemeenten=True)

def _standaard_convenant(convenanten, vandaag):
    """The convenant running today, else the most recent one."""
    for c in convenanten:
        if c.ingangsdatum <= vandaag <= c.einddatum:
            return c
    return convenanten[0] if convenanten else None


@toegang.vereist(toegang.BEKIJK_OVEREENKOMSTEN)
def dashboard(request):
    """The secretary's overview of one convenant's agreements."""
    user = request.user
    if not toegang.ziet_alle_gemeenten(user):
        # A G40-coördinator sees only their own municipality: on their own page.
        return HttpResponseRedirect(reverse("mijn_gemeente"))
    vandaag = workflow.vandaag()
    convenanten = list(
        Convenant.objects.select_related("vertegenwoordiger_platform31", "vertegenwoordiger_g40")
        .order_by("-ingangsdatum")
    )
    slug = request.GET.get("convenant")
    if slug:
        convenant = next((c for c in convenanten if c.slug == slug), None)
        if convenant is None:
            raise Http404(f"Er is geen convenant ‘{slug}’.")
    else:
        convenant = _standaard_convenant(convenanten, vandaag)
    context = {
        **admin.site.each_context(request),
        "convenanten": convenanten,
        "convenant": convenant,
        "o": dashboard_data.overzicht(convenant, vandaag) if convenant else None,
        "mag_wijzigen": user.has_perm(toegang.REGISTREER_STATUS) or user.has_perm(toegang.VERZENDEN),
        "mag_herinneren": user.has_perm(toegang.VERZENDEN),
        "facturering": (
            facturen_overzicht.facturering_stand(convenant, vandaag)
            if convenant and user.has_perm(facturen_toegang.BEKIJKEN) else None
        ),
        "verplichtingen": (
            kalender.voor_dashboard(vandaag, convenant=convenant)
            if convenant and user.has_perm(toegang.BEKIJK_JAARPLANNEN) else None
        ),
    }
    return render(request, "g40/dashboard.html", context)

@toegang.vereist(toegang.BEKIJK_OVEREENKOMSTEN)
def mijn_gemeente(request):
    """A G40-coördinator's own page: their municipality's agreements, documents, what is missing.

    Everything comes through `convenant.toegang`, so nothing of another city can
    show; staff who see every municipality belong on the desk.
    """
    user = request.user
    if toegang.ziet_alle_gemeenten(user):
        return redirect("home")
    gemeente = toegang.gemeente_van(user)
    overeenkomsten = list(
        toegang.overeenkomsten_voor(user, Samenwerkingsovereenkomst.objects.all())
        .select_related("convenant__vertegenwoordiger_platform31", "convenant__platform31", "gemeente")
        .order_by("-convenant__ingangsdatum")
    )
    documenten = {}
    if toegang.mag_documenten_zien(user):
        for doc in toegang.documenten_voor(user, OvereenkomstDocument.objects.filter(
                overeenkomst__in=overeenkomsten).order_by("-aangemaakt_op")):
            documenten.setdefault(doc.overeenkomst_id, []).append(doc)
    rijen = [{
        "ov": ov,
        "documenten": documenten.get(ov.pk, []),
        "ontbreekt": [] if ov.is_getekend else ontbrekende_velden(ov),
    } for ov in overeenkomsten]
    return render(request, "g40/mijn_gemeente.html", {
        **admin.site.each_context(request),
        "title": f"Gemeente {gemeente}" if gemeente else "Mijn gemeente",
        "gemeente": gemeente,
        "rijen": rijen,
    })


@transaction.non_atomic_requests  # each reminder commits, then leaves, before the page reports it
@toegang.vereist(toegang.VERZENDEN, alle_gemeenten=True)
def herinneringen(request, convenant):
    """Reminders for one convenant: a confirmation page that lists the recipients, then POST to send.

    Only agreements that were sent and are not yet signed get one (with the
    sent PDF again); those not yet sent are listed for the relatiemanager.
    """
    convenant = get_object_or_404(Convenant.objects.select_related("platform31", "relatiemanager"),
                                  slug=convenant)
    lijst = berichten.herinneringen(convenant)
    if request.method == "POST":
        verstuurd = berichten.verstuur_herinneringen(lijst, request.user)
        mislukt = [b for b in verstuurd if b.status == BerichtStatus.MISLUKT]
        if not verstuurd:
            messages.warning(request, "Er is geen herinnering verstuurd: geen verzonden overeenkomst wacht "
                                      "op een handtekening.")
        else:
            (messages.error if mislukt else messages.success)(request, f"Herinneringen {convenant.slug}: "
                                                                       f"{berichten.samenvatting(verstuurd)}")
        return redirect(f"{reverse('home')}?convenant={convenant.slug}")
    return render(request, "g40/herinneringen.html", {
        **admin.site.each_context(request),
        "title": f"Herinneringen {convenant.slug}",
        "convenant": convenant,
        "lijst": lijst,
        **berichten.terugsturen_naar(convenant),
    })


def _cel(kolom, waarde) -> str:
    if waarde is None or waarde == "":
        return ""
    match kolom.soort:
        case rapportages.BEDRAG:
            return formatting.euro(waarde)
        case rapportages.TARIEF:
            return formatting.tarief(waarde)
        case rapportages.AANTAL:
            return formatting.aantal(waarde)
        case rapportages.DATUM:
            return formatting.datum(waarde)
        case rapportages.STATUS:
            return status_label(waarde)
        case rapportages.PROCENT:
            return formatting.procent(waarde)
    return str(waarde)


def _weergave(tabel, rijen=None, totaal=True) -> dict:
    """What the table template needs: headers, formatted cells, a totals row."""
    kolommen = [k for k in tabel.kolommen if k.op_pagina]
    rijen = tabel.rijen if rijen is None else rijen
    getal = (rapportages.BEDRAG, rapportages.TARIEF, rapportages.AANTAL, rapportages.PROCENT)
    totalen = rapportages.Tabel(tabel.titel, tabel.bestandsnaam, tabel.kolommen, rijen).totalen()
    return {
        "koppen": [(k.titel, k.soort in getal) for k in kolommen],
        "rijen": [
            {"pk": r.get("pk"), "cellen": [(_cel(k, r[k.naam]), k.soort in getal) for k in kolommen]}
            for r in rijen
        ],
        "totalen": [(_cel(k, totalen[k.naam]) if k.naam in totalen else "", k.soort in getal)
                    for k in kolommen] if totaal and rijen else None,
    }


def _downloads(request) -> list[tuple[str, str]]:
    query = request.GET.copy()
    links = []
    for formaat in resources.FORMATEN:
        query["formaat"] = formaat
        links.append((formaat.upper(), f"?{query.urlencode()}"))
    return links


def _formaat(request):
    formaat = request.GET.get("formaat")
    if formaat and formaat not in resources.FORMATEN:
        raise Http404("Onbekend formaat.")
    return formaat


def _render(request, template, context):
    return render(request, f"overeenkomsten/rapportages/{template}", {
        **admin.site.each_context(request),
        "downloads": _downloads(request),
        "wijzig_url": "admin:overeenkomsten_samenwerkingsovereenkomst_change",
        **context,
    })


@RAPPORTAGE
def index(request):
    convenanten = list(Convenant.objects.order_by("ingangsdatum"))
    jaren = sorted({j for c in convenanten for j in c.jaren})
    return render(request, "overeenkomsten/rapportages/index.html", {
        **admin.site.each_context(request),
        "title": "Rapportages",
        "convenanten": convenanten,
        "jaren": jaren,
    })


@RAPPORTAGE
def overzicht(request, convenant):
    convenant = get_object_or_404(Convenant, slug=convenant)
    tabel = rapportages.overzicht(convenant)
    if formaat := _formaat(request):
        return resources.download(tabel, formaat)
    return _render(request, "overzicht.html", {
        "title": tabel.titel,
        "convenant": convenant,
        "tabel": _weergave(tabel),
        "changelist": reverse("admin:overeenkomsten_samenwerkingsovereenkomst_changelist")
        + f"?convenant__id__exact={convenant.pk}",
    })


@RAPPORTAGE
def factuurlijst(request):
    convenanten = list(Convenant.objects.order_by("ingangsdatum"))
    jaren = sorted({j for c in convenanten for j in c.jaren})
    try:
        jaar = int(request.GET.get("jaar") or timezone.localdate().year)
    except ValueError:
        raise Http404("Onbekend jaar.") from None
    if not 1900 < jaar < 2200:
        raise Http404("Onbekend jaar.")
    tabel = rapportages.factuurlijst(jaar)
    if formaat := _formaat(request):
        return resources.download(tabel, formaat)
    factureerbaar = [r for r in tabel.rijen if r["factureerbaar"] == "ja"]
    niet_getekend = [r for r in tabel.rijen if r["factureerbaar"] != "ja"]
    return _render(request, "factuurlijst.html", {
        "title": tabel.titel,
        "jaar": jaar,
        "jaren": jaren,
        "factureerbaar": _weergave(tabel, factureerbaar),
        "niet_getekend": _weergave(tabel, niet_getekend, totaal=False),
        "aantal_factureerbaar": len(factureerbaar),
        "aantal_niet_getekend": len(niet_getekend),
        "totaal": sum((r["te_factureren"] for r in factureerbaar), rapportages.NUL),
        "totaal_niet_getekend": sum((r["bedrag_per_jaar"] for r in niet_getekend), rapportages.NUL),
    })


@RAPPORTAGE
def vergelijking(request):
    convenanten = {c.slug: c for c in Convenant.objects.order_by("ingangsdatum")}
    slugs = list(convenanten)
    standaard_oud = "2019-2022" if "2019-2022" in convenanten else (slugs[-2] if len(slugs) > 1 else None)
    standaard_nieuw = "2023-2027" if "2023-2027" in convenanten else (slugs[-1] if slugs else None)
    oud = convenanten.get(request.GET.get("oud") or standaard_oud)
    nieuw = convenanten.get(request.GET.get("nieuw") or standaard_nieuw)
    if oud is None or nieuw is None:
        raise Http404("Onbekend convenant.")
    if oud == nieuw:  # nothing to compare: say so, also to a download link
        messages.error(request, f"Kies twee verschillende convenanten om te vergelijken; nu staat "
                                f"{oud.slug} aan beide kanten.")
        return _render(request, "vergelijking.html", {
            "title": "Vergelijking van convenanten", "oud": oud, "nieuw": nieuw,
            "convenanten": list(convenanten.values()), "tabel": None, "totalen": None,
        })
    tabel = rapportages.vergelijking(oud, nieuw)
    if formaat := _formaat(request):
        return resources.download(tabel, formaat)
    return _render(request, "vergelijking.html", {
        "title": tabel.titel,
        "oud": oud,
        "nieuw": nieuw,
        "convenanten": list(convenanten.values()),
        "tabel": _weergave(tabel),
        "totalen": tabel.totalen(),
        "tariefverhoging": nieuw.bijdrage_per_inwoner - oud.bijdrage_per_inwoner,
        "verhoging_pct_nieuw": formatting.procent(
            rules.procent(nieuw.bijdrage_per_inwoner - oud.bijdrage_per_inwoner, nieuw.bijdrage_per_inwoner)),
        "verhoging_pct_oud": formatting.procent(
            rules.procent(nieuw.bijdrage_per_inwoner - oud.bijdrage_per_inwoner, oud.bijdrage_per_inwoner)),
    })


@toegang.vereist(toegang.BEKIJK_OVEREENKOMSTEN, facturen_toegang.BEKIJKEN, alle_gemeenten=True)
def facturen(request):
    """Per year invoiced, paid and outstanding; the invoices of one year as finance gets them."""
    try:
        jaar = int(request.GET.get("jaar") or timezone.localdate().year)
    except ValueError:
        raise Http404("Onbekend jaar.") from None
    if not 1900 < jaar < 2200:
        raise Http404("Onbekend jaar.")
    export = facturen_overzicht.export(jaar)
    if formaat := _formaat(request):
        return resources.download(export, formaat)
    stand = facturen_overzicht.stand_per_jaar()
    vandaag = timezone.localdate()
    return _render(request, "facturen.html", {
        "title": f"Facturen {jaar}",
        "jaar": jaar,
        "jaren": sorted({r["jaar"] for r in stand.rijen} | {jaar}),
        "stand": _weergave(stand),
        "export": _weergave(export),
        "aantal": len(export.rijen),
        "vervallen": list(facturen_overzicht.vervallen_facturen(vandaag)),
    })

