"""Patrol plan generation for the whole Arizona–Sonora stretch of the line, through the
product's pipeline, against the raw solver on the same game in the same run.

    .venv/bin/python benchmarks/patrols_plan.py [--repeat N] [--events N] [--officers N]
                                                [--database sqlite|postgres]

The world (a throwaway database): the bundled border (3,224 segments), a sector covering the
Arizona–Sonora boundary (from the Colorado River to the New Mexico line, ~600 segments, with
seeded terrain runs: urban, flat desert, mountain, river), two agencies and a joint operation,
`--officers` (default 40) vetted officers per agency qualified for joint patrols (a third of
them also ATV operators) who are members of the operation, and `--events` (default 20,000)
flow events of the last 8 weeks releasable to both agencies, clustered near three crossings.

Timed, taking turns (median of --repeat, default 5, after one warm-up each):

  pipeline    services.plan_generate: risk from the events (queries, recency weights,
              smoothing), crews from eligible and rested members (patrol_eligibility, booking
              queries), BorderGame, solve_schedules, sample_shift_plan, the assignment rows,
              the checks and the audit entry; each generated plan is withdrawn afterwards
              (untimed) so the officers are free for the next run.
  raw solver  solve_schedules on the same BorderGame (rebuilt from the plan's stored inputs).

Printed: both medians, the ratio, the overhead in seconds, segments x slots, units, the solver's
gap, and the pipeline's own split from the last run (risk and crews / solve / write).
"""

from __future__ import annotations

import argparse
import datetime as dt
import time

import _django
import numpy as np

ARIZONA_WEST = (-114.7196, 32.7186)  # the boundary leaves the Colorado River near Yuma/San Luis
ARIZONA_EAST = (-109.0503, 31.3323)  # the New Mexico state line
HOTSPOTS = ((-110.95, 31.33), (-111.54, 31.48), (-109.95, 31.33))  # Nogales, Sasabe, Naco
TERRAINS = ("urban", "desert_flat", "mountain", "river")


