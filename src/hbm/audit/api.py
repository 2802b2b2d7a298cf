"""The audit trail, for the auditor only."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Router
from ninja.pagination import LimitOffsetPagination, paginate

from hbm.audit.models import AuditEntry
from hbm.audit.schemas import AuditEntryOut, ChainVerdictOut
from hbm.audit.selectors import AUDITOR_ROLE, ChainVerdict, audit_chain_verify, audit_entries_read
from hbm.core.errors import PermissionDenied
from hbm.core.http import actor_from_request
from hbm.core.schemas import ErrorOut

router = Router(tags=["audit"])
ERRORS = {401: ErrorOut, 403: ErrorOut, 422: ErrorOut}


@router.get("/entries", response={200: list[AuditEntryOut], **ERRORS})
@paginate(LimitOffsetPagination)
def audit_entries(
    request: HttpRequest, subject_id: str = "", event: str = "", actor: str = ""
) -> QuerySet[AuditEntry]:
    """Entries newest first, filtered by subject id, event or actor; each read is audited, a
    refusal too."""
    return audit_entries_read(
        actor=actor_from_request(request), subject_id=subject_id, event=event, actor_label=actor
    )


@router.get("/verify", response={200: ChainVerdictOut, **ERRORS})
def audit_verify(request: HttpRequest) -> ChainVerdict:
    """Walk the hash chain and name the first altered or missing entry (no personal data: a
    refusal is a 403, not audited)."""
    if getattr(request.user, "role", None) != AUDITOR_ROLE:
        raise PermissionDenied(_("only the auditor reads the audit trail"))
    return audit_chain_verify()
