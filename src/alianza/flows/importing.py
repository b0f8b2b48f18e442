"""CSV and GeoJSON import of an agency's flow events: validate every row (or feature), report
every bad one by line (or feature number), then write all-or-nothing or the good rows only.
Idempotent by (agency, external id).

The write is a bulk one (:func:`~alianza.flows.services.flow_events_import_create`: events and
items inserted in chunks, one audit entry per event appended in batches, one transaction);
every point of the file is located against the boundary in one vectorised call."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

import numpy as np
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from alianza.audit.services import audit_record
from alianza.border.locating import DEFAULT_MAX_DISTANCE_M, FarFromBoundaryError, default_locator

from .models import DrugItem, FlowEvent
from .services import EventImport, flow_event_create, flow_events_import_create

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
FORMATS = ("csv", "geojson")
LINE, FEATURE = "line", "feature"
# Digits before the decimal point that DrugItem.quantity and CurrencyItem.amount can hold.
QUANTITY_DIGITS = 10
AMOUNT_DIGITS = 14
# Choices as sets (the enums' `.values` build a new list on every call).
KINDS = frozenset(FlowEvent.Kind.values)
DIRECTIONS = frozenset(FlowEvent.Direction.values)
DRUG_CATEGORIES = frozenset(DrugItem.Category.values)
DRUG_UNITS = frozenset(DrugItem.Unit.values)


@dataclass(frozen=True)
class RowError:
    """A bad row: `line` is the CSV line, or for GeoJSON (`unit` "feature") the feature's
    number, 1-based (the first feature of the collection is feature 1)."""

    line: int
    reason: str
    unit: str = LINE

    def __str__(self) -> str:
        if self.unit == FEATURE:
            return _("feature %(number)s: %(reason)s") % {
                "number": self.line,
                "reason": self.reason,
            }
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
    location: object | None = None  # alianza.border.locating.Location, located in validation


def _no_progress(rows: Iterable, **_options) -> Iterable:
    return rows


def format_detect(name: str) -> str:
    """The format of a file by its name: *.geojson and *.json are GeoJSON, the rest CSV."""
    return "geojson" if name.lower().endswith((".geojson", ".json")) else "csv"


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


def _coordinate(text: str, name: str, limit: float, reasons: list[str]) -> float | None:
    """A finite number within ±limit, or None with the reason (naming the column) added."""
    value = float(text)
    if not math.isfinite(value):
        reasons.append(
            _("%(column)s %(value)r is not a finite number") % {"column": name, "value": text}
        )
        return None
    if abs(value) > limit:
        reasons.append(
            _("%(column)s %(value)s is out of range (-%(limit)s to %(limit)s)")
            % {"column": name, "value": text.strip(), "limit": int(limit)}
        )
        return None
    return value


def _parse_row(raw: dict, names: dict[str, str]) -> tuple[dict, list[str]]:
    """Values and reasons for one record (canonical names → text). The point is checked to
    be a finite lon/lat but not located (see :func:`_locate`). `names` are the source names
    of the columns, for messages."""
    reasons: list[str] = []
    values: dict = {"external_id": raw["external_id"].strip()}
    if not values["external_id"]:
        reasons.append(_("external_id is empty"))
    kind = raw["kind"].strip().lower().replace("-", "_").replace(" ", "_")
    if kind not in KINDS:
        reasons.append(_("unknown kind %(value)r") % {"value": raw["kind"]})
    values["kind"] = kind
    direction = (raw.get("direction") or "unknown").strip().lower() or "unknown"
    if direction not in DIRECTIONS:
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
        lon = _coordinate(raw["lon"], names["lon"], 180, reasons)
        lat = _coordinate(raw["lat"], names["lat"], 90, reasons)
    except ValueError:
        reasons.append(
            _("bad coordinates %(lon)r, %(lat)r") % {"lon": raw["lon"], "lat": raw["lat"]}
        )
    else:
        if lon is not None and lat is not None:
            values["lon"], values["lat"] = lon, lat
    values["case_reference"] = (raw.get("case_reference") or "").strip()
    values["narrative"] = (raw.get("narrative") or "").strip()
    values["items"] = _items(raw, reasons)
    return values, reasons


def _number(text: str, name: str, reasons: list[str], *, limit: int) -> Decimal | None:
    """A finite, non-negative number with fewer than `limit` digits before the point."""
    try:
        number = Decimal(text.strip())
    except InvalidOperation:
        reasons.append(_("bad number %(value)r in %(column)s") % {"value": text, "column": name})
        return None
    if not number.is_finite() or number < 0:
        reasons.append(_("bad number %(value)r in %(column)s") % {"value": text, "column": name})
        return None
    if number and number.adjusted() >= limit:
        reasons.append(
            _("number %(value)r in %(column)s is too large") % {"value": text, "column": name}
        )
        return None
    return number


def _items(raw: dict, reasons: list[str]) -> dict:
    items: dict = {}
    if (raw.get("drug_quantity") or "").strip():
        quantity = _number(raw["drug_quantity"], "drug_quantity", reasons, limit=QUANTITY_DIGITS)
        category = (raw.get("drug_category") or "").strip().lower()
        unit = (raw.get("drug_unit") or "").strip().lower()
        if category not in DRUG_CATEGORIES:
            reasons.append(_("unknown drug category %(value)r") % {"value": category})
        if unit not in DRUG_UNITS:
            reasons.append(_("unknown drug unit %(value)r") % {"value": unit})
        items["drugs"] = [{"category": category, "quantity": quantity, "unit": unit}]
    if (raw.get("currency_amount") or "").strip():
        amount = _number(raw["currency_amount"], "currency_amount", reasons, limit=AMOUNT_DIGITS)
        currency = (raw.get("currency") or "USD").strip().upper()
        if currency not in ("USD", "MXN"):
            reasons.append(_("unknown currency %(value)r") % {"value": currency})
        items["currency"] = [{"amount": amount, "currency": currency}]
    return items


# A record: (line or feature number, canonical name → text) or (number, a RowError).
Records = Iterator[tuple[int, dict | RowError]]


def _csv_records(text: str, mapping: dict[str, str]) -> tuple[Records | None, list[RowError]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    header = next(reader, None)
    if header is None:
        return None, [RowError(1, _("the file is empty"))]
    header = [name.strip() for name in header]
    columns = {canonical: mapping.get(canonical, canonical) for canonical in REQUIRED + OPTIONAL}
    missing = [columns[name] for name in REQUIRED if columns[name] not in header]
    if missing:
        return None, [
            RowError(1, _("missing columns: %(columns)s") % {"columns": ", ".join(missing)})
        ]
    position = {c: header.index(source) for c, source in columns.items() if source in header}

    def records() -> Records:
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as error:  # e.g. a field over the csv module's size limit
                yield (
                    reader.line_num,
                    RowError(
                        reader.line_num,
                        _("unreadable CSV: %(error)s") % {"error": str(error)},
                    ),
                )
                continue
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(header):
                yield (
                    line,
                    RowError(
                        line,
                        _("%(found)s columns, expected %(expected)s")
                        % {"found": len(row), "expected": len(header)},
                    ),
                )
                continue
            yield line, {canonical: row[index] for canonical, index in position.items()}

    return records(), []


def _property_text(value) -> str | None:
    """A GeoJSON property as the text a CSV cell would hold; None if it is not a scalar."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return repr(value)
    return None


