"""From a tracing request to the matching engine's record of the sought person."""

from __future__ import annotations

from hbm.engines.matching import BirthAccuracy, MatchRecord
from hbm.tracing.models import TracingRequest


def request_record(request: TracingRequest) -> MatchRecord:
    """The sought person as the engines compare them, the parents' names included (the enquirer
    often knows them, and they tell a relative from namesakes born the same year). No family and no
    relatives: a separated relative travels with other people than the enquirer, so the enquirer's
    name among their companions would be evidence *against* the match, wrongly."""
    original = " ".join(part for part in (request.given_names_original, request.surname_original) if part)
    return MatchRecord(
        id=f"tracing:{request.pk}",
        given=request.given_names_latin,
        surname=request.surname_latin,
        original=original,
        sex=request.sex if request.sex in ("F", "M") else "",
        birth_date=request.date_of_birth,
        birth_accuracy=BirthAccuracy(request.birth_date_accuracy),
        nationality=request.nationality,
        place_of_birth=request.place_of_birth,
        father=request.father_name,
        mother=request.mother_name,
    )
