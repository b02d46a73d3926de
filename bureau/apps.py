from django.apps import AppConfig


class BureauConfig(AppConfig):
    """The secretary's desk: pages that combine the apps below it (dashboard, reports).

    It has no models of its own; it stands on top of convenant, gemeenten,
    overeenkomsten and jaarplannen and nothing below imports it.
    """

    name = "bureau"
    verbose_name = "Bureau van het secretariaat"