def _geojson_records(text: str, mapping: dict[str, str]) -> tuple[Records | None, list[RowError]]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return None, [RowError(error.lineno, _("not valid JSON: %(error)s") % {"error": error.msg})]
    except (ValueError, RecursionError) as error:  # an integer too long, nesting too deep
        return None, [RowError(1, _("not valid JSON: %(error)s") % {"error": str(error)})]
    if (
        not isinstance(data, dict)
        or data.get("type") != "FeatureCollection"
        or not isinstance(data.get("features"), list)
    ):
        return None, [RowError(1, _("the file is not a GeoJSON FeatureCollection"))]
    columns = {
        canonical: mapping.get(canonical, canonical)
        for canonical in REQUIRED + OPTIONAL
        if canonical not in ("lon", "lat")
    }

    def feature_record(number: int, feature) -> dict | RowError:
        def bad(reason: str) -> RowError:
            return RowError(number, reason, FEATURE)

        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            return bad(_("not a GeoJSON Feature"))
        geometry = feature.get("geometry")
        kind = geometry.get("type") if isinstance(geometry, dict) else None
        if kind != "Point":
            return bad(_("the geometry must be a Point, not %(type)s") % {"type": kind})
        coordinates = geometry.get("coordinates")
        if (
            not isinstance(coordinates, list)
            or len(coordinates) < 2
            or not all(
                isinstance(c, int | float) and not isinstance(c, bool) for c in coordinates[:2]
            )
        ):
            return bad(_("bad coordinates %(value)r") % {"value": coordinates})
        properties = feature.get("properties") or {}
        if not isinstance(properties, dict):
            return bad(_("the properties must be an object"))
        missing = [columns[c] for c in REQUIRED if c in columns and columns[c] not in properties]
        if missing:
            return bad(_("missing properties: %(names)s") % {"names": ", ".join(missing)})
        raw = {"lon": repr(coordinates[0]), "lat": repr(coordinates[1])}
        for canonical, source in columns.items():
            if source not in properties:
                continue
            text = _property_text(properties[source])
            if text is None:
                return bad(
                    _("property %(name)s must be text or a number, not %(value)r")
                    % {"name": source, "value": properties[source]}
                )
            raw[canonical] = text
        return raw

    def records() -> Records:
        for number, feature in enumerate(data["features"], start=1):
            yield number, feature_record(number, feature)

    return records(), []


