"""State changes of agencies' people: rows and audit entry in one transaction each."""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from alianza.access.getters import RecordNotFound
from alianza.access.querysets import system_access
from alianza.access.rules import forget_reader, reader_for
from alianza.audit.services import audit_record

from .models import Agency, Officer, Unit
from .roles import ROLE_PERMISSIONS

OFFICER_FIELDS = (
    "unit",
    "badge_number",
    "given_name",
    "family_name",
    "rank",
    "languages",
    "email",
    "phone",
)


def _require_manager_of(actor, agency: Agency) -> None:
    """`actor` None is the system (command line, demo loader); anyone else must be an
    agency administrator of `agency`. A refusal looks like a missing record."""
    if actor is None:
        return
    reader = reader_for(actor)
    if not (
        reader.may_read_anything
        and reader.agency_id == agency.pk
        and actor.has_perm("agencies.manage_officers")
    ):
        raise RecordNotFound()


def _validate_unit(unit: Unit | None, agency: Agency) -> None:
    if unit is not None and unit.agency_id != agency.pk:
        raise ValidationError({"unit": _("The unit must belong to the officer's agency.")})


def _verify_visible(actor, officer: Officer) -> None:
    # Save-then-verify: a write that leaves the record outside the actor's view is rolled back.
    if actor is not None and not Officer.objects.visible_to(actor).filter(pk=officer.pk).exists():
        raise RecordNotFound()


@transaction.atomic
def officer_create(
    *,
    actor,
    agency: Agency,
    badge_number: str,
    given_name: str,
    family_name: str,
    unit: Unit | None = None,
    rank: str = "",
    languages: Iterable[str] = (),
    email: str = "",
    phone: str = "",
    username: str | None = None,
    password: str | None = None,
    roles: Iterable[str] = (),
    active: bool = True,
) -> Officer:
    _require_manager_of(actor, agency)
    _validate_unit(unit, agency)
    user = None
    if username:
        user_model = get_user_model()
        if user_model.objects.filter(username=username).exists():
            raise ValidationError({"username": _("This username is already taken.")})
        user = user_model.objects.create_user(
            username=username,
            password=password,
            email=email,
            first_name=given_name,
            last_name=family_name,
        )
        if password is None:
            user.set_unusable_password()
            user.save(update_fields=["password"])
    officer = Officer(
        user=user,
        agency=agency,
        unit=unit,
        badge_number=badge_number,
        given_name=given_name,
        family_name=family_name,
        rank=rank,
        languages=sorted(set(languages)),
        email=email,
        phone=phone,
        active=active,
    )
    with system_access(reason="uniqueness of badge numbers across the agency"):
        officer.full_clean()
    officer.save()
    if user is not None and roles:
        _set_roles(user, roles)
    _verify_visible(actor, officer)
    audit_record(
        action="officer.create",
        actor=actor,
        actor_username="" if actor else "system",
        obj=officer,
        details={"roles": sorted(roles), "username": username or ""},
    )
    return officer


@transaction.atomic
def officer_update(*, actor, officer: Officer, **changes) -> Officer:
    unknown = set(changes) - set(OFFICER_FIELDS)
    if unknown:
        raise ValidationError({name: _("This field cannot be changed here.") for name in unknown})
    _require_manager_of(actor, officer.agency)
    _validate_unit(changes.get("unit", officer.unit), officer.agency)
    changed = {}
    for name, value in changes.items():
        old = getattr(officer, name)
        if old != value:
            changed[name] = [str(old), str(value)]
            setattr(officer, name, value)
    with system_access(reason="uniqueness of badge numbers across the agency"):
        officer.full_clean()
    officer.save()
    _verify_visible(actor, officer)
    audit_record(
        action="officer.update",
        actor=actor,
        actor_username="" if actor else "system",
        obj=officer,
        details={"changed": changed},
    )
    return officer


@transaction.atomic
def officer_set_active(*, actor, officer: Officer, active: bool, reason: str = "") -> Officer:
    _require_manager_of(actor, officer.agency)
    if officer.active != active:
        officer.active = active
        officer.save(update_fields=["active", "updated_at"])
        if officer.user_id:
            forget_reader(officer.user)
    audit_record(
        action="officer.activate" if active else "officer.deactivate",
        actor=actor,
        actor_username="" if actor else "system",
        obj=officer,
        details={"reason": reason},
    )
    return officer


def _set_roles(user, roles: Iterable[str]) -> None:
    roles = set(roles)
    unknown = roles - set(ROLE_PERMISSIONS)
    if unknown:
        raise ValidationError({"roles": _("Unknown role: %(role)s") % {"role": sorted(unknown)[0]}})
    user.groups.set(Group.objects.filter(name__in=roles))


@transaction.atomic
def officer_set_roles(*, actor, officer: Officer, roles: Iterable[str]) -> Officer:
    _require_manager_of(actor, officer.agency)
    if officer.user is None:
        raise ValidationError({"roles": _("This officer has no user account.")})
    _set_roles(officer.user, roles)
    forget_reader(officer.user)
    audit_record(
        action="officer.set_roles",
        actor=actor,
        actor_username="" if actor else "system",
        obj=officer,
        details={"roles": sorted(roles)},
    )
    return officer


@transaction.atomic
def agency_create(
    *, actor, code: str, name_en: str, name_es: str, country: str, require_two_factor=False
) -> Agency:
    if actor is not None and not actor.is_superuser:
        raise RecordNotFound()
    agency = Agency(
        code=code,
        name_en=name_en,
        name_es=name_es,
        country=country.upper(),
        require_two_factor=require_two_factor,
    )
    agency.full_clean()
    agency.save()
    audit_record(
        action="agency.create",
        actor=actor,
        actor_username="" if actor else "system",
        object_type="agencies.agency",
        object_id=str(agency.pk),
        object_agency_code=agency.code,
    )
    return agency


@transaction.atomic
def unit_create(
    *, actor, agency: Agency, code: str, name: str, kind: str, parent: Unit | None = None
) -> Unit:
    _require_manager_of(actor, agency)
    if parent is not None and parent.agency_id != agency.pk:
        raise ValidationError({"parent": _("The parent unit must belong to the same agency.")})
    unit = Unit(agency=agency, code=code, name=name, kind=kind, parent=parent)
    unit.full_clean()
    unit.save()
    audit_record(
        action="unit.create", actor=actor, actor_username="" if actor else "system", obj=unit
    )
    return unit
