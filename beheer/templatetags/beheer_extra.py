from django import template

register = template.Library()


@register.filter
def minuten(duur):
    """A timedelta as "30 minuten" (lockout page)."""
    if not duur:
        return ""
    m = max(1, round(duur.total_seconds() / 60))
    return "1 minuut" if m == 1 else f"{m} minuten"
