from django.urls import path

from . import views

app_name = "jaarplannen"
urlpatterns = [
    path("kalender/", views.kalender, name="kalender"),
    path("kalender/abonnement/", views.kalender_abonnement, name="kalender_abonnement"),
    path("kalender.ics", views.kalender_ics, name="kalender_ics"),
    path("<int:pk>/pdf/", views.jaarplan_pdf, name="jaarplan_pdf"),
    path("projectbladen/<int:pk>/pdf/", views.projectblad_pdf, name="projectblad_pdf"),
]
