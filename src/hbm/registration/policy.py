"""What registration asks in each crossing-point mode. Pure: the service enforces it, the UI shows it."""

from __future__ import annotations

from dataclasses import dataclass

from hbm.crossings.enums import CrossingMode
from hbm.registration.enums import Tier

# The minimum data set of an emergency individual registration (UNHCR emergency registration).
MINIMUM_FIELDS: frozenset[str] = frozenset({"names", "sex", "birth", "nationality"})


# Each logical field of a policy, as the input fields of which at least one must be given. The field
# app reads this table (through the reference data) to ask what the mode asks.
LOGICAL_FIELDS: dict[str, tuple[str, ...]] = {
    "names": ("given_names_latin", "surname_latin"),
    "sex": ("sex",),
    "birth": ("date_of_birth", "birth_year", "estimated_age"),
    "nationality": ("nationality",),
    "place_of_birth": ("place_of_birth",),
    "languages": ("languages",),
    "document": ("documents", "no_document_reason"),
}


@dataclass(frozen=True, slots=True)
class RegistrationPolicy:
    """``required`` are logical fields: ``names`` (a Latin given name or surname), ``birth`` (a date
    of birth or an estimated age), ``document`` (a document or the reason there is none)."""

    mode: CrossingMode
    tiers: frozenset[Tier]
    required: frozenset[str]
    document_required: bool
    estimated_age_allowed: bool

    def requires(self, field: str) -> bool:
        return field in self.required


POLICIES: dict[CrossingMode, RegistrationPolicy] = {
    # Documented traffic: a document (or the reason there is none) and the full data set.
    CrossingMode.NORMAL: RegistrationPolicy(
        mode=CrossingMode.NORMAL,
        tiers=frozenset({Tier.COUNT, Tier.INDIVIDUAL}),
        required=MINIMUM_FIELDS | {"place_of_birth", "document"},
        document_required=True,
        estimated_age_allowed=False,
    ),
    # Mass arrival: count everyone, token each group, the minimum data set per person; documents
    # optional and ages estimated.
    CrossingMode.EMERGENCY: RegistrationPolicy(
        mode=CrossingMode.EMERGENCY,
        tiers=frozenset({Tier.COUNT, Tier.GROUP, Tier.INDIVIDUAL}),
        required=MINIMUM_FIELDS,
        document_required=False,
        estimated_age_allowed=True,
    ),
    # Completing registrations after the peak: the minimum plus place of birth and languages.
    CrossingMode.RECOVERY: RegistrationPolicy(
        mode=CrossingMode.RECOVERY,
        tiers=frozenset({Tier.COUNT, Tier.GROUP, Tier.INDIVIDUAL}),
        required=MINIMUM_FIELDS | {"place_of_birth", "languages"},
        document_required=False,
        estimated_age_allowed=True,
    ),
}


def policy_for(mode: CrossingMode | str) -> RegistrationPolicy:
    return POLICIES[CrossingMode(mode)]
