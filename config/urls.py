from django.contrib import admin
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

urlpatterns = [
    path("gezond/", beheer_views.gezond, name="gezond"),
    path("wachtwoord/", include(beheer_views.wachtwoord_urls)),
    path("admin/", admin.site.urls),
    path("overeenkomsten/", include("overeenkomsten.urls")),
    path("jaarplannen/", include("jaarplannen.urls")),
    path("facturen/", include("facturen.urls")),
    path("rapportages/", include("bureau.urls", namespace="rapportages")),
    path("", views.dashboard, name="home"),
]
