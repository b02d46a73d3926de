from django.urls import path

from . import views

app_name = "overeenkomsten"
urlpatterns = [
    path("<int:pk>/pdf/", views.overeenkomst_pdf, name="pdf"),
    path("<int:pk>/voorbeeld/", views.overeenkomst_voorbeeld, name="voorbeeld"),
    path("<int:pk>/voorbeeld.png", views.overeenkomst_voorbeeld_png, name="voorbeeld_png"),
    path("documenten/<int:pk>/", views.document, name="document"),
    path("bundels/<uuid:pk>/", views.bundel_voortgang, name="bundel"),
    path("bundels/<uuid:pk>/zip/", views.bundel_zip, name="bundel_zip"),
    path("bijlage3/", views.bijlage3_nieuwste, name="bijlage3_nieuwste"),
    path("bijlage3/<slug:slug>/", views.bijlage3_pagina, name="bijlage3"),
    path("bijlage3/<slug:slug>/pdf/", views.bijlage3_pdf, name="bijlage3_pdf"),
]
