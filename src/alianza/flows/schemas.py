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


class FirearmIn(Schema):
    type: str
    make: str = ""
    model: str = ""
    calibre: str = ""
    serial: str = ""


class AmmunitionIn(Schema):
    rounds: int
    calibre: str = ""


class PersonsIn(Schema):
    count: int
    nationality: str = Field("", description="ISO 3166 alpha-2")


class VehicleIn(Schema):
    plate: str = ""
    state: str = ""
    vin: str = ""


class ItemsIn(Schema):
    drugs: list[DrugIn] = []
    currency: list[CurrencyIn] = []
    firearms: list[FirearmIn] = []
    ammunition: list[AmmunitionIn] = []
    persons: list[PersonsIn] = []
    vehicles: list[VehicleIn] = []


class FlowEventPatch(Schema):
    """The fields to change; those left out stay as they are."""

    kind: str | None = None
    direction: str | None = None
    occurred_at: dt.datetime | None = None
    lon: float | None = None
    lat: float | None = None
    case_reference: str | None = None
    narrative: str | None = None


class FlowEventLinkIn(Schema):
    other_id: int = Field(..., description="the other report of the same crossing")


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


class DrugOut(Schema):
    category: str
    quantity: Decimal
    unit: str
    weight_kg: Decimal
    pills: int


class CurrencyOut(Schema):
    amount: Decimal
    currency: str
    usd_amount: Decimal
    rate_date: dt.date | None


class ItemsOut(Schema):
    drugs: list[DrugOut]
    currency: list[CurrencyOut]
    firearms: list[FirearmIn]
    ammunition: list[AmmunitionIn]
    persons: list[PersonsIn]
    vehicles: list[VehicleIn]


class FlowEventDetailOut(FlowEventOut):
    items: ItemsOut


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
