"""Officer roster import from CSV: every bad row reported with its line and reason; either
nothing is written (all-or-nothing) or each good row is written whole (good-rows)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from alianza.access.querysets import system_access

from .models import Agency, Officer, Unit
from .roles import ROLE_PERMISSIONS
from .services import officer_create, officer_update

REQUIRED_COLUMNS = ("badge_number", "given_name", "family_name")
OPTIONAL_COLUMNS = ("unit_code", "rank", "languages", "email", "phone", "username", "roles")
LANGUAGES = {"en", "es"}


@dataclass(frozen=True)
class RowError:
    line: int
    field: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line}: {self.field}: {self.message}"


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    enrolled: int = 0
    errors: list[RowError] = field(default_factory=list)
    written: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def _split(value: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;,|]", value or "") if part.strip()]


def read_rows(data: bytes) -> tuple[list[tuple[int, dict]], list[RowError]]:
    """Decode and parse; the header is line 1, so the first record is line 2."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return [], [
            RowError(
                line,
                "encoding",
                _("The file is not UTF-8 (byte %(position)s).") % {"position": exc.start},
            )
        ]
    reader = csv.DictReader(io.StringIO(text))
    header = [name.strip() for name in (reader.fieldnames or [])]
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    unknown = [name for name in header if name not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    errors = [RowError(1, name, _("Required column is missing.")) for name in missing]
    errors += [RowError(1, name, _("Unknown column.")) for name in unknown]
    if errors:
        return [], errors
    rows = []
    for record in reader:
        rows.append(
            (
                reader.line_num,
                {k.strip(): (v or "").strip() for k, v in record.items() if k is not None},
            )
        )
    return rows, []


def _validate(
    line: int, row: dict, *, agency: Agency, units: dict, seen: dict
) -> tuple[dict | None, list[RowError]]:
    errors = []
    for name in REQUIRED_COLUMNS:
        if not row.get(name):
            errors.append(RowError(line, name, _("This field is required.")))
    badge = row.get("badge_number", "")
    if badge and badge in seen:
        errors.append(
            RowError(line, "badge_number", _("Duplicate of line %(line)s.") % {"line": seen[badge]})
        )
    seen.setdefault(badge, line)
    unit = None
    if row.get("unit_code"):
        unit = units.get(row["unit_code"])
        if unit is None:
            errors.append(
                RowError(
                    line,
                    "unit_code",
                    _("No unit %(code)s in %(agency)s.")
                    % {"code": row["unit_code"], "agency": agency.code},
                )
            )
    languages = _split(row.get("languages", ""))
    bad = [code for code in languages if code not in LANGUAGES]
    if bad:
        errors.append(
            RowError(line, "languages", _("Unknown language code: %(code)s.") % {"code": bad[0]})
        )
    if row.get("email"):
        try:
            validate_email(row["email"])
        except ValidationError:
            errors.append(RowError(line, "email", _("Not a valid email address.")))
    roles = _split(row.get("roles", ""))
    unknown_roles = [r for r in roles if r not in ROLE_PERMISSIONS]
    if unknown_roles:
        errors.append(
            RowError(line, "roles", _("Unknown role: %(role)s.") % {"role": unknown_roles[0]})
        )
    if roles and not row.get("username"):
        errors.append(RowError(line, "roles", _("Roles need a username.")))
    for name, limit in (
        ("badge_number", 32),
        ("given_name", 100),
        ("family_name", 100),
        ("rank", 64),
        ("phone", 32),
    ):
        if len(row.get(name, "")) > limit:
            errors.append(
                RowError(line, name, _("Longer than %(limit)s characters.") % {"limit": limit})
            )
    if errors:
        return None, errors
    return {
        "badge_number": badge,
        "given_name": row["given_name"],
        "family_name": row["family_name"],
        "unit": unit,
        "rank": row.get("rank", ""),
        "languages": languages,
        "email": row.get("email", ""),
        "phone": row.get("phone", ""),
        "username": row.get("username") or None,
        "roles": roles,
    }, []


def roster_import(
    *,
    actor,
    agency: Agency,
    data: bytes,
    all_or_nothing: bool = True,
    after_row: Callable | None = None,
    progress: Callable[[Iterable], Iterable] = lambda rows: rows,
) -> ImportReport:
    """Import officers of `agency`; existing badges are updated (re-import is idempotent).

    `after_row(officer, line)` runs inside the row's transaction (e.g. enrol the officer in a
    session) and may raise ValidationError to fail that row.
    """
    report = ImportReport()
    rows, report.errors = read_rows(data)
    if report.errors:
        return report
    units = {u.code: u for u in Unit.objects.filter(agency=agency)}
    with system_access(reason="roster import matches existing badges"):
        existing = {o.badge_number: o for o in Officer.objects.filter(agency=agency)}
    seen: dict[str, int] = {}
    valid = []
    for line, row in rows:
        values, errors = _validate(line, row, agency=agency, units=units, seen=seen)
        report.errors.extend(errors)
        if values is not None:
            valid.append((line, values))
    if report.errors and all_or_nothing:
        return report

    def write(line: int, values: dict) -> None:
        officer = existing.get(values["badge_number"])
        if officer is None:
            officer = officer_create(actor=actor, agency=agency, **values)
            report.created += 1
        else:
            values = {k: v for k, v in values.items() if k not in ("username", "roles")}
            officer_update(actor=actor, officer=officer, **values)
            report.updated += 1
        if after_row is not None:
            after_row(officer, line)

    if all_or_nothing:
        try:
            with transaction.atomic():
                for line, values in progress(valid):
                    try:
                        write(line, values)
                    except ValidationError as error:
                        report.errors.extend(_row_errors(line, error))
                if report.errors:
                    raise _Rollback
        except _Rollback:
            report.created = report.updated = report.enrolled = 0
            return report
    else:
        for line, values in progress(valid):
            try:
                with transaction.atomic():
                    write(line, values)
            except ValidationError as error:
                report.errors.extend(_row_errors(line, error))
    report.written = True
    return report


class _Rollback(Exception):
    pass


def _row_errors(line: int, error: ValidationError) -> list[RowError]:
    if hasattr(error, "error_dict"):
        return [
            RowError(line, name, " ".join(messages))
            for name, messages in error.message_dict.items()
        ]
    return [RowError(line, "row", " ".join(error.messages))]
