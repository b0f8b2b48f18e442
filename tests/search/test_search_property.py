"""For random corpora under random markings, search (of reports and of entities) equals the
visible set filtered by hand."""

from __future__ import annotations

import re
import unicodedata

import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from alianza.access.services import marking_get_or_create
from alianza.intel.entity_models import Mention
from alianza.intel.graph import entity_mention
from alianza.intel.models import Report
from alianza.intel.normalise import phone_e164
from alianza.intel.services import report_create
from alianza.search.selectors import entity_search, report_search

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


# Entities: phones written in several ways (one entity, several aliases) and organisations
# named with the words above, mentioned by reports under random markings.
PHONE_WRITINGS = [
    "+52 631 111 2222",
    "6311112222",
    "(631) 111-2222",
    "+52 631 333 4444",
    "631 333 4444",
]
PHONE_WORDS = ["631", "111", "2222", "6311112222", "333", "4444", "6313334444", "52"]
_TOKENS = re.compile(r"\w+")


def _words(text: str) -> set[str]:
    return {_plain(w) for w in _TOKENS.findall(text)}


def _e164_candidates(q: str) -> set[str]:
    out = set()
    for region in ("MX", "US"):
        try:
            out.add(phone_e164(q, default_region=region))
        except ValueError:
            pass
    return out


mentions = st.lists(
    st.tuples(
        st.integers(min_value=0, max_value=7),  # the marking of the mentioning report
        st.one_of(
            st.tuples(st.just("phone"), st.sampled_from(PHONE_WRITINGS)),
            st.tuples(
                st.just("organisation"),
                st.lists(st.sampled_from(WORDS), min_size=1, max_size=2).map(" ".join),
            ),
        ),
    ),
    min_size=1,
    max_size=8,
)
entity_queries = st.one_of(
    st.lists(st.sampled_from(PHONE_WORDS), min_size=1, max_size=2).map(" ".join),
    queries,
    st.sampled_from(PHONE_WRITINGS),
)


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(links=mentions, q=entity_queries, user_key=st.sampled_from(USERS))
# Found on PostgreSQL before the index folded punctuation: its parser read "-2222".
@example(links=[(1, ("phone", "(631) 111-2222"))], q="2222", user_key="us_analyst")
def test_entity_search_equals_visible_entities_filtered_by_hand(world, links, q, user_key):
    """An entity is found when it is visible (some report the reader may see mentions it) and
    the query's words all occur in its label and selector, or in one alias that a report the
    reader may see used, or the query is a writing of its phone number."""
    user = world.user(user_key)
    with transaction.atomic():
        for n, (code, (kind, raw)) in enumerate(links):
            marking = _marking(world, code)
            report = report_create(
                actor=None,
                agency=marking.originating_agency,
                title=f"Informe {n}",
                body="Texto.",
                language="es",
                basis_for_entry="Test.",
                marking=marking,
            )
            entity_mention(actor=None, report=report, kind=kind, raw=raw)
        visible_reports = set(Report.objects.visible_to(user).values_list("pk", flat=True))
        wanted = _words(q)
        candidates = _e164_candidates(q)
        expected = set()
        all_mentions = Mention.objects.unrestricted(reason="test oracle").select_related("entity")
        by_entity: dict[int, list] = {}
        for mention in all_mentions:
            by_entity.setdefault(mention.entity_id, []).append(mention)
        for entity_id, its_mentions in by_entity.items():
            seen = [m for m in its_mentions if m.report_id in visible_reports]
            if not seen:
                continue
            entity = seen[0].entity
            if (
                (wanted and wanted <= _words(f"{entity.label} {entity.selector}"))
                or any(wanted and wanted <= _words(m.alias) for m in seen)
                or entity.selector in candidates
            ):
                expected.add(entity_id)
        results = entity_search(reader=user, q=q)
        assert {e.pk for e in results} == expected
        assert results.count() == len(expected)
        transaction.set_rollback(True)
