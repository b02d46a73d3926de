"""Who may see which agreements and documents.

The roles are groups made by the migration `convenant/0003_rollen`. Scoping is
by permission, not by group name, so it fails closed: a user who may view
agreements but lacks `overeenkomsten.alle_gemeenten` (the G40-coördinator)
sees only the agreements of the municipality of the person linked to the
account (`Persoon.gebruiker` → `Persoon.gemeente`), and nothing without one.
"""

SECRETARIAAT = "G40-secretariaat"
RELATIEMANAGER = "Relatiemanager Platform31"
LEZER = "Lezer"
COORDINATOR = "G40-coördinator"
ROLLEN = (SECRETARIAAT, RELATIEMANAGER, LEZER, COORDINATOR)

ALLE_GEMEENTEN = "overeenkomsten.alle_gemeenten"
BEKIJK_DOCUMENTEN = "overeenkomsten.bekijk_documenten"
VERZENDEN = "overeenkomsten.verzend_overeenkomst"
REGISTREER_STATUS = "overeenkomsten.registreer_status"
CORRIGEER_INWONERS = "overeenkomsten.corrigeer_inwoners"


def ziet_alle_gemeenten(user) -> bool:
    return user.is_active and user.has_perm(ALLE_GEMEENTEN)


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


def overeenkomsten_voor(user, queryset=None):
    """The agreements this user may see."""
    from overeenkomsten.models import Samenwerkingsovereenkomst

    if queryset is None:
        queryset = Samenwerkingsovereenkomst.objects.all()
    if not (user.is_active and user.has_perm("overeenkomsten.view_samenwerkingsovereenkomst")
            or user.is_active and user.has_perm("overeenkomsten.change_samenwerkingsovereenkomst")):
        return queryset.none()
    if ziet_alle_gemeenten(user):
        return queryset
    gemeente = gemeente_van(user)
    return queryset.filter(gemeente=gemeente) if gemeente else queryset.none()


def mag_documenten_zien(user) -> bool:
    return user.is_active and user.has_perm(BEKIJK_DOCUMENTEN)


def documenten_voor(user, queryset=None):
    """The documents (sent PDFs, signed scans) this user may open."""
    from overeenkomsten.models import OvereenkomstDocument

    if queryset is None:
        queryset = OvereenkomstDocument.objects.all()
    if not mag_documenten_zien(user):
        return queryset.none()
    if ziet_alle_gemeenten(user):
        return queryset
    gemeente = gemeente_van(user)
    return queryset.filter(overeenkomst__gemeente=gemeente) if gemeente else queryset.none()
