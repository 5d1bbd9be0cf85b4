"""iCalendar feeds stay valid whatever text a bazaar carries."""

from icalendar import Calendar

from bazaar.extensions import db


def test_a_title_with_line_breaks_and_control_characters_gives_a_valid_feed(client, make_bazaar):
    bazaar = make_bazaar()
    # Stored as is (older rows, imports): the feed must cope with whatever the columns hold.
    bazaar.title, bazaar.venue_name = "a\nb\r\nc", "بوستان\x1b\x07 علوی"
    db.session.commit()
    for url in (f"/bazaars/{bazaar.id}.ics", "/bazaars/all.ics"):
        response = client.get(url)
        assert response.status_code == 200
        event = Calendar.from_ical(response.data).walk("VEVENT")[0]
        assert str(event["summary"]) == "a\nb\nc"
        assert str(event["location"]).startswith("بوستان علوی")
    single = Calendar.from_ical(client.get(f"/bazaars/{bazaar.id}.ics").data)
    assert single["x-wr-calname"].to_ical() == b"a\\nb\\nc"
