"""The calendar of obligations as iCalendar (RFC 5545), for Outlook and Google Calendar."""

import datetime

from django.utils import timezone

from icalendar import Calendar, Event

from .constants import VerplichtingStatus

UID_DOMEIN = "g40-convenant"


def als_ical(verplichtingen, absolute_url=lambda url: url) -> bytes:
    """All-day events: a deadline on its day, a period (‘in juli’) over its days."""
    kalender = Calendar()
    kalender.add("prodid", "-//G40-Stedennetwerk en Platform31//Convenantadministratie//NL")
    kalender.add("version", "2.0")
    kalender.add("calscale", "GREGORIAN")
    kalender.add("method", "PUBLISH")
    kalender.add("x-wr-calname", "G40-convenant: verplichtingen")
    kalender.add("x-wr-timezone", "Europe/Amsterdam")
    kalender.add("x-published-ttl", "PT12H")
    nu = timezone.now()
    for v in verplichtingen:
        event = Event()
        event.add("uid", f"{v.sleutel}@{UID_DOMEIN}")
        event.add("dtstamp", nu)
        event.add("dtstart", v.vanaf or v.datum)
        event.add("dtend", v.datum + datetime.timedelta(days=1))
        samenvatting = v.omschrijving
        if v.status == VerplichtingStatus.DONE:
            samenvatting = f"✓ {samenvatting}"
        elif v.status == VerplichtingStatus.OVERDUE:
            samenvatting = f"TE LAAT: {samenvatting}"
        event.add("summary", samenvatting)
        regels = [f"Status: {v.status_label.lower()}", f"Wanneer: {v.wanneer}"]
        if v.toelichting:
            regels.append(v.toelichting)
        if v.url:
            regels.append(absolute_url(v.url))
            event.add("url", absolute_url(v.url))
        event.add("description", "\n".join(regels))
        event.add("categories", [v.soort_label])
        event.add("transp", "TRANSPARENT")
        kalender.add_component(event)
    return kalender.to_ical()
