"""The REST API root (django-ninja): `/api/`, OpenAPI at `/api/openapi.json`."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import HttpBearer, django_auth

from alianza.accounts.services import ApiTokenLockedOut, ApiTokenRefused, api_token_authenticate


class BearerToken(HttpBearer):
    """`Authorization: Bearer <token>` with a personal token (`alianza token create USER`).

    The session middleware (idle timeout, two-factor) never sees token requests, so the token
    service applies their rules itself: bad tokens count towards the login lockout per client
    address (429), and tokens of roles that require TOTP are refused until it is set up (403)."""

    def authenticate(self, request, token):
        user = api_token_authenticate(token, request=request)
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


@api.exception_handler(ApiTokenRefused)
def _token_refused(request, exc: ApiTokenRefused):
    return api.create_response(request, {"detail": exc.message, "code": exc.code}, status=403)


@api.exception_handler(ApiTokenLockedOut)
def _token_locked_out(request, exc: ApiTokenLockedOut):
    response = api.create_response(
        request,
        {
            "detail": _("Too many invalid API tokens from this address. Try again later."),
            "code": "api_token_locked_out",
        },
        status=429,
    )
    if exc.retry_after_seconds:
        response["Retry-After"] = str(exc.retry_after_seconds)
    return response


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
