"""The decision thresholds in use (``HBM_DEDUP_THRESHOLDS``): adults, and children apart; whether a
child's records are linked on two judgements (``HBM_CHILD_LINK_CONFIRMATION``, decision 0031)."""

from __future__ import annotations

from django.conf import settings

from hbm.engines.matching import Thresholds


def thresholds() -> Thresholds:
    same, adjudicate, child_same, child_adjudicate = settings.HBM_DEDUP_THRESHOLDS
    return Thresholds(
        same=same, adjudicate=adjudicate, child_same=child_same, child_adjudicate=child_adjudicate
    )


def child_links_confirmed() -> bool:
    """Whether a link of a child's records waits for a second judgement before it takes effect."""
    return bool(settings.HBM_CHILD_LINK_CONFIRMATION)
