"""What can happen, named once for the audit trail, the API and the docs."""

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

StrOrPromise = str | Promise


class AuditEvent(models.TextChoices):
    """Each event's code, stored in the trail and never changed, and its label in the reader's
    language. The column stores codes without a choices list (migration 0012): a new event needs no
    migration, and a label can be reworded without touching the stored trail."""

    LOGIN_SUCCEEDED = "auth.login_succeeded", _("Signed in")
    LOGIN_FAILED = "auth.login_failed", _("Sign-in failed")
    LOGOUT = "auth.logout", _("Signed out")
    TOKEN_CREATED = "auth.token_created", _("Access token created")
    TOKEN_REVOKED = "auth.token_revoked", _("Access token revoked")
    USER_CREATED = "admin.user_created", _("User account created")
    CROSSING_POINT_CREATED = "crossing.created", _("Crossing point created")
    CROSSING_MODE_CHANGED = "crossing.mode_changed", _("Crossing point mode changed")
    COUNT_RECORDED = "registration.count_recorded", _("Head count recorded")
    GROUP_PREREGISTERED = "registration.group_preregistered", _("Group pre-registered")
    GROUP_VIEWED = "registration.group_viewed", _("Group viewed")
    PERSON_REGISTERED = "registration.person_registered", _("Person registered")
    PERSON_VIEWED = "registration.person_viewed", _("Person record viewed")
    PERSONS_SEARCHED = "registration.persons_searched", _("Persons searched")
    PHOTO_ADDED = "registration.photo_added", _("Photo added")
    PHOTO_VIEWED = "registration.photo_viewed", _("Photo viewed")
    DOCUMENT_ADDED = "registration.document_added", _("Document added")
    PERSON_EDITED = "registration.person_edited", _("Person record edited")
    PERSONS_PULLED = "field.persons_pulled", _("Records sent to a field device")
    DEVICE_ENROLLED = "field.device_enrolled", _("Field device enrolled")
    CONFLICTS_VIEWED = "field.conflicts_viewed", _("Sync conflicts viewed")
    CONFLICT_RESOLVED = "field.conflict_resolved", _("Sync conflict resolved")
    DUPLICATE_FOUND = "dedup.candidate_found", _("Possible duplicate found")
    DUPLICATE_VIEWED = "dedup.candidate_viewed", _("Possible duplicate viewed")
    DUPLICATES_LISTED = "dedup.candidates_listed", _("Duplicates queue read")
    DUPLICATE_DECIDED = "dedup.decided", _("Duplicate decided")
    DUPLICATE_UNDONE = "dedup.undone", _("Duplicate decision undone")
    DUPLICATE_CONFIRMED = "dedup.confirmed", _("Link of a child's records confirmed")
    BIOMETRICS_ERASED = "dedup.biometrics_erased", _("Biometrics erased")
    MATCH_MODEL_ESTIMATED = "dedup.model_estimated", _("Matching weights estimated")
    MATCH_TERMS_COUNTED = "dedup.terms_counted", _("Name frequencies counted")
    TRACING_REQUEST_CREATED = "tracing.request_created", _("Tracing request opened")
    TRACING_REQUESTS_LISTED = "tracing.requests_listed", _("Tracing requests listed")
    TRACING_REQUEST_VIEWED = "tracing.request_viewed", _("Tracing request viewed")
    TRACING_REQUEST_CLOSED = "tracing.request_closed", _("Tracing request closed")
    TRACING_PHOTO_ADDED = "tracing.photo_added", _("Tracing photo added")
    TRACING_MATCH_FOUND = "tracing.match_found", _("Tracing match found")
    TRACING_MATCHES_LISTED = "tracing.matches_listed", _("Tracing matches listed")
    TRACING_MATCH_VIEWED = "tracing.match_viewed", _("Tracing match viewed")
    TRACING_MATCH_DECIDED = "tracing.match_decided", _("Tracing match decided")
    TRACING_CONSENT_RECORDED = "tracing.consent_recorded", _("Tracing consent recorded")
    SERVICE_CREATED = "protection.service_created", _("Service added to the directory")
    SERVICE_UPDATED = "protection.service_updated", _("Service updated")
    CONSENT_RECORDED = "protection.consent_recorded", _("Consent recorded")
    REFERRAL_CREATED = "protection.referral_created", _("Referral made")
    REFERRAL_MOVED = "protection.referral_moved", _("Referral status changed")
    REFERRALS_LISTED = "protection.referrals_listed", _("Referrals listed")
    REFERRAL_VIEWED = "protection.referral_viewed", _("Referral viewed")
    SCREENING_RECORDED = "protection.screening_recorded", _("Protection screening recorded")
    SCREENING_VIEWED = "protection.screening_viewed", _("Protection screening viewed")
    HEALTH_SCREENINGS_COUNTED = "health.screenings_counted", _("Health screenings counted")
    HEALTH_RECORD_CREATED = "health.record_created", _("Health record created")
    HEALTH_RECORD_UPDATED = "health.record_updated", _("Health record updated")
    HEALTH_RECORDS_LISTED = "health.records_listed", _("Health records listed")
    HEALTH_RECORD_VIEWED = "health.record_viewed", _("Health record viewed")
    FOLLOWUP_RECORDED = "followup.recorded", _("Follow-up recorded")
    FOLLOWUP_UPDATED = "followup.updated", _("Follow-up updated")
    FOLLOWUPS_LISTED = "followup.listed", _("Follow-ups listed")
    FOLLOWUP_VIEWED = "followup.viewed", _("Follow-up viewed")
    PLAN_CREATED = "preparedness.plan_created", _("Contingency plan created")
    PLAN_UPDATED = "preparedness.plan_updated", _("Contingency plan updated")
    PLAN_ALERT_RAISED = "preparedness.alert_raised", _("Plan trigger alert raised")
    PLAN_ALERT_DECIDED = "preparedness.alert_decided", _("Plan trigger alert decided")
    ASSESSMENT_RECORDED = "assessment.recorded", _("Assessment recorded")
    ASSESSMENT_UPDATED = "assessment.updated", _("Assessment updated")
    ACCESS_REFUSED = "access.refused", _("Access refused")
    AUDIT_VERIFIED = "audit.verified", _("Audit trail verified")
    AUDIT_READ = "audit.entries_read", _("Audit trail read")


EVENT_AREAS: dict[str, StrOrPromise] = {
    "auth": _("Sign-in"),
    "admin": _("Administration"),
    "crossing": _("Crossing points"),
    "registration": _("Registration"),
    "field": _("Field app"),
    "dedup": _("De-duplication"),
    "tracing": _("Family tracing"),
    "protection": _("Protection"),
    "health": _("Health"),
    "followup": _("Follow-up"),
    "preparedness": _("Preparedness"),
    "assessment": _("Assessments"),
    "access": _("Access"),
    "audit": _("Audit"),
}


def event_label(code: str) -> StrOrPromise:
    """The reader's label of an event code; the code itself for one this version does not know."""
    try:
        return AuditEvent(code).label
    except ValueError:
        return code


def events_by_area() -> list[tuple[StrOrPromise, list[tuple[str, StrOrPromise]]]]:
    """Every event as ``(code, label)``, grouped under its area in the order areas are listed."""
    return [
        (area_label, [(e.value, e.label) for e in AuditEvent if e.value.split(".")[0] == area])
        for area, area_label in EVENT_AREAS.items()
    ]
