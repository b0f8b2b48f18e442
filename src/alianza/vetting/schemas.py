import datetime as dt

from ninja import Schema


class RosterRowOut(Schema):
    officer_id: int
    name: str
    badge_number: str
    agency_code: str
    unit: str
    status: str
    expires_on: dt.date | None


class CheckResultOut(Schema):
    check: str
    result: str
    examiner: str
    examined_on: dt.date
    expires_on: dt.date
    notes: str


class CaseOut(Schema):
    id: int
    programme: str
    opened_at: dt.datetime
    results: list[CheckResultOut]
    approvals: list[str]
