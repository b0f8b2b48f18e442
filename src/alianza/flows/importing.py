"""CSV import of an agency's flow events: validate every row, report every bad one by line,
then write all-or-nothing or the good rows only. Idempotent by (agency, external id)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from alianza.audit.services import audit_record
from alianza.border.locating import FarFromBoundaryError, default_locator

from .models import DrugItem, FlowEvent
from .services import flow_event_create

REQUIRED = ("external_id", "kind", "occurred_at", "lon", "lat")
OPTIONAL = (
    "direction",
    "case_reference",
    "narrative",
    "drug_category",
    "drug_quantity",
    "drug_unit",
    "currency_amount",
    "currency",
)
MODES = ("all-or-nothing", "good-rows")


@dataclass(frozen=True)
class RowError:
    line: int
    reason: str

    def __str__(self) -> str:
        return _("line %(line)s: %(reason)s") % {"line": self.line, "reason": self.reason}


@dataclass
class ImportResult:
    created: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)
    written: bool = True


@dataclass(frozen=True)
class GoodRow:
    line: int
    values: dict


def _decode(data: bytes) -> tuple[str | None, RowError | None]:
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        return None, RowError(
            line,
            _("the file is not UTF-8 (byte %(byte)s cannot be decoded)")
            % {"byte": f"0x{data[error.start]:02x}"},
        )


def _parse_row(raw: dict, line: int) -> tuple[dict | None, list[str]]:
    reasons: list[str] = []
    values: dict = {"external_id": raw["external_id"].strip()}
    if not values["external_id"]:
        reasons.append(_("external_id is empty"))
    kind = raw["kind"].strip().lower().replace("-", "_").replace(" ", "_")
    if kind not in FlowEvent.Kind.values:
        reasons.append(_("unknown kind %(value)r") % {"value": raw["kind"]})
    values["kind"] = kind
    direction = (raw.get("direction") or "unknown").strip().lower() or "unknown"
    if direction not in FlowEvent.Direction.values:
        reasons.append(_("unknown direction %(value)r") % {"value": raw["direction"]})
    values["direction"] = direction
    try:
        occurred = parse_datetime(raw["occurred_at"].strip())
    except ValueError:
        occurred = None
    if occurred is None:
        reasons.append(_("bad date %(value)r (use ISO 8601)") % {"value": raw["occurred_at"]})
    elif occurred.tzinfo is None:
        reasons.append(
            _("date %(value)r has no time zone (add Z or an offset)")
            % {"value": raw["occurred_at"]}
        )
    else:
        values["occurred_at"] = occurred.astimezone(dt.UTC)
    try:
        values["lon"], values["lat"] = float(raw["lon"]), float(raw["lat"])
    except ValueError:
        reasons.append(
            _("bad coordinates %(lon)r, %(lat)r") % {"lon": raw["lon"], "lat": raw["lat"]}
        )
    else:
        try:
            default_locator().locate(values["lon"], values["lat"])
        except FarFromBoundaryError as error:
            reasons.append(str(error))
    values["case_reference"] = (raw.get("case_reference") or "").strip()
    values["narrative"] = (raw.get("narrative") or "").strip()
    values["items"] = _items(raw, reasons)
    return (None if reasons else values), reasons


def _number(text: str, name: str, reasons: list[str]) -> Decimal | None:
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        reasons.append(_("bad number %(value)r in %(column)s") % {"value": text, "column": name})
        return None
    if not number.is_finite() or number < 0:
        reasons.append(_("bad number %(value)r in %(column)s") % {"value": text, "column": name})
        return None
    return number


def _items(raw: dict, reasons: list[str]) -> dict:
    items: dict = {}
    if (raw.get("drug_quantity") or "").strip():
        quantity = _number(raw["drug_quantity"], "drug_quantity", reasons)
        category = (raw.get("drug_category") or "").strip().lower()
        unit = (raw.get("drug_unit") or "").strip().lower()
        if category not in DrugItem.Category.values:
            reasons.append(_("unknown drug category %(value)r") % {"value": category})
        if unit not in DrugItem.Unit.values:
            reasons.append(_("unknown drug unit %(value)r") % {"value": unit})
        items["drugs"] = [{"category": category, "quantity": quantity, "unit": unit}]
    if (raw.get("currency_amount") or "").strip():
        amount = _number(raw["currency_amount"], "currency_amount", reasons)
        currency = (raw.get("currency") or "USD").strip().upper()
        if currency not in ("USD", "MXN"):
            reasons.append(_("unknown currency %(value)r") % {"value": currency})
        items["currency"] = [{"amount": amount, "currency": currency}]
    return items


def events_validate(
    data: bytes, *, mapping: dict[str, str] | None = None
) -> tuple[list[GoodRow], list[RowError]]:
    """Every row checked; good rows parsed, bad ones reported with their line number."""
    text, error = _decode(data)
    if error:
        return [], [error]
    mapping = mapping or {}
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        return [], [RowError(1, _("the file is empty"))]
    header = [name.strip() for name in header]
    columns = {canonical: mapping.get(canonical, canonical) for canonical in REQUIRED + OPTIONAL}
    missing = [columns[name] for name in REQUIRED if columns[name] not in header]
    if missing:
        return [], [
            RowError(1, _("missing columns: %(columns)s") % {"columns": ", ".join(missing)})
        ]
    position = {c: header.index(source) for c, source in columns.items() if source in header}
    good, errors, seen = [], [], {}
    for row in reader:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            errors.append(
                RowError(
                    line,
                    _("%(found)s columns, expected %(expected)s")
                    % {"found": len(row), "expected": len(header)},
                )
            )
            continue
        raw = {canonical: row[index] for canonical, index in position.items()}
        values, reasons = _parse_row(raw, line)
        external_id = raw["external_id"].strip()
        if external_id and external_id in seen:
            reasons.append(
                _("duplicate external_id %(id)r (first on line %(first)s)")
                % {"id": external_id, "first": seen[external_id]}
            )
        seen.setdefault(external_id, line)
        if reasons:
            errors.append(RowError(line, "; ".join(reasons)))
        else:
            good.append(GoodRow(line, values))
    return good, errors


def events_import(
    data: bytes,
    *,
    agency,
    marking,
    mode: str = "all-or-nothing",
    mapping: dict[str, str] | None = None,
    progress: Callable[[Iterable], Iterable] = lambda rows: rows,
) -> ImportResult:
    """Import as the system for `agency`. Rows whose external id the agency already has are
    left unchanged, so importing the same file again changes nothing."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    good, errors = events_validate(data, mapping=mapping)
    result = ImportResult(errors=list(errors))
    if errors and mode == "all-or-nothing":
        result.written = False
        return result
    existing = set(
        FlowEvent.objects.unrestricted(reason="import idempotence: the agency's own external ids")
        .filter(agency=agency)
        .values_list("external_id", flat=True)
    )
    todo = [row for row in good if row.values["external_id"] not in existing]
    result.unchanged = len(good) - len(todo)
    try:
        with transaction.atomic():
            for row in progress(todo):
                try:
                    # Good-rows mode: each row in its own savepoint, so one late failure
                    # (e.g. no exchange rate) drops that row only.
                    with transaction.atomic():
                        flow_event_create(actor=None, agency=agency, marking=marking, **row.values)
                    result.created += 1
                except ValidationError as error:
                    reason = "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
                    result.errors.append(RowError(row.line, reason))
                    if mode == "all-or-nothing":
                        raise
            audit_record(
                action="flowevent.import",
                actor_username="system",
                object_type="flows.flowevent",
                object_agency_code=agency.code,
                details={
                    "created": result.created,
                    "unchanged": result.unchanged,
                    "errors": len(result.errors),
                    "mode": mode,
                },
            )
    except ValidationError:
        result.created, result.written = 0, False
    result.errors.sort(key=lambda e: e.line)
    return result
