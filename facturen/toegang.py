"""Who may see which invoices: the rules of convenant.toegang, applied to invoices.

An active staff account with ``facturen.view_factuur``; one without
``overeenkomsten.alle_gemeenten`` (the G40-coördinator) sees only the invoices
of the municipality of the person linked to the account, and nothing without one.
"""

from convenant import toegang

BEKIJKEN = "facturen.view_factuur"
VERZENDEN = "facturen.verzend_factuur"
BETALING = "facturen.registreer_betaling"
CREDITEREN = "facturen.crediteer_factuur"
MAKEN = "facturen.add_factuur"


def facturen_voor(user, queryset=None):
    from .models import Factuur

    qs = Factuur.objects.all() if queryset is None else queryset
    return toegang.beperk(user, qs, "gemeente", rechten=(BEKIJKEN,))
