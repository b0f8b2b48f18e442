import datetime as dt

from ninja import Field, Schema


class PositionIn(Schema):
    unit: str = Field(max_length=32)
    time: dt.datetime
    lat: float
    lon: float
    accuracy_m: float | None = None
    speed_kmh: float | None = None
    heading: float | None = None
    operation: str | None = Field(default=None, max_length=64)


class PositionBatchIn(Schema):
    reports: list[PositionIn]


class PositionBatchOut(Schema):
    accepted: int
    duplicates: int
    units: list[str]
    latest_updated: int
