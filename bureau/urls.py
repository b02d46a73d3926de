"""URL patterns of the report pages, under /rapportages/ (namespace ``rapportages``).

- ``rapportages:index``         the list of reports
- ``rapportages:overzicht``     /rapportages/overzicht/<convenant>/   (?formaat=csv|xlsx)
- ``rapportages:factuurlijst``  /rapportages/factuurlijst/?jaar=2024  (&formaat=csv|xlsx)
- ``rapportages:facturen``     /rapportages/facturen/?jaar=2024       (&formaat=csv|xlsx)
- ``rapportages:vergelijking``  /rapportages/vergelijking/?oud=2019-2022&nieuw=2023-2027 (&formaat=…)
"""

from django.urls import path

from . import views

app_name = "rapportages"

urlpatterns = [
    path("", views.index, name="index"),
    path("overzicht/<slug:convenant>/", views.overzicht, name="overzicht"),
    path("factuurlijst/", views.factuurlijst, name="factuurlijst"),
    path("vergelijking/", views.vergelijking, name="vergelijking"),
    path("facturen/", views.facturen, name="facturen"),
]
