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
