"""Entities and the link graph: resolving selectors to one entity, linking with provenance,
and reading neighbours and shortest paths through visible edges only."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q

from alianza.access.getters import RecordNotFound
from alianza.access.rules import reader_for
from alianza.agencies.models import Officer
from alianza.audit.services import audit_record

from . import normalise
from .entity_models import Entity, Mention, Relation
from .models import Report
from .selectors import entities_labelled

MAX_PATH_DEPTH = 6


def selector_for(
    *, kind: str, raw: str, state: str = "", make: str = "", region: str = "MX"
) -> str:
    """The canonical key of `raw` for an entity of `kind` (ValidationError naming `raw`)."""
    try:
        match kind:
            case Entity.Kind.PHONE:
                return normalise.phone_e164(raw, default_region=region)
            case Entity.Kind.VEHICLE:
                if state:
                    return "PLATE:" + normalise.plate(raw, state=state)
                return "VIN:" + normalise.vin(raw)
            case Entity.Kind.FIREARM:
                return normalise.firearm_serial(raw, make=make)
            case Entity.Kind.ACCOUNT:
                return "CLABE:" + normalise.clabe(raw)
            case _:
                return normalise.name_key(raw)
    except ValueError as exc:
        raise ValidationError({"raw": str(exc)}) from exc


def _linker(actor, report: Report) -> Officer | None:
    """Only analysts of the report's agency link entities to it (actor None: the system)."""
    if actor is None:
        return None
    reader = reader_for(actor)
    if not (
        reader.may_read_anything
        and reader.agency_id == report.agency_id
        and actor.has_perm("intel.change_report")
    ):
        raise RecordNotFound()
    if not Report.objects.visible_to(actor).filter(pk=report.pk).exists():
        raise RecordNotFound()
    return Officer.objects.unrestricted(reason="the linker's own record").get(pk=reader.officer_id)


NAMED_KINDS = frozenset({Entity.Kind.PERSON, Entity.Kind.ORGANISATION, Entity.Kind.LOCATION})


def neutral_label(*, kind: str, selector: str, raw: str) -> str:
    """The entity's own label: nothing a reader of any one mention does not already know. A
    selector is the same for every mention; a name folds to the same key in every mention
    (they differ at most in case, accents and spacing)."""
    return raw.strip()[:200] if kind in NAMED_KINDS else selector[:200]


def _entity(kind: str, selector: str, label: str) -> Entity:
    found = (
        Entity.objects.unrestricted(reason="resolve a selector to one entity")
        .filter(kind=kind, selector=selector)
        .first()
    )
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Entity.objects.create(kind=kind, selector=selector, label=label)
    except IntegrityError:
        return Entity.objects.unrestricted(reason="resolve a selector").get(
            kind=kind, selector=selector
        )


@transaction.atomic
def entity_mention(
    *,
    actor,
    report: Report,
    kind: str,
    raw: str,
    role: str = "",
    state: str = "",
    make: str = "",
    label: str = "",
) -> Mention:
    """Record that `report` names an entity; the same selector resolves to the same entity."""
    officer = _linker(actor, report)
    if kind not in Entity.Kind.values:
        raise ValidationError({"kind": f"unknown entity kind {kind!r}"})
    selector = selector_for(kind=kind, raw=raw, state=state, make=make)
    entity = _entity(kind, selector, neutral_label(kind=kind, selector=selector, raw=raw))
    mention, _created = Mention.objects.unrestricted(reason="idempotent link").get_or_create(
        entity=entity,
        report=report,
        alias=raw.strip()[:200],
        defaults={"role": role, "label": label.strip()[:200], "created_by": officer},
    )
    audit_record(
        action="entity.mention",
        actor=actor,
        actor_username="" if actor else "system",
        obj=report,
        details={"entity": entity.pk, "kind": kind},
    )
    return mention


@transaction.atomic
def entity_relate(*, actor, report: Report, source: Entity, target: Entity, kind: str) -> Relation:
    officer = _linker(actor, report)
    if source.pk == target.pk:
        raise ValidationError({"target": "an entity cannot be related to itself"})
    relation = Relation.objects.create(
        source=source, target=target, kind=kind, report=report, created_by=officer
    )
    audit_record(
        action="entity.relate",
        actor=actor,
        actor_username="" if actor else "system",
        obj=report,
        details={"source": source.pk, "target": target.pk, "kind": kind},
    )
    return relation


# --- reads ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Edge:
    source_id: int
    target_id: int
    kind: str
    report_id: int


def visible_edges(*, reader, touching: set[int] | None = None) -> list[Edge]:
    relations = Relation.objects.visible_to(reader)
    if touching is not None:
        relations = relations.filter(Q(source_id__in=touching) | Q(target_id__in=touching))
    return [
        Edge(*row) for row in relations.values_list("source_id", "target_id", "kind", "report_id")
    ]


def neighbours(*, reader, entity: Entity) -> list[tuple[Entity, Edge]]:
    edges = visible_edges(reader=reader, touching={entity.pk})
    others = {e.target_id if e.source_id == entity.pk else e.source_id for e in edges}
    # An entity known only through a hidden report is not returned, even at an edge's end.
    entities = entities_labelled(Entity.objects.visible_to(reader), reader=reader).in_bulk(
        list(others)
    )
    result = []
    for edge in edges:
        other = edge.target_id if edge.source_id == entity.pk else edge.source_id
        if other in entities:
            result.append((entities[other], edge))
    return result


def shortest_path(
    *, reader, start: Entity, goal: Entity, max_depth: int = MAX_PATH_DEPTH
) -> list[tuple[Entity, Edge | None]]:
    """Breadth-first search, one frontier query per level, over visible edges and entities.
    Returns [(entity, edge that led to it)] from start to goal, or [] when none exists."""
    visible = Entity.objects.visible_to(reader)
    if not visible.filter(pk__in=[start.pk, goal.pk]).count() == len({start.pk, goal.pk}):
        return []
    came_from: dict[int, tuple[int, Edge] | None] = {start.pk: None}
    frontier = {start.pk}
    depth = 0
    while frontier and goal.pk not in came_from and depth < max_depth:
        depth += 1
        next_frontier = set()
        edges = visible_edges(reader=reader, touching=frontier)
        candidates = {e.source_id for e in edges} | {e.target_id for e in edges}
        allowed = set(visible.filter(pk__in=candidates).values_list("pk", flat=True))
        for edge in edges:
            for here, there in ((edge.source_id, edge.target_id), (edge.target_id, edge.source_id)):
                if here in frontier and there in allowed and there not in came_from:
                    came_from[there] = (here, edge)
                    next_frontier.add(there)
        frontier = next_frontier
    if goal.pk not in came_from:
        return []
    chain = []
    node: int | None = goal.pk
    while node is not None:
        step = came_from[node]
        chain.append((node, step[1] if step else None))
        node = step[0] if step else None
    chain.reverse()
    entities = entities_labelled(visible, reader=reader).in_bulk([pk for pk, _ in chain])
    return [(entities[pk], edge) for pk, edge in chain]