def build_world(*, officers: int, events: int, seed: int):
    from django.utils import timezone

    from alianza.access.models import CompartmentMembership
    from alianza.access.services import marking_get_or_create
    from alianza.agencies.models import Officer
    from alianza.agencies.services import agency_create, officer_create
    from alianza.border.locating import default_locator
    from alianza.border.models import Sector, Segment
    from alianza.border.services import border_segments_load
    from alianza.flows.models import FlowEvent
    from alianza.operations.services import operation_create
    from alianza.training.models import Certification, Course
    from alianza.training.services import training_catalogue_load
    from alianza.vetting.models import CaseApproval, CheckResult, VettingCase, VettingProgramme
    from alianza.vetting.services import vetting_programmes_load

    rng = np.random.default_rng(seed)
    t0 = time.perf_counter()
    border_segments_load()
    us = agency_create(
        actor=None, code="USBP", name_en="U.S. Border Patrol", name_es="Patrulla", country="US"
    )
    mx = agency_create(
        actor=None, code="MXFP", name_en="Mexican Federal Police", name_es="PF", country="MX"
    )
    vetting_programmes_load()
    training_catalogue_load()
    locator = default_locator()
    west = locator.locate(*ARIZONA_WEST).km_marker
    east = locator.locate(*ARIZONA_EAST).km_marker
    sector = Sector.objects.create(
        agency=us, code="AZ-SON", name="Arizona–Sonora", km_start=west, km_end=east
    )
    segments = list(Segment.objects.filter(km_end__gt=west, km_start__lt=east).order_by("index"))
    terrain: list[str] = []
    while len(terrain) < len(segments):
        kind = rng.choice(TERRAINS, p=[0.06, 0.5, 0.3, 0.14])
        terrain.extend([str(kind)] * int(rng.integers(3, 40)))
    for segment, kind in zip(segments, terrain, strict=False):
        segment.terrain = kind
    Segment.objects.bulk_update(segments, ["terrain"], batch_size=500)
    today = timezone.localdate()
    operation = operation_create(
        actor=None,
        code="OP-BENCH",
        name="Benchmark operation",
        starts_on=today - dt.timedelta(days=60),
        ends_on=today + dt.timedelta(days=400),
        lead_agencies=[us, mx],
        origin=us,
    )
    approvers = {
        agency.pk: [
            Officer.objects.unrestricted(reason="benchmark").create(
                agency=agency, badge_number=f"APPROVER-{n}", given_name="A", family_name=str(n)
            )
            for n in (1, 2)
        ]
        for agency in (us, mx)
    }
    courses = {c.code: c for c in Course.objects.all()}
    supervisor = None
    for agency in (us, mx):
        for n in range(officers + 1):
            is_supervisor = n == officers
            officer = officer_create(
                actor=None,
                agency=agency,
                badge_number=f"{agency.code}-{n}",
                given_name="Officer",
                family_name=f"{agency.code} {n}",
                username=f"{agency.code.lower()}.{n}",
                password="benchmark-password-123",
                roles=["patrol_supervisor" if is_supervisor else "patrol_agent"],
            )
            CompartmentMembership.objects.create(compartment=operation.compartment, officer=officer)
            for programme in VettingProgramme.objects.filter(subject_agency=agency):
                case = VettingCase.objects.create(
                    officer=officer, programme=programme, opened_at=timezone.now()
                )
                examined = today - dt.timedelta(days=30)
                for check in programme.check_types.all():
                    CheckResult.objects.create(
                        case=case,
                        check_type=check,
                        result="pass",
                        examiner="Examiner",
                        examined_on=examined,
                        expires_on=examined + dt.timedelta(days=programme.validity_days),
                        recorded_at=timezone.now(),
                    )
                for approver in approvers[agency.pk]:
                    CaseApproval.objects.create(
                        case=case, approver=approver, approved_at=timezone.now()
                    )
            codes = ["HR-100", "JP-101"] + (["ATV-200"] if n % 3 == 0 else [])
            for code in codes:
                Certification.objects.create(
                    officer=officer, course=courses[code], issued_on=today - dt.timedelta(days=5)
                )
            if is_supervisor and agency == us:
                supervisor = officer.user
    marking = marking_get_or_create(originating_agency=us, releasable_to=[mx])
    now = timezone.now()
    # Events near three crossings (Gaussian in km) and a thin background, nights busier.
    kms = np.concatenate(
        [rng.normal(locator.locate(*spot).km_marker, 6.0, size=events // 4) for spot in HOTSPOTS]
        + [rng.uniform(west, east, size=events - 3 * (events // 4))]
    )
    kms = np.clip(kms, west, east - 1e-6)
    starts = np.array([s.km_start for s in segments])
    rows = []
    for km in kms:
        i = int(np.searchsorted(starts, km, side="right") - 1)
        hours = float(rng.uniform(0, 56 * 24))
        rows.append(
            FlowEvent(
                kind=str(rng.choice(["apprehension", "got_away", "sighting", "seizure"])),
                direction="northbound",
                occurred_at=now - dt.timedelta(hours=hours),
                lon=0.0,
                lat=0.0,
                segment=segments[i],
                km_marker=float(km),
                side="MX",
                distance_m=100.0,
                agency=us,
                marking=marking,
            )
        )
    FlowEvent.objects.bulk_create(rows, batch_size=2000)
    print(
        f"world: {len(segments)} segments, {2 * officers} officers, {len(rows):,} events "
        f"({time.perf_counter() - t0:.1f}s)"
    )
    return operation, sector, supervisor


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    _django.add_common_arguments(ap)
    ap.add_argument("--events", type=int, default=20_000)
    ap.add_argument("--officers", type=int, default=40)
    ap.add_argument("--seed", type=int, default=20261128)
    args = ap.parse_args()
    repeat = args.repeat or 5
    with _django.throwaway_database(
        database=args.database, name="patrols", pg_server=args.pg_server, keep=args.keep
    ):
        from django.utils import timezone

        from alianza.games.schedules import solve_schedules
        from alianza.patrols import planning, services
        from alianza.patrols.models import PatrolAssignment, PatrolPlan

        operation, sector, supervisor = build_world(
            officers=args.officers, events=args.events, seed=args.seed
        )
        date = timezone.localdate() + dt.timedelta(days=1)
        counter = iter(range(10**6))
        last: dict = {}

        def pipeline():
            plan = services.plan_generate(
                actor=supervisor,
                operation=operation,
                sector=sector,
                date=date,
                shift="night",
                seed=next(counter),
            )
            last["plan"] = plan
            services.plan_withdraw(actor=None, plan=plan)

        pipeline()  # the plan whose game the raw solver replays
        game = planning.game_from_inputs(last["plan"].inputs)
        limit = float(last["plan"].inputs["method"]["solver_time_limit"])

        def raw():
            last["raw"] = solve_schedules(game, time_limit=limit)

        times = _django.interleaved({"pipeline": pipeline, "raw solver": raw}, repeat)
        plan = last["plan"]
        pipe, solver = _django.median(times["pipeline"]), _django.median(times["raw solver"])
        result = plan.solver_result
        units = {u["name"]: u["available"] for u in plan.inputs["unit_types"]}
        assignments = (
            PatrolAssignment.objects.unrestricted(reason="benchmark").filter(plan=plan).count()
        )
        plans = PatrolPlan.objects.unrestricted(reason="benchmark").count()
        # The pipeline's own split, once: inputs (risk queries and estimate, crews), then
        # solve + sample + crew mapping; the rest of plan_generate is rows, checks and audit.
        t0 = time.perf_counter()
        inputs = services.plan_inputs_build(
            reader=supervisor, operation=operation, sector=sector, date=date, shift="night", seed=1
        )
        t1 = time.perf_counter()
        planning.plan_compute(inputs, 1)
        t2 = time.perf_counter()
        split = (t1 - t0, t2 - t1)
        print(_django.load_note())
        print(
            f"game: {len(plan.inputs['segments'])} segments x {len(plan.inputs['slots'])} slots, "
            f"units per slot {units}, {len(plan.inputs['pairs'])} pair types"
        )
        print(
            f"solver: status {result['status']}, gap {result['gap']:.2e}, "
            f"{result['num_columns']} columns, {result['iterations']} iterations; "
            f"raw re-solve gap {last['raw'].gap:.2e}"
        )
        print(
            _django.table(
                ["figure", "median s", "runs"],
                [
                    ["pipeline (plan_generate)", f"{pipe:.3f}", len(times["pipeline"])],
                    ["raw solve_schedules", f"{solver:.3f}", len(times["raw solver"])],
                    ["solve inside the pipeline (last)", f"{result['solve_seconds']:.3f}", 1],
                ],
            )
        )
        print(
            f"split (one run): inputs {split[0]:.3f} s (risk + crews), solve + sample "
            f"{split[1]:.3f} s, rows + checks + audit ~{max(0.0, pipe - sum(split)):.3f} s"
        )
        print(
            f"ratio pipeline / raw solver: {pipe / solver:.2f}x "
            f"(overhead {pipe - solver:.3f} s: risk, crews, sampling, {assignments} assignment "
            f"rows, checks, audit); {plans} plans generated"
        )


if __name__ == "__main__":
    main()
