import datetime as dt

from ninja import Field, Schema


class ReportOut(Schema):
    id: int
    number: str = Field(..., description="the number people quote, e.g. USBP-42")
    title: str
    body: str
    language: str
    agency_id: int
    handling: str
    basis_for_entry: str
    grading: str
    source_reliability: str
    information_credibility: str
    europol_grading: str = Field(..., description="Europol 4x4 (see docs/intel.md)")
    marking: str = Field(..., alias="marking.summary")
    translation_language: str
    translated_title: str
    translated_body: str
    translation_status: str = Field(..., description="none, draft or reviewed")
    translator_id: int | None
    created_at: dt.datetime


class ReportIn(Schema):
    title: str
    body: str
    language: str
    basis_for_entry: str
    handling: str | None = Field(
        default=None,
        description=(
            "disseminate, originator_approval or internal_only; by default internal_only "
            "unless releasable_to names an agency, then originator_approval. internal_only "
            "with releasable_to is refused (422, field handling)"
        ),
    )
    source_reliability: str = "F"
    information_credibility: str = "6"
    releasable_to: list[str] = Field(default=[], description="agency codes")
    compartments: list[str] = Field(default=[], description="compartment codes you hold")
    originator_control: bool = False
    review_date: dt.date | None = None


class TearlineOut(Schema):
    id: int
    title: str
    body: str
    marking: str = Field(..., alias="marking.summary")
    created_at: dt.datetime


class RfiOut(Schema):
    id: int
    requesting_agency: str = Field(..., alias="requesting_agency.code")
    requested_agency: str = Field(..., alias="requested_agency.code")
    question: str
    priority: str
    due_date: dt.date
    status: str
    overdue: bool = Field(
        ..., alias="is_overdue", description="open after its due date (display time zone)"
    )
    answer_text: str
    created_at: dt.datetime
    answered_at: dt.datetime | None


class RfiIn(Schema):
    requested_agency: str = Field(..., description="agency code")
    question: str
    priority: str = "routine"
    due_date: dt.date
    compartment: str | None = Field(default=None, description="a compartment code you hold")


class RfiAnswerIn(Schema):
    answer_text: str = ""
    answer_report: str | None = Field(
        default=None, description="the number of a report that answers it, e.g. USBP-42"
    )
    answer_report_id: int | None = Field(default=None, description="or the report's id")


class TurnaroundOut(Schema):
    agency_code: str
    asked: int
    answered: int
    median_days: float | None
    on_time_share: float | None
    overdue: int


class EntityOut(Schema):
    id: int
    kind: str
    label: str
    selector: str

    @staticmethod
    def resolve_label(obj) -> str:
        # The reader's display label where the selector annotated it (entities_labelled).
        return getattr(obj, "display_label", None) or obj.label


class NeighbourOut(Schema):
    entity: EntityOut
    relation: str
    report_id: int


class PathStepOut(Schema):
    entity: EntityOut
    relation: str | None
    report_id: int | None
