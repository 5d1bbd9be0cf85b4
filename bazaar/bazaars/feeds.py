"""iCalendar feeds: one bazaar or all, saying CANCELLED or TENTATIVE when the status changes."""

import re

from icalendar import Calendar, Event, vText

from bazaar.models import Status

ICAL_STATUS = {
    Status.SCHEDULED: "CONFIRMED",
    Status.RESCHEDULED: "CONFIRMED",
    Status.PAST: "CONFIRMED",
    Status.HELD: "TENTATIVE",
    Status.CANCELLED: "CANCELLED",
}
# RFC 5545 TEXT allows no control characters but tab; line breaks are kept, escaped as \n.
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f]")


def add_text(component, name, value):
    """Add a TEXT property whatever its name: line breaks escaped, control characters dropped.

    icalendar escapes only the properties it knows as TEXT; X-WR-CALNAME and the like would
    carry a raw line break, which it refuses to write.
    """
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    component.add(name, vText(_CONTROLS.sub("", text)))


def calendar(entries, *, name, host, url_for_bazaar, describe):
    """Build a VCALENDAR of (bazaar, state) pairs; SEQUENCE grows with every status change."""
    cal = Calendar()
    cal.add("prodid", "-//Bazaar//home-business bazaars//FA")
    cal.add("version", "2.0")
    add_text(cal, "x-wr-calname", name)
    for bazaar, state in entries:
        event = Event()
        event.add("uid", f"bazaar-{bazaar.id}@{host}")
        event.add("dtstamp", max([bazaar.updated_at, *(change.at for change in bazaar.history)]))
        event.add("dtstart", bazaar.starts_at)
        event.add("dtend", bazaar.ends_at)
        add_text(event, "summary", bazaar.title)
        add_text(event, "location", f"{bazaar.venue_name}، {bazaar.venue_address}".strip("، "))
        add_text(event, "description", describe(bazaar, state))
        event.add("status", ICAL_STATUS.get(state.status, "CONFIRMED"))
        event.add("sequence", len(bazaar.history))
        event.add("url", url_for_bazaar(bazaar))
        cal.add_component(event)
    return cal.to_ical()
