import datetime as dt
from decimal import Decimal

from ninja import Field, Schema


class DrugIn(Schema):
    category: str
    quantity: Decimal
    unit: str


class CurrencyIn(Schema):
    amount: Decimal
    currency: str


class ItemsIn(Schema):
    drugs: list[DrugIn] = []
    currency: list[CurrencyIn] = []


class FlowEventIn(Schema):
    kind: str
    direction: str = "unknown"
    occurred_at: dt.datetime
    lon: float
    lat: float
    case_reference: str = ""
    narrative: str = ""
    external_id: str = ""
    releasable_to: list[str] = Field(default=[], description="agency codes")
    items: ItemsIn = ItemsIn()


class FlowEventOut(Schema):
    id: int
    kind: str
    direction: str
    occurred_at: dt.datetime
    lon: float
    lat: float
    segment_id: str = Field(..., alias="segment.segment_id")
    km_marker: float
    side: str
    distance_m: float
    agency: str = Field(..., alias="agency.code")
    case_reference: str
    narrative: str
    external_id: str
    crossing: str | None
    marking: str = Field(..., alias="marking.summary")


class MonthlyCountOut(Schema):
    month: dt.date
    direction: str
    kind: str
    crossings: int


class EffectivenessOut(Schema):
    corridor_code: str
    corridor_name: str
    agency_code: str
    apprehensions: int
    turn_backs: int
    got_aways: int
    rate: float | None


class FlowAnalyticsOut(Schema):
    by_month: list[MonthlyCountOut]
    effectiveness: list[EffectivenessOut]
