"""Who is acting, from where, in which request: set by middleware, read by audit_record."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass


@dataclass(frozen=True)
class RequestContext:
    request_id: str = ""
    client_address: str = ""


_NO_REQUEST = RequestContext()
current_request: contextvars.ContextVar[RequestContext] = contextvars.ContextVar(
    "alianza_request_context",
    default=_NO_REQUEST,  # noqa: B039 - frozen, immutable
)
