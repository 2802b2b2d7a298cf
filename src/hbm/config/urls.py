"""URL wiring: the JSON API, the admin and the officers' web UI."""

from django.contrib import admin
from django.urls import include, path

from hbm.api.api import api

urlpatterns = [
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("field/", include("hbm.field.urls")),
    path("", include("hbm.web.urls")),
]
