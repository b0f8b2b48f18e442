"""Turning export documents into bytes: CSV and PDF (reportlab, built-in Helvetica)."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from alianza import csvsafe

_TOKEN = re.compile(r"\S+|\s+")


@dataclass
class Item:
    """One exported record, its text fields already varied."""

    title: str
    body: str
    agency: str
    language: str
    created: str
    marking: str
    grading: str = ""
    europol_grading: str = ""
    # The report's translation, when it has one (status: intel's TranslationStatus value, and
    # its label in the exporter's language).
    translated_title: str = ""
    translated_body: str = ""
    translation_language: str = ""
    translation_status: str = ""
    translation_status_label: str = ""


@dataclass
class Document:
    export_id: str
    recipient: str
    marking: str
    heading: str
    items: list[Item]


def render_csv(doc: Document) -> bytes:
    out = io.StringIO()
    writer = csvsafe.writer(out)  # formula-looking text cells neutralised
    writer.writerow(
        ["export_id", doc.export_id, "recipient", doc.recipient, "marking", doc.marking]
    )
    writer.writerow(
        ["title", "agency", "language", "created", "marking", "grading", "europol_grading", "body"]
        + ["translation_language", "translation_status", "translated_title", "translated_body"]
    )
    for item in doc.items:
        writer.writerow(
            [
                item.title,
                item.agency,
                item.language,
                item.created,
                item.marking,
                item.grading,
                item.europol_grading,
                item.body,
                item.translation_language,
                item.translation_status,
                item.translated_title,
                item.translated_body,
            ]
        )
    return out.getvalue().encode("utf-8")


def _wrap(text: str, width: float, font: str, size: float) -> list[str]:
    """Lines of at most `width` points, broken at whitespace only, spaces inside kept as
    they are (the fingerprint lives in words only, so wrapping never touches it)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for token in _TOKEN.findall(paragraph):
            if token.isspace():
                line += token
                continue
            if line.strip() and stringWidth(line + token, font, size) > width:
                lines.append(line.rstrip(" "))
                line = token
            else:
                line += token
        lines.append(line.rstrip(" "))
    return lines


def render_pdf(doc: Document) -> bytes:
    from reportlab.lib.pagesizes import LETTER
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=LETTER, invariant=True)
    canvas.setTitle(f"{doc.heading} {doc.export_id}")
    page_width, page_height = LETTER
    margin, size, leading = 54, 10, 13
    width = page_width - 2 * margin

    def banner():
        canvas.setFont("Helvetica-Bold", 9)
        canvas.drawCentredString(page_width / 2, page_height - 30, doc.marking)
        canvas.drawCentredString(page_width / 2, 20, f"{doc.marking}  ·  {doc.export_id}")

    y = page_height - margin
    banner()

    def line(text: str, font: str = "Helvetica", font_size: float = size):
        nonlocal y
        for piece in _wrap(text, width, font, font_size) or [""]:
            if y < margin:
                canvas.showPage()
                banner()
                y = page_height - margin
            canvas.setFont(font, font_size)
            canvas.drawString(margin, y, piece)
            y -= leading

    line(doc.heading, "Helvetica-Bold", 13)
    line(_("Export %(id)s - %(recipient)s") % {"id": doc.export_id, "recipient": doc.recipient})
    line(_("Marking: %(marking)s") % {"marking": doc.marking})
    y -= leading
    for item in doc.items:
        line(item.title, "Helvetica-Bold", 11)
        line(f"{item.agency} | {item.language} | {item.created} | {item.marking}", font_size=8)
        line(
            _("Grading %(admiralty)s (Admiralty) | %(europol)s (Europol 4x4)")
            % {"admiralty": item.grading, "europol": item.europol_grading},
            font_size=8,
        )
        line(item.body)
        if item.translation_status:
            y -= leading / 2
            line(
                _("Translation (%(language)s, %(status)s)")
                % {"language": item.translation_language, "status": item.translation_status_label},
                font_size=8,
            )
            line(item.translated_title, "Helvetica-Bold", 10)
            line(item.translated_body)
        y -= leading
    canvas.save()
    return buffer.getvalue()


def extract_pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() or "" for page in reader.pages)
