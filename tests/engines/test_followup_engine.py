"""The follow-up lifecycles: every stage reachable, closed stages final, dated steps checked."""

from __future__ import annotations

from datetime import date

import pytest

from hbm.engines.followup import (
    LIFECYCLES,
    Kind,
    Stage,
    StepError,
    is_closed,
    lifecycle,
    review_due,
    step_check,
)

TODAY = date(2026, 11, 24)


@pytest.mark.parametrize("kind", list(Kind))
def test_every_stage_is_reachable_from_a_first_stage_and_every_open_stage_can_close(kind: Kind) -> None:
    cycle = lifecycle(kind)
    reached, frontier = set(cycle.entry), list(cycle.entry)
    while frontier:
        for following in cycle.next_stages(frontier.pop()):
            if following not in reached:
                reached.add(following)
                frontier.append(following)

    assert reached == set(cycle.stages)
    assert cycle.closed
    assert all(not cycle.next_stages(s) for s in cycle.closed)
    assert all(Stage.WITHDRAWN in cycle.next_stages(s) for s in cycle.stages if s not in cycle.closed)
    assert set(cycle.review_days) == set(cycle.stages) - cycle.closed


def test_the_asylum_path_of_the_issue() -> None:
    cycle = LIFECYCLES[Kind.ASYLUM]
    assert cycle.next_stages(Stage.INTERVIEWED) == (
        Stage.REFUGEE_STATUS,
        Stage.SUBSIDIARY_PROTECTION,
        Stage.REJECTED,
        Stage.WITHDRAWN,
    )
    assert cycle.next_stages(Stage.REJECTED) == (Stage.APPEALED, Stage.REJECTION_FINAL, Stage.WITHDRAWN)
    assert is_closed(Kind.ASYLUM, Stage.REJECTION_FINAL)
    assert not is_closed(Kind.ASYLUM, Stage.REJECTED)


@pytest.mark.parametrize(
    ("kind", "current", "new", "on", "previous_on", "field"),
    [
        ("asylum", None, "interviewed", TODAY, None, "stage"),  # not a first stage
        ("asylum", "application_lodged", "refugee_status", TODAY, TODAY, "stage"),  # skips the interview
        ("asylum", "refugee_status", "appealed", TODAY, TODAY, "stage"),  # closed: final
        ("asylum", "interviewed", "departed", TODAY, TODAY, "stage"),  # a stage of another kind
        ("asylum", "interviewed", "nonsense", TODAY, TODAY, "stage"),
        ("exile", None, "requested", TODAY, None, "kind"),
        ("avrr", None, "interest_expressed", date(2026, 11, 25), None, "happened_on"),  # the future
        ("relocation", "proposed", "accepted", date(2026, 11, 1), date(2026, 11, 2), "happened_on"),
    ],
)
def test_refused_steps_name_the_field_at_fault(
    kind: str, current: str | None, new: str, on: date, previous_on: date | None, field: str
) -> None:
    with pytest.raises(StepError) as refused:
        step_check(kind, current, new, on=on, previous_on=previous_on, today=TODAY)
    assert refused.value.field == field


def test_allowed_steps_pass_and_review_days_follow_the_stage() -> None:
    step_check("relocation", "proposed", "accepted", on=TODAY, previous_on=TODAY, today=TODAY)
    step_check("family_reunification", "approved", "reunited", on=TODAY, previous_on=None, today=TODAY)

    assert review_due("asylum", "application_lodged", date(2026, 1, 1)) == date(2026, 3, 2)
    assert review_due("asylum", "refugee_status", date(2026, 1, 1)) is None
