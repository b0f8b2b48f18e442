import datetime as dt

from ninja import Schema


class SeriesOut(Schema):
    id: int
    code: str
    name: str
    publisher: str
    kind: str
    measure: str
    unit: str
    source_file: str
    source_url: str
    description: str
    imported_at: dt.datetime
    observation_count: int
    first_period: dt.date | None
    last_period: dt.date | None


class PointOut(Schema):
    start: dt.date
    end: dt.date
    label: str
    value: float


class SeriesDetailOut(SeriesOut):
    area: str
    drug_type: str
    component: str
    granularity: str
    points: list[PointOut]
