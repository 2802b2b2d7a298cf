"""Routes of the planner's pages and the alerts page (included by ``hbm.web.urls``, names in ``web:``)."""

from django.urls import path

from hbm.web import preparedness_views as views

urlpatterns = [
    path("plans/", views.plans, name="plans"),
    path("plans/new", views.plan_new, name="plan_new"),
    path("plans/<uuid:plan_id>/", views.plan_detail, name="plan"),
    path("plans/<uuid:plan_id>/edit", views.plan_edit, name="plan_edit"),
    path("plans/<uuid:plan_id>/pdf", views.plan_pdf_view, name="plan_pdf"),
    path("plans/<uuid:plan_id>/readings", views.reading_new, name="plan_reading"),
    path("plans/<uuid:plan_id>/scenarios/<str:kind>/", views.scenario_edit, name="plan_scenario"),
    path(
        "plans/<uuid:plan_id>/scenarios/<str:kind>/compute", views.scenario_compute_view, name="plan_compute"
    ),
    path("plans/<uuid:plan_id>/scenarios/<str:kind>/results", views.scenario_results, name="plan_results"),
    path("plans/<uuid:plan_id>/scenarios/<str:kind>/rosters", views.scenario_rosters, name="plan_rosters"),
    path("plans/alerts/", views.alerts, name="plan_alerts"),
    path("plans/alerts/<uuid:alert_id>/decide", views.alert_decide_view, name="plan_alert_decide"),
]
