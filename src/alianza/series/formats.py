"""The published file formats, and how each row becomes observations. No database here.

Every format is recognised by its header. Each measure column becomes one series; each cell a
`Cell` (one observation). Published "not available" cells (`NA`, empty) are kept out and
counted; anything else that is not a number, an unknown month or fiscal year, a short row or a
duplicate cell is a bad row, reported with its line number.
"""

from __future__ import annotations

import calendar
import csv
import datetime as dt
import io
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

MONTHS = {
    name: number
    for number, name in enumerate(
        [
            "january",
            "february",
            "march",
            "april",
            "may",
            "june",
            "july",
            "august",
            "september",
            "october",
            "november",
            "december",
        ],
        start=1,
    )
}
MONTH_ABBREVIATIONS = {name[:3]: number for name, number in MONTHS.items()}
YEARLY_TOTAL = "yearly total"
NOT_AVAILABLE = {"", "NA", "N/A"}
FISCAL_YEAR = re.compile(r"^(\d{4})(?:\s*\(FYTD\))?$", re.IGNORECASE)

# Border Patrol's own aggregate rows in the jacobkap/borderpatrol tables.
USBP_REGIONS = {"southwest border", "northern border", "coastal border"}
USBP_NATION = {"nationwide total"}
USBP_SECTOR_REGION = {
    **dict.fromkeys(
        [
            "big bend",
            "del rio",
            "el centro",
            "el paso",
            "laredo",
            "rio grande valley",
            "san diego",
            "tucson",
            "yuma",
        ],
        "southwest border",
    ),
    **dict.fromkeys(
        ["blaine", "buffalo", "detroit", "grand forks", "havre", "houlton", "spokane", "swanton"],
        "northern border",
    ),
    **dict.fromkeys(["miami", "new orleans", "ramey"], "coastal border"),
}


@dataclass(frozen=True)
class Measure:
    column: str
    unit: str
    label: str  # English, as the publisher names it; shown as the series name


@dataclass(frozen=True)
class Format:
    kind: str
    publisher: str
    title: str
    keys: tuple[str, ...]  # columns that locate a cell
    measures: tuple[Measure, ...]
    monthly: bool = False
    source_url: str = ""

    @property
    def columns(self) -> tuple[str, ...]:
        return self.keys + tuple(m.column for m in self.measures)


def _m(column: str, unit: str, label: str = "") -> Measure:
    return Measure(column, unit, label or column.replace("_", " "))


USBP_SOURCE = "https://github.com/jacobkap/borderpatrol (U.S. Border Patrol statistics)"
FORMATS: dict[str, Format] = {
    f.kind: f
    for f in [
        Format(
            kind="cbp-drugs",
            publisher="CBP",
            title="CBP drug seizures",
            keys=(
                "FY",
                "Month (abbv)",
                "Component",
                "Region",
                "Land Filter",
                "Area of Responsibility",
                "Drug Type",
            ),
            measures=(
                _m("Count of Event", "events", "seizure events"),
                _m("Sum Qty (lbs)", "lb", "pounds seized"),
            ),
            monthly=True,
            source_url="https://www.cbp.gov/newsroom/stats/drug-seizure-statistics",
        ),
        Format(
            kind="usbp-apprehensions",
            publisher="USBP",
            title="Border Patrol apprehensions by sector and month",
            keys=("sector", "fiscal_year", "month"),
            measures=(
                _m("total_apprehensions", "persons"),
                _m("unaccompanied_child_apprehension", "persons"),
                _m("family_apprehensions", "persons"),
            ),
            monthly=True,
            source_url=USBP_SOURCE,
        ),
        Format(
            kind="usbp-apprehensions-annual",
            publisher="USBP",
            title="Border Patrol southwest border apprehensions by sector and fiscal year",
            keys=("sector", "fiscal_year"),
            measures=(_m("total_apprehensions", "persons"),),
            source_url=USBP_SOURCE,
        ),
        Format(
            kind="usbp-sector-profile",
            publisher="USBP",
            title="Border Patrol sector profile",
            keys=("sector", "fiscal_year"),
            measures=(
                _m("number_of_agents", "agents"),
                _m("total_apprehensions", "persons"),
                _m("other_than_mexican_apprehensions", "persons"),
                _m("marijuana_pounds", "lb"),
                _m("cocaine_pounds", "lb"),
                _m("accepted_prosecutions", "count"),
                _m("assaults", "count"),
                _m("rescues", "persons"),
                _m("deaths", "persons"),
                _m("accompanied_juveniles", "persons"),
                _m("unaccompanied_juveniles", "persons"),
                _m("total_juveniles", "persons"),
                _m("total_adults", "persons"),
                _m("female_apprehensions", "persons"),
                _m("male_apprehensions", "persons"),
            ),
            source_url=USBP_SOURCE,
        ),
        Format(
            kind="usbp-region-stats",
            publisher="USBP",
            title="Border Patrol apprehensions and seizures by border region",
            keys=("sector", "fiscal_year"),
            measures=(
                _m("ammunition_rounds", "rounds"),
                _m("apprehensions", "persons"),
                _m("cocaine_pounds", "lb"),
                _m("cocaine_seizures", "events"),
                _m("conveyances", "count"),
                _m("currency_in_dollars", "USD"),
                _m("ecstasy_pounds", "lb"),
                _m("ecstasy_seizures", "events"),
                _m("firearms", "count"),
                _m("heroin_ounces", "oz"),
                _m("heroin_seizures", "events"),
                _m("marijuana_pounds", "lb"),
                _m("marijuana_seizures", "events"),
                _m("methamphetamine_pounds", "lb"),
                _m("methamphetamine_seizures", "events"),
                _m("other_drugs_pounds", "lb"),
                _m("other_drugs_seizures", "events"),
                _m("other_than_mexican_apprehensions", "persons"),
                _m("aliens_special_interest_county", "persons"),
            ),
            source_url=USBP_SOURCE,
        ),
        Format(
            kind="usbp-staffing",
            publisher="USBP",
            title="Border Patrol agents by sector",
            keys=("sector", "fiscal_year"),
            measures=(_m("number_of_agents", "agents"),),
            source_url=USBP_SOURCE,
        ),
    ]
}
KINDS = tuple(FORMATS)


