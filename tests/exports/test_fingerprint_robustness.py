"""A leak trace survives what e-mail, web forms and editors do to a text (collapsed or doubled
whitespace, re-wrapped lines, "> " reply quoting, typographic quotes) and never names the wrong
recipient; a confidence of 0 names no one; a text too short to carry a fingerprint says that it
cannot be traced by text.

Every export here gets a fixed key (conftest.py), so each test gives the same result on every
run. Where a test expects a copy to be named, its text carries at least `SEPARATING` points:
two copies agree on all of them by chance at most 1 time in 2**SEPARATING, so the copies are
told apart by the capacity of the text, not by lucky keys.
"""

from __future__ import annotations

import re
import textwrap

import pytest
from django.urls import reverse

from alianza.access.services import marking_get_or_create
from alianza.exports import fingerprint, services
from alianza.exports.models import ExportRecord
from alianza.exports.render import extract_pdf_text
from alianza.exports.services import export_create, leak_trace_records
from alianza.intel.services import report_create

from .test_exports import _sentences, report  # noqa: F401 - the fixture
from conftest import login_verified

pytestmark = pytest.mark.django_db

# The walk-through: three copies of one report, to three recipients.
THREE = ["Lic. Soto", "Insp. Valdez", "Cmdte. Ibarra"]
SEPARATING = 10

QUOTED_BODY = (
    "Agents observed a large vehicle near the fence at approximately 02:00. A group known as "
    '"Los Primos" subsequently purchased several cars in Nogales; however, the "white van" '
    "was also located later, near the warehouse. The driver stated that he had frequently "
    'concealed cash for "El Flaco", and several individuals quickly left the area.'
)


def _copies(world, exported, fmt, recipients=THREE):
    out = []
    for name in recipients:
        record, data = export_create(
            actor=world.user("us_analyst"),
            recipient=name,
            recipient_agency=world.mx,
            reports=[exported],
            fmt=fmt,
        )
        out.append((record, extract_pdf_text(data) if fmt == "pdf" else data.decode()))
    return out


def _traced(text):
    return leak_trace_records(ExportRecord.objects.unrestricted(reason="test"), text)


def _collapsed(text: str) -> str:
    """As an e-mail client or a web form sends it: every run of whitespace one space."""
    return " ".join(text.split())


def _report(world, body, title="Nogales warehouse"):
    return report_create(
        actor=None,
        agency=world.us,
        title=title,
        body=body,
        language="en",
        basis_for_entry="Test basis.",
        marking=marking_get_or_create(originating_agency=world.us, releasable_to=[world.mx]),
        handling="disseminate",
    )


@pytest.mark.parametrize("fmt", ["pdf", "csv"])
def test_collapsed_whitespace_never_names_another_recipient(world, report, fmt):  # noqa: F811
    """The reported case: three copies, three sentences of one of them with double spaces
    collapsed. Every three-sentence fragment of every copy, collapsed, names its own copy or
    no one, never another."""
    copies = _copies(world, report, fmt)
    sentences = len(re.findall(r"[.!?](?=\s)", report.body))
    for record, text in copies:
        for start in range(1, sentences - 2):
            fragment = _collapsed(_sentences(text, start, 3))
            result = _traced(fragment)
            assert result.record in (record, None), (record.recipient, fragment, result)
            if result.record is None:
                assert result.confidence == 0.0


@pytest.mark.parametrize("fmt", ["pdf", "csv"])
def test_soto_copy_with_double_spaces_collapsed_names_soto(world, report, fmt):  # noqa: F811
    soto, text = _copies(world, report, fmt)[0]
    fragment = _sentences(text, 1, 3)
    spaced = re.sub(r"([.;,]) (?=\S)", r"\1  ", fragment)  # double spaces after sentences
    assert fingerprint.points_in(fragment) >= SEPARATING
    for leaked in (spaced, _collapsed(spaced), _collapsed(fragment)):
        result = _traced(leaked)
        assert result.record == soto and result.confidence > 0.75, (leaked, result)
        assert result.matched == result.observed


@pytest.mark.parametrize("width", [30, 55, 90])
def test_rewrapped_lines_still_name_the_recipient(world, report, width):  # noqa: F811
    copies = _copies(world, report, "pdf")
    for record, text in copies:
        fragment = _sentences(text, 4, 3)
        assert fingerprint.points_in(fragment) >= SEPARATING
        for leaked in (textwrap.fill(_collapsed(fragment), width), fragment.replace("\n", " ")):
            assert _traced(leaked).record == record, (record.recipient, leaked)


def _quoted(text: str) -> str:
    """As a reply quotes it: quotes made typographic, re-wrapped at 60 columns, each line
    after "> "."""
    curly = re.sub(r'(^|\s)"', "\\1\u201c", text).replace('"', "\u201d")
    return "\n".join("> " + line for line in textwrap.wrap(_collapsed(curly), 60))


def _email_reply(text: str) -> str:
    return "On Monday, Hugo wrote:\n" + _quoted(text) + "\n\nThanks.\n"


