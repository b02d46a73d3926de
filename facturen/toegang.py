"""Who may see which invoices: like agreements (convenant.toegang), scoped to the municipality.

A user needs ``facturen.view_factuur``; one without ``overeenkomsten.alle_gemeenten``
(the G40-coördinator) sees only the invoices of the municipality of the
person linked to the account, and nothing without one.
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
    if not (user.is_active and user.has_perm(BEKIJKEN)):
        return qs.none()
    if toegang.ziet_alle_gemeenten(user):
        return qs
    gemeente = toegang.gemeente_van(user)
    return qs.filter(gemeente=gemeente) if gemeente else qs.none()
