"""Council reports: their content, the stored PDF, and page = CSV = JSON = PDF for every figure."""

import csv
import io
import re
from datetime import date, timedelta

import pytest

from bazaar.errors import Conflict, Invalid
from bazaar.models import Role
from bazaar.plan import pdf
from bazaar.services import committees, statistics
from bazaar.services.followups import service as followups
from bazaar.services.plan import register, reports, targets
from bazaar.text import to_persian_digits
from tests.conftest import NOW

LATER = NOW + timedelta(days=40)


def page_texts(document):
    """Every run of text WeasyPrint laid out, page by page, in order."""

    return [text for page in document.pages for text in page_texts_of(page._page_box)]


def page_texts_of(box):
    if hasattr(box, "text"):
        yield box.text
    for child in getattr(box, "children", None) or []:
        yield from page_texts_of(child)


def persian_number(value):
    return to_persian_digits(f"{value:,}".replace(",", "\u066c"))


@pytest.fixture
def council(team, make_vendor):
    """A committee with two meetings, a vendor, an overdue follow-up, an obstacle and a target."""
    chair, colleague, _outsider, committee = team
    make_vendor()
    meetings = [
        committees.record_meeting(
            chair,
            committee.id,
            held_on=day,
            attendee_ids=[],
            minutes="",
            decisions=[("تصمیم", [])],
            now=NOW,
        )
        for day in (date(2026, 11, 19), date(2026, 12, 29))
    ]
    followups.create_followup(
        chair,
        committee.id,
        title="دیرکرد",
        responsible_id=colleague.id,
        due_on=date(2026, 11, 25),
        now=NOW,
    )
    register.save_obstacle(
        chair,
        None,
        committee_id=committee.id,
        now=NOW,
        kind="obstacle",
        title="مانع باز",
        responsible_id=colleague.id,
        status="open",
    )
    targets.set_target(
        chair,
        committee_id=committee.id,
        metric_key="valid_licences",
        value=30,
        due_on=date(2027, 1, 20),
        now=NOW,
    )
    return chair, meetings


def make(chair, meeting, snapshot, now=NOW):
    return reports.create_report(
        chair, meeting_id=meeting.id, snapshot_id=snapshot.id, now=now, render_pdf=pdf.render_pdf
    )


def test_a_report_shows_changes_since_the_last_and_what_is_open(app, council, make_vendor):
    chair, (first_meeting, second_meeting) = council
    first = make(chair, first_meeting, statistics.publish_snapshot(chair, now=NOW))
    make_vendor()
    second_snapshot = statistics.publish_snapshot(chair, now=LATER)
    second = make(chair, second_meeting, second_snapshot, LATER)
    figures = {f["key"]: f for f in second.content["figures"]}
    assert (figures["valid_licences"]["before"], figures["valid_licences"]["total"]) == (1, 2)
    assert figures["valid_licences"]["change"] == 1
    assert second.previous_id == first.id
    assert second.content["previous_snapshot_id"] == first.snapshot_id
    assert [f["title"] for f in second.content["overdue_followups"]] == ["دیرکرد"]
    assert [o["title"] for o in second.content["obstacles"]] == ["مانع باز"]
    assert [t["metric"] for t in second.content["targets_behind"]] == ["valid_licences"]
    assert reports.pdf_path(second).read_bytes().startswith(b"%PDF")
    assert [r.id for r in reports.list_reports()] == [second.id, first.id]


def test_one_report_per_meeting_and_a_meeting_is_required(app, council):
    chair, (meeting, _second) = council
    snapshot = statistics.publish_snapshot(chair, now=NOW)
    make(chair, meeting, snapshot)
    with pytest.raises(Conflict):
        make(chair, meeting, snapshot)
    with pytest.raises(Invalid):
        reports.create_report(
            chair, meeting_id=None, snapshot_id=snapshot.id, now=NOW, render_pdf=pdf.render_pdf
        )


def test_the_pdf_embeds_vazirmatn_and_puts_the_snapshot_on_every_page(app, council):
    chair, (meeting, _second) = council
    report = make(chair, meeting, statistics.publish_snapshot(chair, now=NOW))
    assert reports.pdf_path(report).read_bytes().startswith(b"%PDF")
    document = pdf.document(report)
    # The stored PDF packs its objects; the same document written plainly names its fonts.
    fonts = set(
        re.findall(
            rb"/BaseFont\s*/[A-Z]{6}\+([A-Za-z-]+)", document.write_pdf(uncompressed_pdf=True)
        )
    )
    assert fonts
    assert all(name.startswith(b"Vazirmatn") for name in fonts)
    assert len(document.pages) >= 2
    html = pdf.report_html(report)
    line = re.search(r'<p class="report-snapshot small">([^<]+)</p>', html).group(1)
    assert to_persian_digits(str(report.snapshot_id)) in line
    for number, page in enumerate(document.pages, start=1):
        margins = [box for box in page._page_box.children if type(box).__name__ == "MarginBox"]
        texts = [" ".join(page_texts_of(box)) for box in margins]
        assert line in texts  # the snapshot, on every page
        assert f"{to_persian_digits(str(number))} / " in " ".join(texts)  # the page number


def test_page_csv_json_and_pdf_agree_on_every_figure(app, client, auth, council, make_vendor):
    chair, (meeting, _second) = council
    make_vendor(county="kahak", field="sewing")
    snapshot = statistics.publish_snapshot(chair, now=NOW)
    report = make(chair, meeting, snapshot)
    expected = []
    for figure in snapshot.figures["metrics"].values():
        expected.append(figure["total"])
        expected += [value for _fa, _en, value in figure["rows"]]
    assert auth.login(chair.identifier).status_code == 302

    page = client.get(f"/statistics/snapshots/{snapshot.id}").get_data(as_text=True)
    from_page = [int(v) for v in re.findall(r'data-metric="[^"]+" data-value="(\d+)"', page)]
    table = list(
        csv.DictReader(
            io.StringIO(
                client.get(f"/statistics/snapshots/{snapshot.id}.csv")
                .get_data(as_text=True)
                .lstrip("\ufeff")
            )
        )
    )
    document = client.get(f"/statistics/snapshots/{snapshot.id}.json").get_json()
    report_page = client.get(f"/plan/reports/{report.id}").get_data(as_text=True)
    from_report_page = [int(v) for v in re.findall(r'class="num" data-value="(\d+)"', report_page)]
    # The first report has no "before" or "change" (dashes): the figures table's numbers are
    # the values, first in the document.
    texts = page_texts(pdf.document(report))
    numbers = [t for t in texts if re.fullmatch("[۰-۹\u066c]+", t)]

    assert from_page == [f["total"] for f in snapshot.figures["metrics"].values()]
    assert [int(row["value"]) for row in table] == expected
    assert [row["value"] for row in document["figures"]] == expected
    assert {row["snapshot_id"] for row in table} == {str(snapshot.id)}
    assert {row["published_by"] for row in document["figures"]} == {chair.name}
    assert all(row["definition"] and row["computed_at"] == NOW.isoformat() for row in table)
    assert from_report_page == expected
    assert numbers[: len(expected)] == [persian_number(v) for v in expected]


def test_report_needs_an_organiser(client, login_as):
    login_as(Role.VENDOR)
    assert client.get("/plan/reports").status_code in (302, 403, 404)
