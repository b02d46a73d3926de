from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse

from jaarplannen import kalender
from overeenkomsten import workflow

from . import dashboard as dashboard_data
from . import toegang
from .models import Convenant


def _standaard_convenant(convenanten, vandaag):
    """The convenant running today, else the most recent one."""
    for c in convenanten:
        if c.ingangsdatum <= vandaag <= c.einddatum:
            return c
    return convenanten[0] if convenanten else None


@login_required
def dashboard(request):
    """The secretary's overview of one convenant's agreements."""
    user = request.user
    if not user.has_perm("overeenkomsten.view_samenwerkingsovereenkomst"):
        raise PermissionDenied
    if not toegang.ziet_alle_gemeenten(user):
        # A G40-coördinator sees only their own municipality's agreement, in the admin.
        return HttpResponseRedirect(reverse("admin:overeenkomsten_samenwerkingsovereenkomst_changelist"))
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
        "verplichtingen": (
            kalender.voor_dashboard(vandaag, convenant=convenant)
            if convenant and user.has_perm("jaarplannen.view_jaarplan") else None
        ),
    }
    return render(request, "g40/dashboard.html", context)
