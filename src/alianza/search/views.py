from django.core.paginator import Paginator
from django.views.generic import TemplateView

from alianza.access.views import RoleRequiredMixin
from alianza.intel.entity_models import Entity

from . import selectors, services

PER_PAGE = 50


class SearchView(RoleRequiredMixin, TemplateView):
    """Full-text search over reports, tearlines and entities. The page for a query that matches only
    records the reader may not see is byte for byte the page for a query matching nothing."""

    template_name = "search/search.html"

    def get_context_data(self, **kwargs):
        q = self.request.GET.get("q", "").strip()[:200]
        reports = selectors.report_search(reader=self.request.user, q=q)
        page_obj = Paginator(reports, PER_PAGE).get_page(self.request.GET.get("page"))
        tearlines = list(selectors.tearline_search(reader=self.request.user, q=q)[:PER_PAGE])
        entities = selectors.entity_search(reader=self.request.user, q=q)
        entity_count = entities.count()
        services.search_audit(
            actor=self.request.user,
            q=q,
            kind="report",
            count=page_obj.paginator.count,
            page=page_obj.number,
            entity_count=entity_count,
        )
        return super().get_context_data(
            q=q,
            page_obj=page_obj,
            paginator=page_obj.paginator,
            is_paginated=page_obj.has_other_pages(),
            object_list=page_obj.object_list,
            facets=selectors.report_facets(reports) if q else {},
            tearlines=tearlines,
            entities=list(entities[:PER_PAGE]),
            entity_count=entity_count,
            entity_facets=[
                (Entity.Kind(f.value).label, f.count) for f in selectors.entity_facets(entities)
            ]
            if entity_count
            else [],
            **kwargs,
        )
