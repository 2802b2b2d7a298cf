"""What can happen, named once for the audit trail, the API and the docs."""

from django.db import models


class AuditEvent(models.TextChoices):
    LOGIN_SUCCEEDED = "auth.login_succeeded"
    LOGIN_FAILED = "auth.login_failed"
    LOGOUT = "auth.logout"
    TOKEN_CREATED = "auth.token_created"  # noqa: S105 - an event name, not a secret
    TOKEN_REVOKED = "auth.token_revoked"  # noqa: S105 - an event name, not a secret
    USER_CREATED = "admin.user_created"
    CROSSING_POINT_CREATED = "crossing.created"
    CROSSING_MODE_CHANGED = "crossing.mode_changed"
    COUNT_RECORDED = "registration.count_recorded"
    GROUP_PREREGISTERED = "registration.group_preregistered"
    GROUP_VIEWED = "registration.group_viewed"
    PERSON_REGISTERED = "registration.person_registered"
    PERSON_VIEWED = "registration.person_viewed"
    PERSONS_SEARCHED = "registration.persons_searched"
    PHOTO_ADDED = "registration.photo_added"
    PHOTO_VIEWED = "registration.photo_viewed"
    DOCUMENT_ADDED = "registration.document_added"
    PERSON_EDITED = "registration.person_edited"
    PERSONS_PULLED = "field.persons_pulled"
    DEVICE_ENROLLED = "field.device_enrolled"
    CONFLICTS_VIEWED = "field.conflicts_viewed"
    CONFLICT_RESOLVED = "field.conflict_resolved"
    DUPLICATE_FOUND = "dedup.candidate_found"
    DUPLICATE_VIEWED = "dedup.candidate_viewed"
    DUPLICATE_DECIDED = "dedup.decided"
    DUPLICATE_UNDONE = "dedup.undone"
    BIOMETRICS_ERASED = "dedup.biometrics_erased"
    MATCH_MODEL_ESTIMATED = "dedup.model_estimated"
    ACCESS_REFUSED = "access.refused"
    AUDIT_VERIFIED = "audit.verified"
