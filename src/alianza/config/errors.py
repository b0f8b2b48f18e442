from django.http import JsonResponse
from django.shortcuts import render


def not_found(request, exception=None):
    """One body for every 404: a missing record and a forbidden one are indistinguishable."""
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": "Not found."}, status=404)
    return render(request, "404.html", status=404)
