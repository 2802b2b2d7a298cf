"""The audit trail, for the auditor only."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from ninja import Router
from ninja.pagination import LimitOffsetPagination, paginate

from hbm.audit.models import AuditEntry
from hbm.audit.schemas import AuditEntryOut, ChainVerdictOut
from hbm.audit.selectors import ChainVerdict, audit_chain_verify, audit_entries_list
from hbm.core.errors import PermissionDenied, ValidationFailed
from hbm.core.schemas import ErrorOut

router = Router(tags=["audit"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 422: ErrorOut}
AUDITOR_ROLE = "auditor"
MAX_SUBJECT_ID = 64


def _require_auditor(request: HttpRequest) -> None:
    if getattr(request.user, "role", None) != AUDITOR_ROLE:
        raise PermissionDenied(_("only the auditor reads the audit trail"))


@router.get("/entries", response={200: list[AuditEntryOut], **ERRORS})
@paginate(LimitOffsetPagination)
def audit_entries(
    request: HttpRequest, subject_id: str = "", event: str = "", actor: str = ""
) -> QuerySet[AuditEntry]:
    """Entries newest first, filtered by subject id, event or actor."""
    _require_auditor(request)
    if len(subject_id) > MAX_SUBJECT_ID:
        raise ValidationFailed.on(
            "subject_id",
            ngettext(
                "is longer than %(count)s character", "is longer than %(count)s characters", MAX_SUBJECT_ID
            )
            % {"count": MAX_SUBJECT_ID},
        )
    return audit_entries_list(subject_id=subject_id or None, event=event or None, actor_label=actor or None)


@router.get("/verify", response={200: ChainVerdictOut, **ERRORS})
def audit_verify(request: HttpRequest) -> ChainVerdict:
    """Walk the hash chain and name the first altered or missing entry."""
    _require_auditor(request)
    return audit_chain_verify()