def detect(header: list[str]) -> Format | None:
    """The format whose columns are exactly the header's (order free)."""
    names = {name.strip() for name in header}
    for fmt in FORMATS.values():
        if names == set(fmt.columns):
            return fmt
    return None


@dataclass(frozen=True)
class Cell:
    measure: str
    granularity: str  # "month" or "fiscal_year"
    fiscal_year: int
    period_start: dt.date
    period_end: dt.date
    area: str
    area_key: str
    level: str
    component: str
    region: str
    land_filter: str
    drug_type: str
    value: float
    line: int

    def key(self) -> tuple:
        return (
            self.measure,
            self.granularity,
            self.period_start,
            self.area,
            self.component,
            self.region,
            self.land_filter,
            self.drug_type,
        )


@dataclass(frozen=True)
class RowError:
    line: int
    reason: str

    def __str__(self) -> str:
        return _("line %(line)s: %(reason)s") % {"line": self.line, "reason": self.reason}


@dataclass
class Parsed:
    format: Format | None = None
    cells: list[Cell] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    not_available: int = 0
    rows: int = 0


def fiscal_year_bounds(year: int) -> tuple[dt.date, dt.date]:
    """U.S. federal fiscal year `year`: 1 October of the year before to 30 September."""
    return dt.date(year - 1, 10, 1), dt.date(year, 9, 30)


def fiscal_month_bounds(year: int, month: int) -> tuple[dt.date, dt.date]:
    """Month `month` of fiscal year `year` (October to December fall in the year before)."""
    calendar_year = year - 1 if month >= 10 else year
    last = calendar.monthrange(calendar_year, month)[1]
    return dt.date(calendar_year, month, 1), dt.date(calendar_year, month, last)


def area_key(area: str) -> str:
    """'TUCSON SECTOR', 'TUCSON FIELD OFFICE' and 'tucson' share the key 'tucson'; the level
    keeps them apart."""
    key = re.sub(r"\s+(sector|field office)$", "", area.strip().lower())
    return re.sub(r"\s+", " ", key)


def _number(text: str, column: str, reasons: list[str]) -> float | None:
    raw = text.strip()
    try:
        value = float(raw)
    except ValueError:
        reasons.append(
            _("%(column)s is not a number: %(value)r") % {"column": column, "value": raw}
        )
        return None
    if not math.isfinite(value) or value < 0:
        reasons.append(
            _("%(column)s is not a count or quantity: %(value)r") % {"column": column, "value": raw}
        )
        return None
    return value


def _fiscal_year(text: str, reasons: list[str]) -> int | None:
    match = FISCAL_YEAR.match(text.strip())
    if not match or not 1900 <= int(match.group(1)) <= 2100:
        reasons.append(_("unknown fiscal year %(value)r") % {"value": text})
        return None
    return int(match.group(1))


