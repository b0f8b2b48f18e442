import datetime as dt

from ninja import Field, Schema


class ReportOut(Schema):
    id: int
    title: str
    body: str
    language: str
    agency_id: int
    handling: str
    basis_for_entry: str
    grading: str
    marking: str = Field(..., alias="marking.summary")
    created_at: dt.datetime


class ReportIn(Schema):
    title: str
    body: str
    language: str
    basis_for_entry: str
    handling: str = "internal_only"
    source_reliability: str = "F"
    information_credibility: str = "6"
    releasable_to: list[str] = Field(default=[], description="agency codes")
    compartments: list[str] = Field(default=[], description="compartment codes you hold")
    originator_control: bool = False
    review_date: dt.date | None = None
