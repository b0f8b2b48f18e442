from django.shortcuts import get_object_or_404
from ninja import Router, Status

from alianza.access.getters import RecordNotFound, access_get
from alianza.access.rules import reader_for
from alianza.agencies.models import Agency, Officer
from alianza.audit.services import audit_record

from . import readiness, selectors, services
from .models import TrainingSession
from .schemas import EnrolmentIn, EnrolmentOut, ReadinessOut, SessionOut

router = Router(tags=["training"])


def _enrolment_out(enrolment):
    return {
        "id": enrolment.pk,
        "officer_id": enrolment.officer_id,
        "officer_name": enrolment.officer.full_name,
        "attended": enrolment.attended,
        "passed": enrolment.passed,
    }


@router.get("/sessions", response=list[SessionOut])
def session_list(request):
    if not reader_for(request.user).may_read_anything:
        raise RecordNotFound()
    return [
        {
            "id": s.pk,
            "course": s.course.code,
            "starts_on": s.starts_on,
            "ends_on": s.ends_on,
            "place": s.place,
            "language": s.language,
            "capacity": s.capacity,
            "taken": s.taken,
        }
        for s in selectors.session_list()[:200]
    ]


@router.get("/sessions/{session_id}/enrolments", response=list[EnrolmentOut])
def session_enrolments(request, session_id: int):
    if not reader_for(request.user).may_read_anything:
        raise RecordNotFound()
    session = get_object_or_404(TrainingSession, pk=session_id)
    audit_record(
        action="training_session.view",
        actor=request.user,
        object_type="training.trainingsession",
        object_id=str(session.pk),
    )
    return [
        _enrolment_out(e) for e in selectors.session_roster(reader=request.user, session=session)
    ]


@router.post("/sessions/{session_id}/enrolments", response={201: EnrolmentOut})
def enrol(request, session_id: int, payload: EnrolmentIn):
    if not request.user.has_perm("training.add_enrolment"):
        raise RecordNotFound()
    session = get_object_or_404(TrainingSession, pk=session_id)
    officer = access_get(request.user, Officer, pk=payload.officer_id)
    return Status(
        201,
        _enrolment_out(
            services.enrolment_create(actor=request.user, session=session, officer=officer)
        ),
    )


@router.get("/readiness", response=ReadinessOut)
def readiness_get(request, qualification: str = "joint_patrol", target: int = 300):
    """Own agency per unit and role (with who lapses next); every agency as aggregates."""
    if not request.user.has_perm("vetting.view_vetting_status"):
        raise RecordNotFound()
    reader = reader_for(request.user)
    tables = readiness.readiness_tables(reader=reader, qualification=qualification)
    result = readiness.forecast(
        agency=Agency.objects.get(pk=reader.agency_id),
        target=max(1, target),
        qualification=qualification,
    )
    audit_record(
        action="training.readiness",
        actor=request.user,
        details={"qualification": qualification, "target": target},
    )
    return {
        **tables,
        "forecast": {
            "target": result.target,
            "ready_now": result.ready_now,
            "vetting_per_week": result.vetting_per_week,
            "training_per_week": result.training_per_week,
            "pass_rate": result.pass_rate,
            "reached_on": result.reached_on,
        },
    }
