"""Template filters for Dutch notation: {% load nl %} {{ bedrag|euro }}."""

from django import template

from convenant import formatting

register = template.Library()

register.filter("euro", formatting.euro)
register.filter("aantal", formatting.aantal)
register.filter("tarief", formatting.tarief)
register.filter("datum_nl", formatting.datum)
