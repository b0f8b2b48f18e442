"""Each export record names the fingerprint scheme its probes were made with, and a leak is read
with each record's own scheme: exports recorded before scheme 2 (scheme 1: raw-token windows,
spacing varied, "observed"/"seen") are still traced by text, alone or among scheme-2 copies.

Scheme-1 copies are made here as the code before scheme 2 made them: the export service with
`fingerprint.CURRENT` set to 1 (`_document` was the same then, only `vary` differed), and
`vary_v1` is checked against values computed by that earlier code. Every export has a fixed key
(conftest.py), so each test gives the same result on every run.
"""

from __future__ import annotations

import re

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from alianza.exports import fingerprint
from alianza.exports.models import ExportRecord
from alianza.exports.render import extract_pdf_text
from alianza.exports.services import TRACE_NO_MATCH, export_create, leak_trace_records

from .test_exports import RECIPIENTS, _sentences, report  # noqa: F401 - the fixture
from conftest import login_verified

pytestmark = pytest.mark.django_db

OLD, NEW = RECIPIENTS[:3], RECIPIENTS[3:]
# Scheme-1 probes of a word point hold the word before it but not the word after, so a copy
# whose two points share a window ("the large truck", "the big shipment") contradicts itself
# once when a fragment shows only one of them. A fragment that must name its copy carries at
# least this many points: another copy agrees with all but one of them by chance 17 times in
# 2**16 (every five sentences of BODY carry 16 or more, under either scheme).
SEPARATING = 16
STARTS = (1, 3, 5)  # five-sentence fragments from the start, the middle and the end of BODY


def _fragment(text, start):
    fragment = _sentences(text, start, 5)
    for scheme in fingerprint.SCHEMES.values():
        assert scheme.read(fragment).points >= SEPARATING
    return fragment


def _copies(world, exported, fmt, recipients, *, scheme, monkeypatch):
    out = []
    with monkeypatch.context() as m:
        m.setattr(fingerprint, "CURRENT", scheme)
        for name in recipients:
            record, data = export_create(
                actor=world.user("us_analyst"),
                recipient=name,
                recipient_agency=world.mx,
                reports=[exported],
                fmt=fmt,
            )
            assert record.fingerprint_version == scheme
            out.append((record, extract_pdf_text(data) if fmt == "pdf" else data.decode()))
    return out


def _traced(text):
    return leak_trace_records(ExportRecord.objects.unrestricted(reason="test"), text)


def _collapsed(text: str) -> str:
    return " ".join(text.split())


# Computed with `vary` of the scheme before 5f237b4 (key b"k" * 32, label "1:body").
SCHEME_1_TEXT = (
    "Agents observed a large vehicle; individuals SEEN later, Observed.  También: varios vehículos."
)
SCHEME_1_VARIED = (
    "Agents observed a big car; individuals OBSERVED subsequently,  Observed.  También:  "
    "diversos vehículos."
)
SCHEME_1_BITS = "01100111010110"
SCHEME_1_PROBES = [
    ["269a23131ae0", "d40feec2afd9"],
    ["e81c5a146738", "ffd8eea3f14a"],
    ["bd627f3e93d5", "e01a62b3cf48"],
    ["4b275f9e7c1e", "73f8d0eea837"],
    ["4b275f9e7c1e", "d9fbc10b2763"],
    ["582f1dca5e03", "291d13c17ed1"],
    ["c8a862d85e24", "e002a4041776"],
    ["cd0e9e68e9d3", "2bddbd51b3cd"],
    ["cd0e9e68e9d3", "5bcc23e13ffd"],
    ["d75f292a4cb5", "6f3b32e85ffc"],
    ["d75f292a4cb5", "447582dd4f82"],
    ["4e8f94da8242", "c05f27ece82c"],
    ["4e8f94da8242", "909771d45878"],
    ["8c9d5cf7ac1b", "7976781e6708"],
]


def test_scheme_1_varies_and_probes_as_the_earlier_code_did():
    varied = fingerprint.vary_v1(SCHEME_1_TEXT, key=b"k" * 32, label="1:body")
    assert varied.text == SCHEME_1_VARIED
    assert varied.bits == SCHEME_1_BITS
    assert varied.probes == SCHEME_1_PROBES
    # the copy as sent shows its own variant at every point, and reads as scheme 1 counts it
    leak = fingerprint.SCHEMES[1].read(varied.text)
    score = fingerprint.score(varied.probes, leak.windows)
    assert score.contradicted == 0 and score.matched == leak.points == 10  # the word points


def test_new_exports_record_scheme_2_and_the_registry_knows_both(world, report):  # noqa: F811
    record, _data = export_create(
        actor=world.user("us_analyst"),
        recipient="Ana",
        recipient_agency=world.mx,
        reports=[report],
        fmt="csv",
    )
    assert record.fingerprint_version == fingerprint.CURRENT == 2
    assert fingerprint.SCHEMES[2].vary is fingerprint.vary
    assert fingerprint.SCHEMES[1].vary is fingerprint.vary_v1


