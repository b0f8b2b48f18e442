from django.core.paginator import Paginator
from django.views.generic import TemplateView

from alianza.access.views import RoleRequiredMixin

from . import selectors, services

PER_PAGE = 50


class SearchView(RoleRequiredMixin, TemplateView):
    """Full-text search over reports and tearlines. The page for a query that matches only
    records the reader may not see is byte for byte the page for a query matching nothing."""

    template_name = "search/search.html"

    def get_context_data(self, **kwargs):
        q = self.request.GET.get("q", "").strip()[:200]
        reports = selectors.report_search(reader=self.request.user, q=q)
        page_obj = Paginator(reports, PER_PAGE).get_page(self.request.GET.get("page"))
        tearlines = list(selectors.tearline_search(reader=self.request.user, q=q)[:PER_PAGE])
        services.search_audit(
            actor=self.request.user,
            q=q,
            kind="report",
            count=page_obj.paginator.count,
            page=page_obj.number,
        )
        return super().get_context_data(
            q=q,
            page_obj=page_obj,
            paginator=page_obj.paginator,
            is_paginated=page_obj.has_other_pages(),
            object_list=page_obj.object_list,
            facets=selectors.report_facets(reports) if q else {},
            tearlines=tearlines,
            **kwargs,
        )
