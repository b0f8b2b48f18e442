import datetime as dt

from ninja import Schema


class SearchHitOut(Schema):
    kind: str
    id: int
    title: str
    agency: str | None = None
    language: str | None = None
    created_at: dt.datetime
    marking: str

    @staticmethod
    def resolve_kind(obj) -> str:
        return obj._meta.model_name

    @staticmethod
    def resolve_agency(obj) -> str | None:
        agency = getattr(obj, "agency", None)
        return agency.code if agency is not None else None

    @staticmethod
    def resolve_language(obj) -> str | None:
        return getattr(obj, "language", None)

    @staticmethod
    def resolve_marking(obj) -> str:
        return obj.marking.summary


class FacetOut(Schema):
    value: str
    count: int


class EntityHitOut(Schema):
    id: int
    kind: str
    label: str
    selector: str

    @staticmethod
    def resolve_label(obj) -> str:
        # The reader's display label where the selector annotated it (entities_labelled).
        return getattr(obj, "display_label", None) or obj.label


class FacetsOut(Schema):
    q: str
    count: int
    agency: list[FacetOut]
    language: list[FacetOut]
    year: list[FacetOut]
    entity_count: int
    entity_kind: list[FacetOut]
