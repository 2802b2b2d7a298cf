"""Routes of the officers' pages. State changes are POSTs to action paths."""

from django.urls import include, path

from hbm.web import (
    assessment_views,
    duplicate_views,
    followup_views,
    health_views,
    protection_views,
    referral_views,
    tracing_views,
    views,
)

app_name = "web"

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("crossing-points/<uuid:point_id>/", views.crossing_point_dashboard, name="crossing_point"),
    path("crossing-points/<uuid:point_id>/mode", views.mode_switch, name="mode_switch"),
    path("crossing-points/<uuid:point_id>/register/count", views.register_count, name="register_count"),
    path("crossing-points/<uuid:point_id>/register/group", views.register_group, name="register_group"),
    path("crossing-points/<uuid:point_id>/register/person", views.register_person, name="register_person"),
    path("groups/", views.group_lookup, name="group_lookup"),
    path("groups/<uuid:group_id>/", views.group_detail, name="group_detail"),
    path("groups/<uuid:group_id>/card", views.group_card, name="group_card"),
    path("persons/", views.person_search, name="person_search"),
    path("persons/<uuid:person_id>/", views.person_detail, name="person_detail"),
    path("persons/<uuid:person_id>/photo", views.person_photo, name="person_photo"),
    path("devices/", views.devices, name="devices"),
    path("devices/<uuid:token_id>/revoke", views.device_revoke, name="device_revoke"),
    path("conflicts/", views.conflicts, name="conflicts"),
    path("conflicts/<uuid:conflict_id>/resolve", views.conflict_resolution, name="conflict_resolve"),
    path("duplicates/", duplicate_views.duplicates, name="duplicates"),
    path("duplicates/next/", duplicate_views.duplicates_next, name="duplicates_next"),
    path("duplicates/leave/", duplicate_views.duplicates_leave, name="duplicates_leave"),
    path("duplicates/<uuid:candidate_id>/", duplicate_views.duplicate_detail, name="duplicate_detail"),
    path("duplicates/<uuid:candidate_id>/group/", duplicate_views.duplicate_group, name="duplicate_group"),
    path("duplicates/<uuid:candidate_id>/decide", duplicate_views.duplicate_decide, name="duplicate_decide"),
    path(
        "duplicates/<uuid:candidate_id>/confirm", duplicate_views.duplicate_confirm, name="duplicate_confirm"
    ),
    path(
        "duplicates/decisions/<uuid:adjudication_id>/undo",
        duplicate_views.duplicate_undo,
        name="duplicate_undo",
    ),
    path("persons/<uuid:person_id>/refer", referral_views.person_refer, name="person_refer"),
    path("referrals/", referral_views.referrals_inbox, name="referrals"),
    path("referrals/<uuid:referral_id>/", referral_views.referral_detail, name="referral_detail"),
    path("referrals/<uuid:referral_id>/answer", referral_views.referral_answer_view, name="referral_answer"),
    path("services/", protection_views.services, name="services"),
    path("services/new", protection_views.service_new, name="service_new"),
    path("services/<uuid:service_id>/", protection_views.service_edit, name="service_edit"),
    path("tracing/", tracing_views.tracing_requests, name="tracing_requests"),
    path("tracing/new", tracing_views.tracing_request_new, name="tracing_request_new"),
    path("tracing/<uuid:request_id>/", tracing_views.tracing_request, name="tracing_request"),
    path(
        "tracing/<uuid:request_id>/close",
        tracing_views.tracing_request_close_view,
        name="tracing_request_close",
    ),
    path("tracing/matches/", tracing_views.tracing_matches, name="tracing_matches"),
    path("tracing/matches/<uuid:match_id>/", tracing_views.tracing_match, name="tracing_match"),
    path(
        "tracing/matches/<uuid:match_id>/photo", tracing_views.tracing_match_photo, name="tracing_match_photo"
    ),
    path(
        "tracing/matches/<uuid:match_id>/consent",
        tracing_views.tracing_match_consent_view,
        name="tracing_match_consent",
    ),
    path(
        "tracing/matches/<uuid:match_id>/dismiss",
        tracing_views.tracing_match_dismiss_view,
        name="tracing_match_dismiss",
    ),
    path(
        "tracing/matches/<uuid:match_id>/reopen",
        tracing_views.tracing_match_reopen_view,
        name="tracing_match_reopen",
    ),
    path("followup/", followup_views.followup_overview_view, name="followup_overview"),
    path("followup/cases/", followup_views.followup_cases, name="followup_cases"),
    path("followup/<uuid:followup_id>/", followup_views.followup_detail, name="followup_detail"),
    path("followup/<uuid:followup_id>/step", followup_views.followup_step_view, name="followup_step"),
    path("persons/<uuid:person_id>/followup", followup_views.followup_new, name="followup_new_for_person"),
    path(
        "referrals/<uuid:referral_id>/followup", followup_views.followup_new, name="followup_new_for_referral"
    ),
    path("", include("hbm.web.preparedness_urls")),
    path("health/screen", health_views.health_screen_view, name="health_screen"),
    path("health/records/", health_views.health_records_view, name="health_records"),
    path("health/records/<uuid:record_id>/", health_views.health_record_view, name="health_record"),
    path(
        "health/records/<uuid:record_id>/consent",
        health_views.health_record_consent_view,
        name="health_record_consent",
    ),
    path("health/report/", health_views.health_report_index, name="health_report_index"),
    path("health/report/<uuid:point_id>/", health_views.health_report_view, name="health_report"),
    path("assessments/", assessment_views.assessments, name="assessments"),
    path("assessments/new", assessment_views.assessment_new, name="assessment_new"),
    path("assessments/<uuid:assessment_id>/", assessment_views.assessment_detail, name="assessment_detail"),
    path("assessments/<uuid:assessment_id>/edit", assessment_views.assessment_edit, name="assessment_edit"),
    path("", include("hbm.web.screening_urls")),
    path("audit/", views.audit, name="audit"),
]
