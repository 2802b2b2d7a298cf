"""What the matching engine's field and level codes mean, in the reader's language.

The engine speaks in codes (``birth_date``/``consistent``); candidates store them, the API returns
them. The screens show these labels instead. Every field and level of
:data:`hbm.engines.matching.FIELDS` has one (a test keeps it so).
"""

from __future__ import annotations

from typing import Final

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

FIELD_LABELS: Final[dict[str, Promise]] = {
    "given": _("Given names"),
    "surname": _("Surname"),
    "order": _("Name order"),
    "birth_date": _("Date of birth"),
    "sex": _("Sex"),
    "nationality": _("Nationality"),
    "place_of_birth": _("Place of birth"),
    "family": _("Family travelled with"),
    "original": _("Names in their own script"),
    "father": _("Father's name"),
    "mother": _("Mother's name"),
    "document": _("Identity document"),
}

_NAME_LEVELS: Final[dict[str, Promise]] = {
    "exact": _("same name"),
    "key": _("same name, spelt another way"),
    "similar": _("very similar"),
    "part": _("first name agrees, a further name only on one side"),
    "clash": _("first name agrees, further names differ"),
    "fuzzy": _("somewhat similar"),
    "different": _("different"),
    "null": _("not recorded on both"),
}

_AGREEMENT: Final[dict[str, Promise]] = {
    "same": _("same"),
    "different": _("different"),
    "null": _("not recorded on both"),
}

LEVEL_LABELS: Final[dict[str, dict[str, Promise]]] = {
    "given": _NAME_LEVELS,
    "surname": _NAME_LEVELS,
    "father": _NAME_LEVELS,
    "mother": _NAME_LEVELS,
    "order": {
        "straight": _("as recorded"),
        "swapped": _("given name and surname swapped"),
        "null": _("not recorded on both"),
    },
    "birth_date": {
        "exact": _("same date"),
        "slip": _("day and month swapped, or one year off"),
        "near": _("within a month"),
        "year": _("same year, months apart"),
        "consistent": _("same year, one only approximately known"),
        "estimate": _("an estimated age in the same year as a stated date"),
        "tolerance": _("within the tolerance of an estimated age"),
        "close": _("an estimated age or a year near a stated date"),
        "apart": _("two full dates in different years"),
        "conflict": _("outside the tolerance of an estimate"),
        "far": _("a generation apart"),
        "null": _("not recorded on both"),
    },
    "sex": _AGREEMENT,
    "nationality": _AGREEMENT,
    "place_of_birth": {
        "exact": _("same place"),
        "similar": _("same place, spelt another way"),
        "different": _("different"),
        "null": _("not recorded on both"),
    },
    "family": {
        "same_group": _("registered in the same group"),
        "all_relatives": _("all travelling companions' names in common"),
        "shared_relatives": _("travelling with people of the same names"),
        "some_relatives": _("two travelling companions' names in common, others not"),
        "one_relative": _("one travelling companion's name in common"),
        "one_of_several": _("one travelling companion's name in common, others not"),
        "other_groups": _("travelling with other people"),
        "null": _("travelling alone on one side"),
    },
    "original": {
        "same": _("same writing"),
        "similar": _("similar writing"),
        "confirms": _("agrees, as the Latin names do (counted once)"),
        "different": _("different writing"),
        "null": _("not written in one script on both"),
    },
    "document": {
        "same": _("same document number"),
        "close": _("one slip apart in the number"),
        "shared": _("same number, but not the same person's (a child in a parent's passport)"),
        "different": _("another number of the same kind of document"),
        "null": _("not recorded on both"),
    },
}


def contribution_labelled(contribution: dict[str, object]) -> dict[str, object]:
    """A stored contribution with its field and level as labels (unknown codes shown as stored)."""
    field, level = str(contribution["field"]), str(contribution["level"])
    return {
        **contribution,
        "field": FIELD_LABELS.get(field, field),
        "level": LEVEL_LABELS.get(field, {}).get(level, level),
    }
