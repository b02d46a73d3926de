from django import template

register = template.Library()


@register.filter
def minuten(duur):
    """A timedelta as "30 minuten" (lockout page)."""
    if not duur:
        return ""
    m = max(1, round(duur.total_seconds() / 60))
    return "1 minuut" if m == 1 else f"{m} minuten"


@register.simple_tag
def site_kop():
    """The admin site's header, for a page rendered without the admin's context (the lockout page)."""
    from django.contrib import admin

    return admin.site.site_header
