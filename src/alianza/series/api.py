from ninja import Router
from ninja.pagination import PageNumberPagination, paginate

from alianza.audit.services import audit_record

from . import selectors
from .schemas import SeriesDetailOut, SeriesOut

router = Router(tags=["series"])


@router.get("", response=list[SeriesOut])
@paginate(PageNumberPagination)
def series_list(request):
    """Published aggregate series (CBP, Border Patrol): public figures, for active readers."""
    queryset = selectors.series_list(reader=request.user)
    audit_record(
        action="aggregateseries.list", actor=request.user, object_type="series.aggregateseries"
    )
    return queryset


@router.get("/{series_id}", response=SeriesDetailOut)
def series_get(
    request,
    series_id: int,
    area: str = "",
    drug_type: str = "",
    component: str = "",
    granularity: str = "",
):
    """One series with its values summed per period for the filters (unknown values are
    ignored; without an area, the finest published areas are summed)."""
    series = selectors.series_get(reader=request.user, pk=series_id)
    choices = selectors.series_choices(series=series)
    filters = selectors.series_filters_parse(
        {"area": area, "drug_type": drug_type, "component": component, "granularity": granularity},
        choices=choices,
    )
    audit_record(action="aggregateseries.view", actor=request.user, obj=series)
    points = selectors.series_points(
        reader=request.user, series=series, filters=filters, choices=choices
    )
    return {
        **{f: getattr(series, f) for f in SeriesOut.model_fields},
        "area": filters.area,
        "drug_type": filters.drug_type,
        "component": filters.component,
        "granularity": filters.granularity,
        "points": [p.__dict__ for p in points],
    }
