from django.urls import path

from . import views

app_name = "facturen"
urlpatterns = [
    path("<int:pk>/pdf/", views.factuur_pdf, name="pdf"),
    path("<int:pk>/xml/", views.factuur_xml, name="xml"),
]
