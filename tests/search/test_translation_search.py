"""A report's translation is searched with it, behind the same access layer."""

from __future__ import annotations

import pytest

from alianza.intel.services import report_translate
from alianza.search.selectors import report_search

pytestmark = pytest.mark.django_db


def _ids(user, q):
    return set(report_search(reader=user, q=q).values_list("pk", flat=True))


def test_words_of_a_translation_find_the_report_for_its_readers_only(world):
    shared, internal = world.reports["us_shared"], world.reports["us_internal"]
    report_translate(
        actor=world.user("mx_analyst"),
        report=shared,
        title="Casa de seguridad MARVINIA",
        body="Los halcones vigilan la garita Mariposa.",
    )
    report_translate(
        actor=world.user("us_analyst"),
        report=internal,
        title="Informe interno",
        body="Túnel bajo la calle MARVINIA.",
    )
    assert _ids(world.user("mx_analyst"), "marvinia") == {shared.pk}
    assert _ids(world.user("mx_analyst"), "garita mariposa") == {shared.pk}
    assert _ids(world.user("us_analyst"), "marvinia") == {shared.pk, internal.pk}
    # A new translation replaces the old words in the index.
    report_translate(
        actor=world.user("mx_analyst"), report=shared, title="Casa", body="Sin nombres."
    )
    assert _ids(world.user("mx_analyst"), "marvinia") == set()
    assert _ids(world.user("us_analyst"), "marvinia") == {internal.pk}
