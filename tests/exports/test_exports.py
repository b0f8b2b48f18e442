"""Exports for named recipients, their fingerprints, and tracing a leak back to its copy."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from alianza.access.services import marking_get_or_create
from alianza.audit.models import AuditEvent
from alianza.exports.fingerprint import points_in
from alianza.exports.models import ExportRecord
from alianza.exports.render import extract_pdf_text
from alianza.exports.services import export_create, leak_trace_records
from alianza.intel.services import report_create

from conftest import login_verified

pytestmark = pytest.mark.django_db

BODY = (
    "On Tuesday, at approximately 02:00, agents observed a large vehicle near the Mariposa "
    "port of entry. The driver, a man in his forties, stated that he had purchased the large "
    "truck in Tucson and frequently concealed it. Subsequently, two individuals were observed "
    "loading several boxes; however, no arrest was made. El vehículo fue ubicado, "
    "posteriormente, en una bodega de Nogales, Sonora. "
    "Varios individuos declararon que la camioneta comenzó a circular rápidamente, sin "
    "placas. The storage unit, located on Calle Elías, was also observed by a patrol. "
    "Several vehicles, including a large white van, quickly left the area and began moving "
    "north. A second source stated that the large shipment began moving at dawn; however, the "
    "route is currently unknown. Later, agents "
    "observed individuals near the fence, approximately two hundred meters east. La fuente "
    "observó, también, varias personas ubicadas cerca de la garita; posteriormente, "
    "huyeron. The report was shared, with caveats, to the partner agency."
)
RECIPIENTS = ["Alice Rivera", "Bruno Díaz", "Carmen Soto", "Dwight Hale", "Elena Ruiz"]
# Every export in these tests has a fixed key (conftest.py). A pasted fragment that must name
# one of the 5 copies carries at least this many fingerprint points, so that two copies agree
# on all of them with a chance below 10 pairs / 2**12 = 0.25%: they are told apart by the text's
# capacity, not by lucky keys (every three sentences of BODY carry 11 or more).
SEPARATING = 12


@pytest.fixture
def report(world):
    return report_create(
        actor=None,
        agency=world.us,
        title="Mariposa warehouse movements",
        body=BODY,
        language="en",
        basis_for_entry="Test basis.",
        marking=marking_get_or_create(originating_agency=world.us, releasable_to=[world.mx]),
        handling="disseminate",
    )


def _sentences(text: str, start: int, count: int) -> str:
    """`count` whole sentences of an extracted text, as a reader would select and paste them."""
    body = text[text.index("On Tuesday") :]
    ends = [m.end() for m in re.finditer(r"[.!?](?=\s)", body)]
    return body[ends[start - 1] : ends[start - 1 + count]].strip()


def _exports(world, report, fmt):
    user = world.user("us_analyst")
    out = []
    for name in RECIPIENTS:
        record, data = export_create(
            actor=user, recipient=name, recipient_agency=world.mx, reports=[report], fmt=fmt
        )
        out.append((record, extract_pdf_text(data) if fmt == "pdf" else data.decode()))
    return out


def _traced(text):
    records = ExportRecord.objects.unrestricted(reason="test")
    return leak_trace_records(records, text)


@pytest.mark.parametrize("fmt", ["pdf", "csv"])
def test_each_recipient_copy_is_traced_from_its_full_text(world, report, fmt):
    for record, text in _exports(world, report, fmt):
        result = _traced(text)
        assert result.record == record
        assert result.by_export_id and result.confidence > 0.99


@pytest.mark.parametrize("fmt", ["pdf", "csv"])
@pytest.mark.parametrize("start", [1, 4, 7])
def test_each_recipient_copy_is_traced_from_three_pasted_sentences(world, report, fmt, start):
    exports = _exports(world, report, fmt)
    for record, text in exports:
        fragment = _sentences(text, start, 3)
        assert record.export_id not in fragment and record.recipient not in fragment
        assert points_in(fragment) >= SEPARATING
        result = _traced(fragment)
        assert result.record == record, (record.recipient, fragment)
        assert result.confidence > 0.9


def test_fragment_reflowed_by_a_paste_still_traces(world, report):
    exports = _exports(world, report, "pdf")
    record, text = exports[2]
    fragment = _sentences(text, 2, 3).replace("\n", " ")
    assert _traced(fragment).record == record


def test_copies_differ_only_in_meaning_preserving_ways(world, report):
    (_, a), (_, b) = _exports(world, report, "csv")[:2]
    words = lambda t: re.sub(r"\s+", " ", t)  # noqa: E731
    assert a != b
    assert len(words(a).split()) == len(words(b).split())


def test_unrelated_text_names_no_one(world, report):
    _exports(world, report, "csv")
    result = _traced("Nothing in this text was ever exported. It is new, and unrelated.")
    assert result.record is None and result.confidence == 0.0


def test_export_is_recorded_and_audited_with_recipient_and_strictest_marking(world, report):
    user = world.user("us_analyst")
    compartmented = world.reports["us_compartment"]
    record, _ = export_create(
        actor=user,
        recipient="Fiona Park",
        recipient_agency=world.us,
        reports=[report, compartmented],
        fmt="csv",
    )
    assert "OP-TEST" in record.marking_summary
    assert record.object_ids == [report.pk, compartmented.pk]
    assert len(record.seed) == 64 and set(record.bits) <= {"0", "1", "|"}
    event = AuditEvent.objects.unrestricted(reason="test").filter(action="export").get()
    assert event.details["recipient"] == "Fiona Park"
    assert event.object_id == record.export_id and "OP-TEST" in event.marking_summary


def test_export_page_downloads_a_pdf_for_a_visible_report(world, report, client):
    login_verified(client, world.user("mx_analyst"))
    url = reverse("exports:report_export", args=[report.pk])
    response = client.post(
        url, {"recipient": "Gabriel Luna", "recipient_agency": world.mx.pk, "format": "pdf"}
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    record = ExportRecord.objects.unrestricted(reason="test").get()
    assert record.export_id in extract_pdf_text(response.content)


def test_hidden_report_cannot_be_exported_and_answers_like_a_missing_one(world, client):
    login_verified(client, world.user("mx_analyst"))
    hidden = reverse("exports:report_export", args=[world.reports["us_compartment"].pk])
    missing = reverse("exports:report_export", args=[987654])
    for url in (hidden, missing):
        data = {"recipient": "X", "recipient_agency": world.mx.pk, "format": "csv"}
        assert client.post(url, data).status_code == 404
    assert not ExportRecord.objects.unrestricted(reason="test").exists()


def test_results_export_contains_only_visible_results(world, client):
    login_verified(client, world.user("mx_analyst"))
    url = reverse("exports:results_export") + "?q=US"
    data = {"recipient": "Hugo", "recipient_agency": world.us.pk, "format": "csv"}
    response = client.post(url, {**data, "omit_refused": "on"})
    assert response.status_code == 200
    text = response.content.decode()
    assert world.reports["us_shared"].title in text
    for key in ("us_internal", "us_compartment", "us_expired"):
        assert world.reports[key].title not in text


def test_leak_trace_command_names_the_recipient_from_a_pdf(world, report, tmp_path, capsys):
    user = world.user("us_analyst")
    for name in RECIPIENTS[:3]:
        record, data = export_create(
            actor=user, recipient=name, recipient_agency=world.mx, reports=[report], fmt="pdf"
        )
    leaked = tmp_path / "leak.pdf"
    leaked.write_bytes(data)
    call_command("leak", "trace", str(leaked))
    out = capsys.readouterr().out
    assert f"recipient {RECIPIENTS[2]}" in out and record.export_id in out
    paste = tmp_path / "paste.txt"
    paste.write_text(_sentences(extract_pdf_text(data), 5, 3))
    call_command("leak", "trace", str(paste))
    assert f"recipient {RECIPIENTS[2]}" in capsys.readouterr().out


def test_integrity_officer_traces_a_paste_on_the_trace_page(world, report, client):
    exports = _exports(world, report, "pdf")
    record, text = exports[3]
    login_verified(client, world.user("us_integrity"))
    page = client.post(reverse("exports:trace"), {"text": _sentences(text, 3, 3)})
    assert page.status_code == 200
    assert record.recipient in page.content.decode()
    audit = AuditEvent.objects.unrestricted(reason="test").filter(action="export.trace").get()
    assert audit.object_id == record.export_id


def test_other_agency_integrity_officer_cannot_trace_our_exports(world, report, client):
    record, text = _exports(world, report, "pdf")[0]
    login_verified(client, world.user("mx_integrity"))
    page = client.post(reverse("exports:trace"), {"text": text}).content.decode()
    assert record.recipient not in page.split("<h2>")[-1]
    assert record.export_id not in page.split("<h2>")[-1]
