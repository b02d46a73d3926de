from django.contrib import admin
from django.urls import include, path

from bureau import views

admin.site.site_header = "G40-convenantadministratie"
admin.site.site_title = "G40-convenant"
admin.site.index_title = "Beheer"
admin.site.site_url = "/"  # "Site bekijken" leads to the dashboard

urlpatterns = [
    path("admin/", admin.site.urls),
    path("overeenkomsten/", include("overeenkomsten.urls")),
    path("jaarplannen/", include("jaarplannen.urls")),
    path("rapportages/", include("bureau.urls", namespace="rapportages")),
    path("", views.dashboard, name="home"),
]
