"""A user who has lost shared access is told on their home page, and why: which vetting
expired and when, was not approved or is missing, or that access is suspended pending review
(never what an allegation says). A cleared user sees no such notice."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import formats, timezone, translation
from django.utils.html import strip_tags

from alianza.accounts.models import UserPreference
from alianza.vetting.models import CheckType, VettingCase
from alianza.vetting.services import allegation_file, check_result_record

from world import login_verified

pytestmark = pytest.mark.django_db

NOTICE = re.compile(r'<section class="notice" id="shared-access-notice"[^>]*>(.*?)</section>', re.S)
LEAHY_ES = "Verificación Leahy de derechos humanos"
C3_ES = "Evaluación de control de confianza"


def _home(client, user, language="es"):
    UserPreference.objects.update_or_create(user=user, defaults={"language": language})
    body = login_verified(client, user).get("/").content.decode()
    assert f'<html lang="{language}">' in body
    found = NOTICE.search(body)
    return strip_tags(found.group(1)).strip() if found else None


def _record(world, officer, programme_code, *, result, examined_on):
    case = VettingCase.objects.unrestricted(reason="test").get(
        officer=officer, programme__code=programme_code
    )
    for check in CheckType.objects.filter(programme=case.programme):
        check_result_record(
            actor=world.user("mx_vetting"),
            case=case,
            check_type=check,
            result=result,
            examiner="Examiner",
            examined_on=examined_on,
        )
    return case


def _expire_leahy(world, officer):
    """A Leahy check recorded later but examined 400 days ago (valid 365): expired."""
    examined_on = timezone.localdate() - dt.timedelta(days=400)
    _record(world, officer, "US-LEAHY", result="pass", examined_on=examined_on)
    return examined_on + dt.timedelta(days=365)


def test_expired_vetting_names_the_programme_and_the_day_it_expired(client, world):
    user = world.user("mx_analyst")
    expired_on = _expire_leahy(world, user.officer)
    notice = _home(client, user)
    with translation.override("es"):
        day = formats.date_format(expired_on, "DATE_FORMAT")
    assert notice.startswith("No puede consultar los registros que comparte la agencia")
    assert f"({LEAHY_ES}) venció el {day}." in notice
    assert C3_ES not in notice  # the control-de-confianza evaluation is still current
    assert "evaluador de control de confianza" in notice


def test_expired_vetting_notice_in_english(client, world):
    user = world.user("mx_analyst")
    expired_on = _expire_leahy(world, user.officer)
    notice = _home(client, user, language="en")
    with translation.override("en"):
        day = formats.date_format(expired_on, "DATE_FORMAT")
    assert notice == (
        "You cannot see records shared by the partner agency: your vetting "
        f"(Leahy human-rights vetting) expired on {day}. Contact your vetting officer."
    )


def test_suspension_says_pending_review_and_nothing_of_the_allegation(client, world):
    user = world.user("mx_analyst")
    allegation_file(
        actor=world.user("mx_comp"), officer=user.officer, summary="Allegation text SHOULDNOTLEAK"
    )
    body_notice = _home(client, user)
    assert "suspendido en espera de revisión" in body_notice
    assert "SHOULDNOTLEAK" not in body_notice
    body = client.get("/").content.decode()
    assert "SHOULDNOTLEAK" not in body


def test_not_vetted_officer_is_told_which_programmes_are_missing(client, world):
    notice = _home(client, world.user("mx_unvetted"))
    assert "no ha sido evaluado en control de confianza" in notice
    assert C3_ES in notice and LEAHY_ES in notice


def test_denied_vetting_says_it_was_not_approved(client, world):
    user = world.user("mx_analyst")
    # Yesterday: "today" in UTC may already be tomorrow in the display time zone.
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    _record(world, user.officer, "MX-C3", result="fail", examined_on=yesterday)
    notice = _home(client, user)
    assert f"({C3_ES}) no fue aprobado" in notice


def test_cleared_user_sees_no_notice(client, world):
    body_notice = _home(client, world.user("mx_comp"))
    assert body_notice is None
    assert _home(client, world.user("us_analyst"), language="en") is None


def test_an_agency_without_a_vetting_programme_is_told_to_ask_its_administrator(client, world):
    from alianza.agencies.models import Agency

    from world import make_user

    agency = Agency.objects.create(code="GNSON", name_en="Sonora State Guard", country="MX")
    user = make_user(agency=agency, username="gn.agent")
    assert _home(client, user, language="en") == (
        "You cannot see records shared by the partner agency: no vetting programme is set up "
        "for your agency. Contact your agency administrator."
    )
