"""A report's translation travels with it in exports, labelled and fingerprinted like it."""

from __future__ import annotations

import csv
import io

import pytest
from django.utils import translation

from alianza.exports.fingerprint import points_in
from alianza.exports.models import ExportRecord
from alianza.exports.render import extract_pdf_text
from alianza.exports.services import export_create, leak_trace_records
from alianza.intel.models import Report
from alianza.intel.services import report_translate

from .test_exports import RECIPIENTS, SEPARATING, report  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

TRANSLATED_BODY = (
    "El martes, aproximadamente a las 02:00, los agentes observaron un vehículo grande cerca "
    "de la garita Mariposa. El conductor, un hombre de unos cuarenta años, declaró que había "
    "comprado la camioneta en Tucson. Posteriormente, dos individuos fueron vistos cargando "
    "cajas; sin embargo, no hubo arresto. Varios vehículos, incluida una camioneta blanca, "
    "salieron rápidamente de la zona. Una segunda fuente declaró que el cargamento grande "
    "comenzó a moverse al amanecer; la ruta es desconocida. Más tarde, los agentes observaron "
    "individuos cerca del cerco, aproximadamente doscientos metros al este."
)


@pytest.fixture
def translated(world, report):  # noqa: F811 - the imported fixture
    return report_translate(
        actor=world.user("mx_analyst"),
        report=report,
        title="Movimientos en la bodega Mariposa",
        body=TRANSLATED_BODY,
        status=Report.TranslationStatus.REVIEWED,
    )


def _export(world, exported, fmt, recipient="Alice Rivera"):
    return export_create(
        actor=world.user("us_analyst"),
        recipient=recipient,
        recipient_agency=world.mx,
        reports=[exported],
        fmt=fmt,
    )


def test_csv_carries_the_translation_with_its_language_and_status(world, translated):
    _record, data = _export(world, translated, "csv")
    rows = list(csv.DictReader(io.StringIO(data.decode()).readlines()[1:]))
    assert rows[0]["translation_language"] == "es"
    assert rows[0]["translation_status"] == "reviewed"
    assert rows[0]["translated_title"].split() == "Movimientos en la bodega Mariposa".split()
    assert len(rows[0]["translated_body"].split()) == len(TRANSLATED_BODY.split())


def test_a_report_without_translation_has_empty_translation_columns(world, report):  # noqa: F811
    _record, data = _export(world, report, "csv")
    rows = list(csv.DictReader(io.StringIO(data.decode()).readlines()[1:]))
    assert rows[0]["translation_status"] == "" and rows[0]["translated_body"] == ""
    assert "Translation" not in extract_pdf_text(_export(world, report, "pdf")[1])


def test_pdf_shows_the_translation_labelled_in_the_exporters_language(world, translated):
    with translation.override("en"):
        text = extract_pdf_text(_export(world, translated, "pdf")[1])
    assert "Translation (es, reviewed translation)" in text
    assert "bodega Mariposa" in text
    with translation.override("es"):
        text = extract_pdf_text(_export(world, translated, "pdf")[1])
    assert "Traducción (es, traducción revisada)" in text
    assert "Marcado:" in text


@pytest.mark.parametrize("fmt", ["pdf", "csv"])
def test_a_paste_of_the_translation_alone_names_its_recipient(world, translated, fmt):
    copies = []
    for name in RECIPIENTS:
        record, data = _export(world, translated, fmt, recipient=name)
        copies.append((record, extract_pdf_text(data) if fmt == "pdf" else data.decode()))
    records = ExportRecord.objects.unrestricted(reason="test")
    for record, text in copies:
        # The translated text alone, cut from the copy as it is, as a reader would select and
        # paste it. It carries enough points to tell 5 copies apart (three sentences of this
        # translation carry only 7 or 8, too few to separate 5 copies by design).
        start = text.index("El martes")
        fragment = text[start : text.index("al este.", start) + len("al este.")]
        assert "Tuesday" not in fragment and record.export_id not in fragment
        assert points_in(fragment) >= SEPARATING
        result = leak_trace_records(records, fragment)
        assert result.record == record, (record.recipient, fragment)
        assert result.confidence > 0.9
