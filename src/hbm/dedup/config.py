"""The decision thresholds in use (``HBM_DEDUP_THRESHOLDS``): adults, and children apart."""

from __future__ import annotations

from django.conf import settings

from hbm.engines.matching import Thresholds


def thresholds() -> Thresholds:
    same, adjudicate, child_same, child_adjudicate = settings.HBM_DEDUP_THRESHOLDS
    return Thresholds(
        same=same, adjudicate=adjudicate, child_same=child_same, child_adjudicate=child_adjudicate
    )
