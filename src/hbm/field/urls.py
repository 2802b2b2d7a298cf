"""The field app's pages: shell, service worker, manifest, translations (filled in by the PWA work)."""

from django.urls import URLPattern

app_name = "field"
urlpatterns: list[URLPattern] = []
