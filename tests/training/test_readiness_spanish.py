"""The readiness page in Spanish shows role labels and what lapses in words, never raw codes
(`agency_admin`, `patrol_agent`, "vetting")."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone, translation
from django.utils.html import strip_tags

from alianza.accounts.models import UserPreference
from alianza.agencies.roles import ROLE_LABELS
from alianza.training.models import Certification, Course

from world import login_verified, make_user, vet_officer

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _language_restored():
    """A request activates the user's language for the whole thread (the middleware does not
    put it back): restore the suite's language, so later tests do not run in Spanish."""
    with translation.override(translation.get_language()):
        yield


def test_readiness_page_in_spanish_shows_no_raw_code(client, world):
    # One Mexican officer of every role, so every role's row is on the page.
    vet_officer(make_user(agency=world.mx, username="mx.todo", roles=list(ROLE_LABELS)).officer)
    course = Course.objects.get(code="JP-101")
    issued = timezone.localdate() - dt.timedelta(days=10)
    Certification.objects.create(
        officer=world.user("mx_comp").officer,
        course=course,
        issued_on=issued,
        expires_on=issued + dt.timedelta(days=course.validity_days),
    )
    user = world.user("mx_training")
    UserPreference.objects.update_or_create(user=user, defaults={"language": "es"})
    body = login_verified(client, user).get("/training/readiness/").content.decode()
    assert '<html lang="es">' in body
    cells = {strip_tags(cell).strip() for cell in re.findall(r"<td>(.*?)</td>", body)}
    for code in ROLE_LABELS:
        assert code not in cells
    assert {"Analista", "Administrador de la agencia", "Agente de patrulla"} <= cells
    # What lapses: vetting and the joint-patrol certification, in words.
    assert "vetting" not in cells and "JP-101" not in cells
    assert "Control de confianza" in cells
    assert any(cell.startswith("Certificación JP-101 (") for cell in cells)