@pytest.mark.parametrize("fmt", ["pdf", "csv"])
def test_a_scheme_1_export_is_traced_from_its_text(world, report, fmt, monkeypatch):  # noqa: F811
    """The reported case: before, every export recorded with scheme 1 scored nothing and a
    leaked copy got "No export of your agency matches this text"."""
    copies = _copies(world, report, fmt, RECIPIENTS, scheme=1, monkeypatch=monkeypatch)
    for record, text in copies:
        whole = text.replace(record.export_id, "")  # the id cut off: the text alone names it
        result = _traced(whole)
        assert result.record == record and not result.by_export_id, (record.recipient, result)
        assert result.confidence > 0.99
        for start in STARTS:
            fragment = _fragment(text, start)
            result = _traced(fragment)
            assert result.record == record, (record.recipient, fragment, result)
            assert result.confidence > 0.99 and result.matched > result.observed / 2


@pytest.mark.parametrize("fmt", ["pdf", "csv"])
def test_scheme_1_and_scheme_2_copies_of_one_report_each_name_their_own(
    world,
    report,  # noqa: F811
    fmt,
    monkeypatch,
):
    old = _copies(world, report, fmt, OLD, scheme=1, monkeypatch=monkeypatch)
    new = _copies(world, report, fmt, NEW, scheme=2, monkeypatch=monkeypatch)
    for record, text in old + new:
        for start in STARTS:
            fragment = _fragment(text, start)
            result = _traced(fragment)
            assert result.record == record, (record.recipient, fragment, result)
            assert result.candidates == len(RECIPIENTS) and result.confidence > 0.99
            assert result.runner_up is not None and result.runner_up != record


@pytest.mark.parametrize("fmt", ["pdf", "csv"])
def test_a_collapsed_scheme_1_copy_never_names_another_recipient(
    world,
    report,  # noqa: F811
    fmt,
    monkeypatch,
):
    """Scheme 1 also varied the spacing after punctuation; collapsing whitespace turned every
    two-space point into the one-space variant, false evidence for the wrong copy. A leak's
    whitespace now reads as one space and as two, so spacing points are no evidence and a
    collapsed or double-spaced copy names its own copy or no one."""
    old = _copies(world, report, fmt, RECIPIENTS, scheme=1, monkeypatch=monkeypatch)
    sentences = len(re.findall(r"[.!?](?=\s)", report.body))
    named = 0
    for record, text in old:
        for start in range(1, sentences - 2):
            fragment = _sentences(text, start, 3)
            spaced = re.sub(r"([.;,]) (?=\S)", r"\1  ", _collapsed(fragment))
            for leaked in (_collapsed(fragment), spaced):
                result = _traced(leaked)
                assert result.record in (record, None), (record.recipient, leaked, result)
                named += result.record == record
    assert named > 0


def _trace_page(world, text, language="en"):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    login_verified(client, world.user("us_integrity"))
    page = client.post(reverse("exports:trace"), {"text": text})
    assert page.status_code == 200
    return page.content.decode().split("<h2>")[-1]


def test_the_trace_page_and_command_name_a_scheme_1_copy(
    world,
    report,  # noqa: F811
    monkeypatch,
    tmp_path,
    capsys,
):
    old = _copies(world, report, "pdf", OLD, scheme=1, monkeypatch=monkeypatch)
    _copies(world, report, "pdf", NEW, scheme=2, monkeypatch=monkeypatch)
    record, text = old[1]
    fragment = _fragment(text, 3)
    for language in ("en", "es"):
        page = _trace_page(world, fragment, language)
        assert record.recipient in page and record.export_id in page
        assert "No export" not in page and "Ninguna exportación" not in page
    paste = tmp_path / "paste.txt"
    paste.write_text(fragment)
    call_command("leak", "trace", str(paste))
    out = capsys.readouterr().out
    assert f"recipient {record.recipient}" in out and "runner-up" in out


def test_unrelated_text_matches_no_copy_of_either_scheme(world, report, monkeypatch, tmp_path):  # noqa: F811
    _copies(world, report, "csv", OLD, scheme=1, monkeypatch=monkeypatch)
    _copies(world, report, "csv", NEW, scheme=2, monkeypatch=monkeypatch)
    unrelated = (
        "Agents observed a large truck near the river; however, it was later located in a "
        "yard. Several persons said they bought it quickly, and also that it began moving."
    )
    result = _traced(unrelated)
    assert result.record is None and result.confidence == 0.0
    assert result.outcome == TRACE_NO_MATCH
    paste = tmp_path / "paste.txt"
    paste.write_text(unrelated)
    with pytest.raises(CommandError, match="no export matches this text"):
        call_command("leak", "trace", str(paste))
