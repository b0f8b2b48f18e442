from django.contrib import admin  # noqa: F401 - patrol plans are managed in the app pages
