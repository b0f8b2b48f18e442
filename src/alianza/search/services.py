"""The one write of this app: the audit entry of a search."""

from __future__ import annotations

from alianza.audit.services import audit_record


def search_audit(
    *, actor, q: str, kind: str, count: int, page: int = 1, entity_count: int | None = None
) -> None:
    """Every search is audited with its query text (what an insider fishing looks like)."""
    details = {"q": q[:500], "count": count, "page": page}
    if entity_count is not None:
        details["entities"] = entity_count
    audit_record(action="search", actor=actor, object_type=f"intel.{kind}", details=details)
