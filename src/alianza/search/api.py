from typing import Literal

from ninja import Router
from ninja.pagination import PageNumberPagination, paginate

from . import selectors, services
from .schemas import EntityHitOut, FacetsOut, SearchHitOut

router = Router(tags=["search"])


@router.get("", response=list[SearchHitOut])
@paginate(PageNumberPagination)
def search(request, q: str = "", kind: Literal["report", "tearline"] = "report"):
    """Full-text search (English and Spanish, accents optional) over what you may see."""
    q = q.strip()[:200]
    finder = selectors.report_search if kind == "report" else selectors.tearline_search
    results = finder(reader=request.user, q=q)
    services.search_audit(actor=request.user, q=q, kind=kind, count=results.count())
    return results


@router.get("/entities", response=list[EntityHitOut])
@paginate(PageNumberPagination)
def search_entities(request, q: str = ""):
    """Entities you may see matching `q` by name, alias (used in a report you may see) or
    selector (a phone number or VIN in any common format)."""
    q = q.strip()[:200]
    results = selectors.entity_search(reader=request.user, q=q)
    services.search_audit(actor=request.user, q=q, kind="entity", count=results.count())
    return results


@router.get("/facets", response=FacetsOut)
def search_facets(request, q: str = ""):
    """Counts by agency, language and year of the reports matching `q` that you may see, and
    by kind of the matching entities you may see."""
    q = q.strip()[:200]
    results = selectors.report_search(reader=request.user, q=q)
    count = results.count()
    entities = selectors.entity_search(reader=request.user, q=q)
    services.search_audit(actor=request.user, q=q, kind="report", count=count)
    return {
        "q": q,
        "count": count,
        **selectors.report_facets(results),
        "entity_count": entities.count(),
        "entity_kind": selectors.entity_facets(entities),
    }
