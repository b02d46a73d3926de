"""Template filters for Dutch notation: {% load nl %} {{ bedrag|euro }}."""

from django import template
from django.utils.html import format_html

from convenant import formatting

register = template.Library()

register.filter("euro", formatting.euro)
register.filter("aantal", formatting.aantal)
register.filter("tarief", formatting.tarief)
register.filter("datum_nl", formatting.datum)


@register.filter
def of_leeg(value, label):
    """The value, or a visibly marked blank naming what is missing (concept documents)."""
    if value in (None, ""):
        return format_html('<span class="leeg">[{}]</span>', label)
    return value