def _locate(rows: list[tuple[int, dict, list[str]]]) -> list:
    """Locate every row's point in one vectorised call; far points get a reason. Returns
    the rows' locations (None where a point has no valid coordinates)."""
    index = [i for i, (_line, values, _reasons) in enumerate(rows) if "lat" in values]
    locations: list = [None] * len(rows)
    if not index:
        return locations
    lons = np.fromiter((rows[i][1]["lon"] for i in index), dtype=float, count=len(index))
    lats = np.fromiter((rows[i][1]["lat"] for i in index), dtype=float, count=len(index))
    where = default_locator().locate_many(lons, lats, reject_far=False)
    for k in np.flatnonzero(~where.within):
        error = FarFromBoundaryError(
            lon=float(lons[k]),
            lat=float(lats[k]),
            distance_m=float(where.distance_m[k]),
            max_distance_m=DEFAULT_MAX_DISTANCE_M,
        )
        rows[index[k]][2].append(str(error))
    for k, i in enumerate(index):
        if where.within[k] and not rows[i][2]:
            locations[i] = where[k]
    return locations


def events_validate(
    data: bytes,
    *,
    mapping: dict[str, str] | None = None,
    format: str = "csv",  # noqa: A002 - the command's option
    progress: Callable[..., Iterable] = _no_progress,
) -> tuple[list[GoodRow], list[RowError]]:
    """Every row (feature) checked; good rows parsed and located, bad ones reported with their
    line (feature) number. Never raises on bad content."""
    if format not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}")
    text, error = _decode(data)
    if error:
        return [], [error]
    mapping = mapping or {}
    if format == "csv":
        records, errors = _csv_records(text, mapping)
        unit = LINE
        names = {"lon": mapping.get("lon", "lon"), "lat": mapping.get("lat", "lat")}
    else:
        records, errors = _geojson_records(text, mapping)
        unit = FEATURE
        names = {"lon": _("longitude"), "lat": _("latitude")}
    if records is None:
        return [], errors
    parsed: list[tuple[int, dict, list[str]]] = []
    seen: dict[str, int] = {}
    for number, raw in progress(records, desc=_("check"), total=None):
        if isinstance(raw, RowError):
            errors.append(raw)
            continue
        values, reasons = _parse_row(raw, names)
        external_id = values["external_id"]
        if external_id and external_id in seen:
            reasons.append(
                (
                    _("duplicate external_id %(id)r (first on line %(first)s)")
                    if unit == LINE
                    else _("duplicate external_id %(id)r (first in feature %(first)s)")
                )
                % {"id": external_id, "first": seen[external_id]}
            )
        seen.setdefault(external_id, number)
        parsed.append((number, values, reasons))
    locations = _locate(parsed)
    good = []
    for (number, values, reasons), location in zip(parsed, locations, strict=True):
        if reasons:
            errors.append(RowError(number, "; ".join(reasons), unit))
        else:
            good.append(GoodRow(number, values, location))
    errors.sort(key=lambda e: e.line)
    return good, errors


def events_import(
    data: bytes,
    *,
    agency,
    marking,
    mode: str = "all-or-nothing",
    mapping: dict[str, str] | None = None,
    format: str = "csv",  # noqa: A002 - the command's option
    progress: Callable[..., Iterable] = _no_progress,
    bulk: bool = True,
) -> ImportResult:
    """Import as the system for `agency`. Rows whose external id the agency already has are
    left unchanged, so importing the same file again changes nothing.

    `progress(iterable, desc=..., total=...)` wraps the rows as they are checked and written
    (e.g. tqdm). `bulk=False` writes row by row through :func:`flow_event_create` (the
    reference the bulk path is tested against; slow)."""
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    good, errors = events_validate(data, mapping=mapping, format=format, progress=progress)
    unit = FEATURE if format == "geojson" else LINE
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
    rows = progress(todo, desc=_("import"), total=len(todo))
    with transaction.atomic():
        if bulk:
            created, late = flow_events_import_create(
                agency=agency,
                marking=marking,
                rows=(EventImport(row.line, row.values, row.location) for row in rows),
                all_or_nothing=mode == "all-or-nothing",
            )
        else:
            created, late = _per_row(rows, agency=agency, marking=marking, mode=mode)
        result.created = created
        result.errors += [RowError(key, reason, unit) for key, reason in late]
        if late and mode == "all-or-nothing":
            result.created, result.written = 0, False
        else:
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
                    "format": format,
                },
            )
    result.errors.sort(key=lambda e: e.line)
    return result


def _per_row(rows: Iterable[GoodRow], *, agency, marking, mode: str):
    created, late = 0, []
    try:
        with transaction.atomic():
            for row in rows:
                try:
                    # Good-rows mode: each row in its own savepoint, so one late failure
                    # (e.g. no exchange rate) drops that row only.
                    with transaction.atomic():
                        flow_event_create(actor=None, agency=agency, marking=marking, **row.values)
                    created += 1
                except ValidationError as error:
                    reason = "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
                    late.append((row.line, reason))
                    if mode == "all-or-nothing":
                        raise
    except ValidationError:
        return 0, late
    return created, late
