"""Routes of the screening pages and the protection dashboard (included by ``hbm.web.urls``, names
in ``web:``)."""

from django.urls import path

from hbm.web import protection_dashboard_views, screening_views

urlpatterns = [
    path("persons/<uuid:person_id>/screening", screening_views.person_screening, name="person_screening"),
    path("screenings/<uuid:screening_id>/", screening_views.screening_detail, name="screening_detail"),
    path("screenings/<uuid:screening_id>/refer", screening_views.screening_refer, name="screening_refer"),
    path(
        "protection/dashboard", protection_dashboard_views.protection_dashboard, name="protection_dashboard"
    ),
]