@pytest.mark.parametrize("fmt", ["pdf", "csv"])
def test_a_quoted_email_reply_names_the_recipient(world, fmt):
    quoted = _report(world, QUOTED_BODY)
    copies = _copies(world, quoted, fmt)
    for record, text in copies:
        text = _collapsed(text)  # a PDF line may break inside "the area." (the reply re-wraps)
        start = text.index("Agents ")
        body = text[start : text.index("the area.", start) + len("the area.")]
        if fmt == "csv":
            body = body.replace('""', '"')  # as a spreadsheet shows the cell
        assert "\u201c" not in body and fingerprint.points_in(body) >= SEPARATING
        leaked = _email_reply(body)
        assert "\n> " in leaked and "\u201cLos" in leaked and "Primos\u201d" in leaked
        result = _traced(leaked)
        assert result.record == record and result.confidence > 0.99, (record.recipient, leaked)
        # and back: the straight quotes of a plain-text reply to the typographic one
        assert _traced(leaked.replace("\u201c", '"').replace("\u201d", '"')).record == record


def test_identical_copies_confidence_zero_names_no_one(world, report, monkeypatch):  # noqa: F811
    """Two copies made with the same key cannot be told apart: confidence 0, nobody named,
    on the page too."""
    monkeypatch.setattr(services, "_new_seed", lambda: "ab" * 32)
    copies = _copies(world, report, "csv", recipients=THREE[:2])
    fragment = _sentences(copies[0][1], 1, 3)
    result = _traced(fragment)
    assert result.confidence == 0.0 and result.record is None and result.runner_up is None
    assert result.observed >= SEPARATING and result.matched == result.observed
    assert result.outcome == services.TRACE_UNDECIDED
    page = _integrity_page(world, fragment)
    assert "does not tell the copies apart" in page
    assert not any(name in page for name in THREE[:2])


def _integrity_page(world, text, language="en"):
    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    login_verified(client, world.user("us_integrity"))
    page = client.post(reverse("exports:trace"), {"text": text})
    assert page.status_code == 200
    return page.content.decode().split("<h2>")[-1]


ONE_SENTENCE = "Agents observed a large vehicle near the Sasabe crossing."


def test_a_one_sentence_report_cannot_be_traced_by_text(world):
    one = _report(world, ONE_SENTENCE, title="Sasabe")
    copies = _copies(world, one, "pdf")
    text = copies[1][1]
    sent = text[text.index("Agents") : text.index("crossing.") + len("crossing.")]
    for leaked in (ONE_SENTENCE, sent, "Sasabe\n" + sent):
        result = _traced(leaked)
        assert result.record is None and result.confidence == 0.0, (leaked, result)
        assert result.outcome == services.TRACE_TOO_SHORT and not result.traceable_by_text
        assert result.points < fingerprint.MIN_POINTS
        assert "cannot be traced by text" in result.note
    for record, text in copies:  # the whole copy still names itself by its export id
        whole = _traced(text)
        assert whole.record == record and whole.by_export_id and whole.confidence == 1.0


def test_the_trace_page_says_a_short_text_cannot_be_traced_in_either_language(world):
    one = _report(world, ONE_SENTENCE, title="Sasabe")
    _copies(world, one, "csv")
    english = _integrity_page(world, ONE_SENTENCE)
    assert "cannot be traced by text" in english and "No export" not in english
    spanish = _integrity_page(world, ONE_SENTENCE, language="es")
    assert "no se puede rastrear por su texto" in spanish
    assert not any(name in english + spanish for name in THREE)


def test_the_leak_command_says_a_short_text_cannot_be_traced(world, tmp_path):
    from django.core.management import CommandError, call_command

    one = _report(world, ONE_SENTENCE, title="Sasabe")
    _copies(world, one, "csv")
    paste = tmp_path / "paste.txt"
    paste.write_text(ONE_SENTENCE)
    with pytest.raises(CommandError, match="cannot be traced by text"):
        call_command("leak", "trace", str(paste))


def test_whitespace_is_no_longer_a_variation_point():
    """Only words vary: the varied text has exactly the spacing of the original, and every
    normalisation of whitespace, quoting or case reads as the same words."""
    text = 'He  stated: "several  vehicles."\nThen,  later, they  left quickly.'
    varied = fingerprint.vary(text, key=b"k" * 32, label="1:body")
    assert [len(s) for s in re.findall(r"\s+", varied.text)] == [
        len(s) for s in re.findall(r"\s+", text)
    ]
    assert fingerprint.words(_quoted(varied.text)) == fingerprint.words(varied.text.upper())
    assert len(varied.bits) == 5 and len(varied.probes) == 4  # "later" ... "quickly" at the end


def test_exports_in_these_tests_get_fixed_keys(world, report, request):  # noqa: F811
    from .conftest import fixed_seeds

    expected = fixed_seeds(request.node.name)
    for record, _text in _copies(world, report, "csv"):
        assert record.seed == next(expected)
