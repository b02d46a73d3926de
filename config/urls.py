from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.urls import include, path

from beheer import views as beheer_views
from beheer.tweestaps import G40AdminSite
from bureau import views

# The admin demands a second factor when settings.OTP_VERPLICHT is on (beheer.tweestaps).
admin.site.__class__ = G40AdminSite

admin.site.site_header = "G40-convenantadministratie"
admin.site.site_title = "G40-convenant"
admin.site.index_title = "Beheer"
admin.site.site_url = "/"  # "Site bekijken" leads to the dashboard


def inloggen(request, extra_context=None):
    """The admin's login, but without a `next` everyone lands on the desk (`/`), not the admin index.

    The desk sends a G40-coördinator on to their own page (/mijn-gemeente/).
    """
    if REDIRECT_FIELD_NAME not in request.GET and REDIRECT_FIELD_NAME not in request.POST:
        request.GET = request.GET.copy()
        request.GET[REDIRECT_FIELD_NAME] = "/"
    return admin.site.login(request, extra_context)


urlpatterns = [
    path("gezond/", beheer_views.gezond, name="gezond"),
    path("wachtwoord/", include(beheer_views.wachtwoord_urls)),
    path("tweestaps/instellen/<str:token>/", beheer_views.tweestaps_instellen, name="tweestaps_instellen"),
    path("admin/login/", inloggen),
    path("admin/", admin.site.urls),
    path("overeenkomsten/", include("overeenkomsten.urls")),
    path("jaarplannen/", include("jaarplannen.urls")),
    path("facturen/", include("facturen.urls")),
    path("rapportages/", include("bureau.urls", namespace="rapportages")),
    path("herinneringen/<slug:convenant>/", views.herinneringen, name="herinneringen"),
    path("mijn-gemeente/", views.mijn_gemeente, name="mijn_gemeente"),
    path("", views.dashboard, name="home"),
]
