"""The field app's pages: shell, service worker, manifest, translations (its data is at /api/field/)."""

from django.urls import path

from hbm.field import web

app_name = "field"

urlpatterns = [
    path("", web.shell, name="shell"),
    path("sw.js", web.service_worker, name="service_worker"),
    path("manifest.webmanifest", web.manifest, name="manifest"),
    path("i18n/<str:language>.json", web.catalogue, name="catalogue"),
]