def _where(fmt: Format, row: dict, reasons: list[str]) -> dict | None:
    """Area, level and the other dimensions of a row."""
    if fmt.kind == "cbp-drugs":
        component = row["Component"].strip()
        area = row["Area of Responsibility"].strip()
        if not area:
            reasons.append(_("Area of Responsibility is empty"))
        if component == "Office of Field Operations":
            level = "field_office"
        elif component == "U.S. Border Patrol":
            level = "sector"
        else:
            reasons.append(_("unknown component %(value)r") % {"value": component})
            return None
        drug = row["Drug Type"].strip()
        if not drug:
            reasons.append(_("Drug Type is empty"))
        return {
            "area": area,
            "level": level,
            "component": component,
            "region": row["Region"].strip(),
            "land_filter": row["Land Filter"].strip(),
            "drug_type": drug,
        }
    area = row["sector"].strip().lower()
    if not area:
        reasons.append(_("sector is empty"))
        return None
    if area in USBP_NATION:
        level, region = "nation", ""
    elif area in USBP_REGIONS:
        level, region = "region", area
    else:
        level, region = "sector", USBP_SECTOR_REGION.get(area, "")
    return {
        "area": area,
        "level": level,
        "component": "U.S. Border Patrol",
        "region": region,
        "land_filter": "",
        "drug_type": "",
    }


def _when(fmt: Format, row: dict, reasons: list[str]) -> tuple | None:
    year = _fiscal_year(row["FY" if fmt.kind == "cbp-drugs" else "fiscal_year"], reasons)
    if year is None:
        return None
    if not fmt.monthly:
        return ("fiscal_year", year, *fiscal_year_bounds(year))
    raw = row["Month (abbv)" if fmt.kind == "cbp-drugs" else "month"].strip().lower()
    if raw == YEARLY_TOTAL and fmt.kind != "cbp-drugs":
        return ("fiscal_year", year, *fiscal_year_bounds(year))
    month = (MONTH_ABBREVIATIONS if fmt.kind == "cbp-drugs" else MONTHS).get(raw)
    if month is None:
        reasons.append(_("unknown month %(value)r") % {"value": raw})
        return None
    return ("month", year, *fiscal_month_bounds(year, month))


def _rows(text: str) -> Iterator[tuple[int, list[str]]]:
    reader = csv.reader(io.StringIO(text, newline=""))
    for row in reader:
        yield reader.line_num, row


def parse(data: bytes, *, kind: str | None = None) -> Parsed:
    """Every row checked; cells of the good rows, every bad row with its line and reasons."""
    result = Parsed()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        result.errors.append(
            RowError(
                line,
                _("the file is not UTF-8 (byte %(byte)s cannot be decoded)")
                % {"byte": f"0x{data[error.start]:02x}"},
            )
        )
        return result
    rows = _rows(text)
    first = next(rows, None)
    if first is None:
        result.errors.append(RowError(1, _("the file is empty")))
        return result
    header = [name.strip() for name in first[1]]
    fmt = FORMATS.get(kind) if kind else detect(header)
    if kind and fmt is None:
        result.errors.append(RowError(1, _("unknown format %(kind)r") % {"kind": kind}))
        return result
    if fmt is None:
        result.errors.append(
            RowError(
                1,
                _("not a known published format (columns: %(columns)s)")
                % {"columns": ", ".join(header)[:300]},
            )
        )
        return result
    missing = [c for c in fmt.columns if c not in header]
    if missing:
        result.errors.append(
            RowError(1, _("missing columns: %(columns)s") % {"columns": ", ".join(missing)})
        )
        return result
    result.format = fmt
    seen: dict[tuple, int] = {}
    for line, cells in rows:
        if not any(cell.strip() for cell in cells):
            continue
        result.rows += 1
        if len(cells) != len(header):
            result.errors.append(
                RowError(
                    line,
                    _("%(found)s columns, expected %(expected)s")
                    % {"found": len(cells), "expected": len(header)},
                )
            )
            continue
        row = dict(zip(header, cells, strict=True))
        reasons: list[str] = []
        when = _when(fmt, row, reasons)
        where = _where(fmt, row, reasons)
        values = {}
        for measure in fmt.measures:
            raw = row[measure.column].strip()
            if raw in NOT_AVAILABLE:
                result.not_available += 1
                continue
            value = _number(raw, measure.column, reasons)
            if value is not None:
                values[measure.column] = value
        if reasons or when is None or where is None:
            result.errors.append(RowError(line, "; ".join(reasons)))
            continue
        granularity, year, start, end = when
        row_cells = [
            Cell(
                measure=column,
                granularity=granularity,
                fiscal_year=year,
                period_start=start,
                period_end=end,
                area_key=area_key(where["area"]),
                value=value,
                line=line,
                **where,
            )
            for column, value in values.items()
        ]
        place = (granularity, start, *(where[k] for k in sorted(where)))
        if place in seen:
            result.errors.append(
                RowError(
                    line,
                    _("the same period and area as line %(first)s") % {"first": seen[place]},
                )
            )
            continue
        seen[place] = line
        result.cells.extend(row_cells)
    return result
