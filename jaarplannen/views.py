from django.contrib import admin, messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from convenant import pdf as huisstijl
from convenant import toegang

from . import ical, pdf
from . import kalender as kalendermodule
from .models import Jaarplan, KalenderToken, Projectblad

KALENDER_RECHT = toegang.BEKIJK_JAARPLANNEN


def _abonnement_url(request, token: KalenderToken) -> str:
    return request.build_absolute_uri(reverse("jaarplannen:kalender_ics") + f"?token={token.token}")


@toegang.vereist(KALENDER_RECHT)
def kalender(request):
    token = KalenderToken.objects.filter(gebruiker=request.user).first()
    abonnement_url = _abonnement_url(request, token) if token else ""
    return render(request, "jaarplannen/kalender.html", {
        **admin.site.each_context(request),
        "convenanten": kalendermodule.lopende_convenanten(),
        "verplichtingen": kalendermodule.actuele_verplichtingen(),
        "abonnement_url": abonnement_url,
        "webcal_url": abonnement_url.replace("https://", "webcal://").replace("http://", "webcal://"),
        "token": token,
    })


@toegang.vereist(KALENDER_RECHT)
@require_POST
def kalender_abonnement(request):
    """Make, renew or revoke the user's subscription link."""
    actie = request.POST.get("actie")
    if actie == "intrekken":
        KalenderToken.objects.filter(gebruiker=request.user).delete()
        messages.success(request, "Uw abonnementslink is ingetrokken; hij werkt niet meer.")
    elif actie in ("maken", "vernieuwen"):
        KalenderToken.voor(request.user, vernieuwen=actie == "vernieuwen")
        messages.success(
            request,
            "Uw nieuwe abonnementslink staat hieronder; een eerdere link werkt niet meer."
            if actie == "vernieuwen" else "Uw abonnementslink staat hieronder.",
        )
    else:
        messages.error(request, "Onbekende actie.")
    return redirect("jaarplannen:kalender")


def kalender_ics(request):
    """The feed: for a logged-in user, or with `?token=` for a calendar app that cannot log in."""
    if "token" in request.GET:
        token = (
            KalenderToken.objects.select_related("gebruiker").filter(token=request.GET["token"]).first()
            if request.GET["token"] else None
        )
        if token is None or not toegang.heeft(token.gebruiker, KALENDER_RECHT):
            raise Http404("Onbekende of ingetrokken abonnementslink.")
    elif not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    elif not toegang.heeft(request.user, KALENDER_RECHT):
        raise PermissionDenied
    inhoud = ical.als_ical(kalendermodule.actuele_verplichtingen(), request.build_absolute_uri)
    response = HttpResponse(inhoud, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="g40-convenant.ics"'
    response["Cache-Control"] = "private, max-age=3600"
    return response


def _document(request, inhoud_html, maak_pdf, bestandsnaam: str):
    if request.GET.get("formaat") == "html":
        return HttpResponse(inhoud_html())
    return huisstijl.pdf_response(maak_pdf(), bestandsnaam)


@toegang.vereist(toegang.BEKIJK_JAARPLANNEN)
def jaarplan_pdf(request, pk):
    plan = get_object_or_404(Jaarplan.objects.select_related("convenant"), pk=pk)
    return _document(
        request,
        lambda: huisstijl.render_html("jaarplannen/pdf/jaarplan.html", pdf.jaarplan_context(plan)),
        lambda: pdf.jaarplan_pdf(plan),
        f"jaarplan-{plan.convenant.slug}-{plan.jaar}.pdf",
    )


@toegang.vereist(toegang.BEKIJK_PROJECTBLADEN)
def projectblad_pdf(request, pk):
    blad = get_object_or_404(
        Projectblad.objects.select_related(
            "convenant", "pijler", "themagroep", "ambtelijk_opdrachtgever_g40", "pijlersecretaris_g40",
            "bestuurder_g40", "projectleider_platform31", "programmamanager_platform31",
        ).prefetch_related("partijen"),
        pk=pk,
    )
    return _document(
        request,
        lambda: huisstijl.render_html("jaarplannen/pdf/projectblad.html", pdf.projectblad_context(blad)),
        lambda: pdf.projectblad_pdf(blad),
        f"projectblad-{blad.pk}.pdf",
    )
