"""For random corpora under random markings, search equals the visible set filtered by hand."""

from __future__ import annotations

import unicodedata

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from alianza.access.services import marking_get_or_create
from alianza.intel.models import Report
from alianza.intel.services import report_create
from alianza.search.selectors import report_search

pytestmark = pytest.mark.django_db

WORDS = ["zafiro", "quetzal", "nopal", "saguaro", "mezquite", "ocotillo", "Policía", "garita"]
USERS = ["us_analyst", "us_nocomp", "mx_analyst", "mx_comp", "mx_unvetted", "us_inactive"]


def _plain(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.lower())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def _marking(world, code: int):
    owner = world.us if code & 1 else world.mx
    other = world.mx if code & 1 else world.us
    return marking_get_or_create(
        originating_agency=owner,
        releasable_to=[other] if code & 2 else [],
        compartments=[world.compartment] if code & 4 else [],
    )


documents = st.lists(
    st.tuples(
        st.lists(st.sampled_from(WORDS), min_size=1, max_size=4),
        st.integers(min_value=0, max_value=7),
    ),
    min_size=1,
    max_size=8,
)
queries = st.lists(st.sampled_from(WORDS), min_size=1, max_size=2).map(
    lambda words: " ".join(_plain(w) if i % 2 else w for i, w in enumerate(words))
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(docs=documents, q=queries, user_key=st.sampled_from(USERS))
def test_search_results_equal_visible_reports_filtered_by_hand(world, docs, q, user_key):
    user = world.user(user_key)
    with transaction.atomic():
        for n, (words, code) in enumerate(docs):
            marking = _marking(world, code)
            report_create(
                actor=None,
                agency=marking.originating_agency,
                title=f"Documento {n}",
                body=" ".join(words) + ".",
                language="es",
                basis_for_entry="Test.",
                marking=marking,
            )
        wanted = {_plain(w) for w in q.split()}
        expected = {
            r.pk
            for r in Report.objects.visible_to(user)
            if wanted <= {_plain(w.strip(".")) for w in (r.title + " " + r.body).split()}
        }
        results = report_search(reader=user, q=q)
        assert {r.pk for r in results} == expected
        assert results.count() == len(expected)
        transaction.set_rollback(True)
