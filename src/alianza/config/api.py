"""The REST API root (django-ninja): `/api/`, OpenAPI at `/api/openapi.json`."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, django_auth

from alianza.accounts.services import api_token_authenticate


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>` with a personal token (`alianza token create USER`)."""

    def authenticate(self, request, token):
        user = api_token_authenticate(token)
        if user is not None:
            request.user = user
        return user


api = NinjaAPI(
    title="Alianza API",
    version="1",
    description="Binational joint border operations. Every list and record is filtered by the "
    "access layer: a record you may not see answers 404, exactly like a missing one.",
    auth=[BearerToken(), django_auth],
    urls_namespace="api",
)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(DjangoValidationError)
def _invalid(request, exc: DjangoValidationError):
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    field, messages = next(iter(errors.items()))
    return api.create_response(
        request,
        {"detail": f"{field}: {messages[0]}", "field": field, "errors": errors},
        status=422,
    )


@api.exception_handler(NinjaValidationError)
def _schema_invalid(request, exc: NinjaValidationError):
    first = exc.errors[0] if exc.errors else {}
    location = [str(part) for part in first.get("loc", []) if part not in ("body", "payload")]
    field = ".".join(location) or "__all__"
    return api.create_response(
        request,
        {"detail": f"{field}: {first.get('msg', 'invalid')}", "field": field, "errors": exc.errors},
        status=422,
    )


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return api.create_response(request, {"detail": "Authentication required."}, status=401)


api.add_router("/", "alianza.agencies.api.router")
api.add_router("/intel", "alianza.intel.api.router")
api.add_router("/audit", "alianza.audit.api.router")
api.add_router("/vetting", "alianza.vetting.api.router")
api.add_router("/training", "alianza.training.api.router")
api.add_router("/flows", "alianza.flows.api.router")
api.add_router("/patrols", "alianza.patrols.api.router")
api.add_router("/positions", "alianza.positions.api.router")
api.add_router("/flows/map", "alianza.flows.map_api.router")
api.add_router("/search", "alianza.search.api.router")
api.add_router("/series", "alianza.series.api.router")
