"""iCalendar feeds: one bazaar or all, saying CANCELLED or TENTATIVE when the status changes."""

from icalendar import Calendar, Event

from bazaar.models import Status

ICAL_STATUS = {
    Status.SCHEDULED: "CONFIRMED",
    Status.RESCHEDULED: "CONFIRMED",
    Status.PAST: "CONFIRMED",
    Status.HELD: "TENTATIVE",
    Status.CANCELLED: "CANCELLED",
}


def calendar(entries, *, name, host, url_for_bazaar, describe):
    """Build a VCALENDAR of (bazaar, state) pairs; SEQUENCE grows with every status change."""
    cal = Calendar()
    cal.add("prodid", "-//Bazaar//home-business bazaars//FA")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", name)
    for bazaar, state in entries:
        event = Event()
        event.add("uid", f"bazaar-{bazaar.id}@{host}")
        event.add("dtstamp", max([bazaar.updated_at, *(change.at for change in bazaar.history)]))
        event.add("dtstart", bazaar.starts_at)
        event.add("dtend", bazaar.ends_at)
        event.add("summary", bazaar.title)
        event.add("location", f"{bazaar.venue_name}، {bazaar.venue_address}".strip("، "))
        event.add("description", describe(bazaar, state))
        event.add("status", ICAL_STATUS.get(state.status, "CONFIRMED"))
        event.add("sequence", len(bazaar.history))
        event.add("url", url_for_bazaar(bazaar))
        cal.add_component(event)
    return cal.to_ical()
