"""Who may see what: the one place for the access rules of every view, report, export and document.

The roles are groups made by the migration `convenant/0003_rollen`. Rules are
by permission, not by group name, so they fail closed:

- Every page outside the login needs an active staff account (`vereist`).
- A user who may view agreements but lacks `overeenkomsten.alle_gemeenten`
  (the G40-coördinator) acts for one municipality only: the one of the person
  linked to the account (`Persoon.gebruiker` → `Persoon.gemeente`), and none
  without such a link. `beperk` applies that to any queryset, given the path
  from its model to the municipality; each app calls it for its own models.

This module sits in the base app: it names permissions of the apps above it
as strings and never imports them.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

SECRETARIAAT = "G40-secretariaat"
RELATIEMANAGER = "Relatiemanager Platform31"
LEZER = "Lezer"
COORDINATOR = "G40-coördinator"
ROLLEN = (SECRETARIAAT, RELATIEMANAGER, LEZER, COORDINATOR)

ALLE_GEMEENTEN = "overeenkomsten.alle_gemeenten"
BEKIJK_OVEREENKOMSTEN = "overeenkomsten.view_samenwerkingsovereenkomst"
WIJZIG_OVEREENKOMSTEN = "overeenkomsten.change_samenwerkingsovereenkomst"
BEKIJK_DOCUMENTEN = "overeenkomsten.bekijk_documenten"
VERZENDEN = "overeenkomsten.verzend_overeenkomst"
REGISTREER_STATUS = "overeenkomsten.registreer_status"
CORRIGEER_INWONERS = "overeenkomsten.corrigeer_inwoners"
BEKIJK_JAARPLANNEN = "jaarplannen.view_jaarplan"
BEKIJK_PROJECTBLADEN = "jaarplannen.view_projectblad"


def is_medewerker(user) -> bool:
    """An account that may use the application at all: logged in, active and staff."""
    return user.is_authenticated and user.is_active and user.is_staff


def heeft(user, *rechten: str) -> bool:
    """Staff with every one of these permissions."""
    return is_medewerker(user) and all(user.has_perm(r) for r in rechten)


def ziet_alle_gemeenten(user) -> bool:
    return is_medewerker(user) and user.has_perm(ALLE_GEMEENTEN)


def gemeente_van(user):
    """The municipality a (coördinator's) account belongs to, or None.

    Kept on the user object, like Django's permission cache, so a request
    looks it up once.
    """
    if not user.is_authenticated:
        return None
    if not hasattr(user, "_g40_gemeente"):
        from convenant.models import Persoon

        persoon = Persoon.objects.filter(gebruiker=user, actief=True).select_related("gemeente").first()
        user._g40_gemeente = persoon.gemeente if persoon else None
    return user._g40_gemeente


def beperk(user, queryset, pad: str = "gemeente", *, rechten: tuple[str, ...] = ()):
    """The rows of `queryset` this user may see.

    `pad` is the lookup from the queryset's model to its municipality
    (``"gemeente"``, ``"overeenkomst__gemeente"``); `rechten` the permissions
    needed at all (any one of them suffices).
    """
    if not is_medewerker(user) or (rechten and not any(user.has_perm(r) for r in rechten)):
        return queryset.none()
    if ziet_alle_gemeenten(user):
        return queryset
    gemeente = gemeente_van(user)
    return queryset.filter(**{pad: gemeente.pk}) if gemeente else queryset.none()


def overeenkomsten_voor(user, queryset):
    """The agreements this user may see."""
    return beperk(user, queryset, "gemeente", rechten=(BEKIJK_OVEREENKOMSTEN, WIJZIG_OVEREENKOMSTEN))


def mag_documenten_zien(user) -> bool:
    return heeft(user, BEKIJK_DOCUMENTEN)


def documenten_voor(user, queryset):
    """The documents (sent PDFs, signed scans) this user may open."""
    return beperk(user, queryset, "overeenkomst__gemeente", rechten=(BEKIJK_DOCUMENTEN,))


def mag_rapportages_zien(user) -> bool:
    """Reports and Bijlage 3 list every municipality's amounts: staff who may view all agreements."""
    return heeft(user, BEKIJK_OVEREENKOMSTEN) and ziet_alle_gemeenten(user)


def vereist(*rechten: str, alle_gemeenten: bool = False, test=None):
    """Decorator for a view: login first, then an active staff account with these permissions.

    `alle_gemeenten` also asks for the right to see every municipality (reports);
    `test` is an extra predicate on the user. Anonymous visitors go to the login
    page; a logged-in user who falls short gets 403.
    """

    def decorator(view):
        @wraps(view)
        def gecontroleerd(request, *args, **kwargs):
            user = request.user
            if not heeft(user, *rechten) or (alle_gemeenten and not ziet_alle_gemeenten(user)) or (
                test is not None and not test(user)
            ):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return login_required(gecontroleerd)

    return decorator
