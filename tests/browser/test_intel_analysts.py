"""An analyst of each agency logs in, searches, opens a report, and sees only what they should.

World (tests/world.py): every report's body is "Body of <title>", so the query "Body" matches
every report; us.analyst holds the compartment OP-TEST, mx.analyst does not. Screenshots:
artifacts/screenshots/60-*.png (U.S. analyst) and 70-*.png (Mexican analyst).
"""

from __future__ import annotations

import re

import pytest

from world import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

US_SEES = ["us_internal", "us_shared", "us_compartment", "us_expired", "mx_shared", "us_orcon"]
US_HIDDEN = ["mx_internal"]
# us_internal: not releasable to MXFP; us_compartment: OP-TEST not held; us_expired: past review.
MX_SEES = ["us_shared", "mx_shared", "mx_internal", "us_orcon"]
MX_HIDDEN = ["us_internal", "us_compartment", "us_expired"]


def _log_in(page, live_server, username):
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    page.wait_for_selector("#report-count")


def _search(page, live_server, q):
    page.goto(f"{live_server.url}/search/")
    page.fill("main form.search input[name=q], form.search input[name=q]", q)
    page.click("form.search button[type=submit]")
    page.wait_for_selector("p.muted")


def _result_titles(page) -> list[str]:
    return [
        text.strip()
        for text in page.locator("table.table tbody tr td:first-child a").all_inner_texts()
    ]


def _found_count(page) -> int:
    text = page.locator("p.muted").first.inner_text()
    match = re.match(r"(\d+) reports? found", text)
    assert match, text
    return int(match.group(1))


def _facets(page) -> str:
    return page.locator("aside.facets").inner_text() if page.locator("aside.facets").count() else ""


def _visible_text_of_404(page) -> str:
    return page.locator("main, body").first.inner_text()


def _assert_answers_like_a_missing_report(page, live_server, pk):
    hidden = page.goto(f"{live_server.url}/intel/reports/{pk}/")
    hidden_text = _visible_text_of_404(page)
    missing = page.goto(f"{live_server.url}/intel/reports/999999/")
    assert hidden.status == missing.status == 404
    assert hidden_text == _visible_text_of_404(page)
    assert page.locator("h1").inner_text() == "Not found"


def test_us_analyst_searches_opens_a_report_and_sees_only_what_they_should(
    live_server, page, screenshot, world
):
    reports = world.reports
    _log_in(page, live_server, "us.analyst")
    _search(page, live_server, "Body")
    screenshot("60-intel-us-search")
    titles = _result_titles(page)
    assert sorted(titles) == sorted(reports[k].title for k in US_SEES)
    assert _found_count(page) == len(US_SEES)
    for key in US_HIDDEN:
        assert reports[key].title not in page.content()
    # Facet counts are those of the visible results: MXFP has one visible report, not two.
    facets = _facets(page)
    assert "USBP (5)" in facets and "MXFP (1)" in facets

    # Opens the compartmented report (it holds OP-TEST) from the results.
    page.click(f"text={reports['us_compartment'].title}")
    page.wait_for_selector("#europol-grading")
    screenshot("61-intel-us-report")
    assert page.locator("h1").inner_text() == reports["us_compartment"].title
    assert "OP-TEST" in page.locator(".banner.marking").inner_text()
    assert page.locator("#grading").inner_text() == "F6"
    assert page.locator("#europol-grading").inner_text() == "X4"

    # The Mexican report kept internal: no hit, no count, and its URL is a plain 404.
    _search(page, live_server, "SPLUGH")
    screenshot("62-intel-us-search-hidden")
    assert _found_count(page) == 0 and _result_titles(page) == []
    assert page.locator("#entity-count").inner_text().startswith("0 ")
    _assert_answers_like_a_missing_report(page, live_server, reports["mx_internal"].pk)
    screenshot("63-intel-us-hidden-report-404")


def test_mx_analyst_searches_opens_a_report_and_sees_only_what_they_should(
    live_server, page, screenshot, world
):
    reports, tearline = world.reports, world.tearlines["us_internal"]
    _log_in(page, live_server, "mx.analyst")
    _search(page, live_server, "Body")
    screenshot("70-intel-mx-search")
    assert sorted(_result_titles(page)) == sorted(reports[k].title for k in MX_SEES)
    assert _found_count(page) == len(MX_SEES)
    for key in MX_HIDDEN:
        assert reports[key].title not in page.content()
    facets = _facets(page)
    assert "USBP (2)" in facets and "MXFP (2)" in facets

    # Opens a U.S. report released to MXFP.
    page.click(f"text={reports['us_shared'].title}")
    page.wait_for_selector("#europol-grading")
    screenshot("71-intel-mx-report")
    assert page.locator("h1").inner_text() == reports["us_shared"].title
    assert "REL MXFP" in page.locator(".banner.marking").inner_text()

    # The U.S. internal report: its words find nothing, and its URL is a plain 404...
    _search(page, live_server, "XYZZY")
    screenshot("72-intel-mx-search-hidden")
    assert _found_count(page) == 0 and _result_titles(page) == []
    assert page.locator("aside.facets").count() == 0
    assert "Tearlines" not in page.locator("main, body").first.inner_text()
    _assert_answers_like_a_missing_report(page, live_server, reports["us_internal"].pk)
    screenshot("73-intel-mx-hidden-report-404")
    # ...and the compartmented and past-review ones too.
    for key in ("us_compartment", "us_expired"):
        assert page.goto(f"{live_server.url}/intel/reports/{reports[key].pk}/").status == 404

    # Its tearline is released to MXFP: the tearline, and only the tearline.
    _search(page, live_server, "MAGRATHEA")
    assert _found_count(page) == 0
    page.click(f"text={tearline.title}")
    page.wait_for_selector("h1")
    screenshot("74-intel-mx-tearline-only")
    assert page.locator("h1").inner_text() == tearline.title
    body = page.locator("body").inner_text()
    assert "Sanitised." in body
    assert reports["us_internal"].title not in body
    assert "XYZZY" not in page.content()
    hrefs = page.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert not any(h and h.startswith("/intel/reports/") and h[15:-1].isdigit() for h in hrefs)

    # The report list counts only what MXFP may see and offers the tearline on its own.
    page.goto(f"{live_server.url}/intel/reports/")
    screenshot("75-intel-mx-report-list")
    assert page.locator("p.muted").first.inner_text() == f"{len(MX_SEES)} reports"
    listed = page.locator("main, body").first.inner_text()
    assert tearline.title in listed
    for key in MX_HIDDEN:
        assert reports[key].title not in listed
