"""No copy of what a signed-in user saw is kept by a browser or a proxy.

Any page or API answer given to a signed-in user (a session, or an `Authorization` header such
as an API token, whether or not it was accepted) may show marked records, so it is sent with
`Cache-Control: no-store` (with Django's `add_never_cache_headers`: `max-age=0, no-cache,
no-store, must-revalidate, private` and an `Expires` in the past) and `Pragma: no-cache` for
HTTP/1.0 caches. The rule is one middleware for every response rather than a decorator per view,
so a new view cannot forget it. Static assets (under STATIC_URL) hold no records and keep the
caching WhiteNoise gives them; anonymous answers (the login page, a 401) are left as they are.
"""

from __future__ import annotations

from django.conf import settings
from django.utils.cache import add_never_cache_headers


def _signed_in(request) -> bool:
    user = getattr(request, "user", None)  # a token sets it in the API, after the middleware
    return bool(
        (user is not None and user.is_authenticated)
        or getattr(request, "auth", None)
        or request.META.get("HTTP_AUTHORIZATION")
    )


class NoStoreForSignedInMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.static_prefix = settings.STATIC_URL or "/static/"
        if not self.static_prefix.startswith("/"):
            self.static_prefix = "/" + self.static_prefix

    def __call__(self, request):
        response = self.get_response(request)
        if not request.path.startswith(self.static_prefix) and _signed_in(request):
            add_never_cache_headers(response)
            response["Pragma"] = "no-cache"
        return response
