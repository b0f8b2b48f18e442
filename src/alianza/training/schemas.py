import datetime as dt

from ninja import Schema


class SessionOut(Schema):
    id: int
    course: str
    starts_on: dt.date
    ends_on: dt.date
    place: str
    language: str
    capacity: int
    taken: int


class EnrolmentOut(Schema):
    id: int
    officer_id: int
    officer_name: str
    attended: bool | None
    passed: bool | None


class EnrolmentIn(Schema):
    officer_id: int


class CountsOut(Schema):
    label: str
    total: int
    vetted: int
    qualified: int
    ready: int


class LapseOut(Schema):
    officer_name: str
    badge_number: str
    what: str
    on: dt.date


class ForecastOut(Schema):
    target: int
    ready_now: int
    vetting_per_week: float
    training_per_week: float
    pass_rate: float | None
    reached_on: dt.date | None


class ReadinessOut(Schema):
    units: list[CountsOut]
    roles: list[CountsOut]
    agencies: list[CountsOut]
    next_lapses: list[LapseOut]
    forecast: ForecastOut
