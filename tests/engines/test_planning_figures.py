"""Planning figures as data: country overlays that change some figures, and files refused with
every problem named by key and line."""

from __future__ import annotations

import textwrap

import pytest

from hbm.engines.planning import (
    Figures,
    FiguresError,
    Group,
    Phase,
    PlanningInput,
    Problem,
    ShareOf,
    apply_overlay,
    default_figures,
    load_figures,
    requirements,
    shipped_overlay,
)

SOURCE = """\
    source:
      document: sphere-2018
      where: Key indicator
      checked: Checked against the national decree.
"""


def overlay(body: str) -> str:
    return "format: hbm-planning-overlay/1\nname: Testland\n" + textwrap.dedent(body)


def refused(text: str, figures: Figures | None = None) -> tuple[Problem, ...]:
    with pytest.raises(FiguresError) as error:
        apply_overlay(figures or default_figures(), text, source="testland.yaml")
    assert error.value.source == "testland.yaml"
    return error.value.problems


def present_1000(figures: Figures) -> dict[str, tuple[float, ...]]:
    """Each item's quantities for 1,000 people present on each of 2 days."""
    planning = PlanningInput(arrivals_per_day=[1000, 1000], average_stay_days=1)
    return {item.item: item.per_day for item in requirements(planning, figures).items}


# --- overlays that work ------------------------------------------------------------------------


def test_the_shipped_cold_climate_overlay_changes_living_space_only() -> None:
    base = default_figures()
    cold = apply_overlay(base, shipped_overlay("cold-climate"), source="cold-climate.yaml")

    assert present_1000(cold)["covered_living_space"] == (4_500.0, 4_500.0)
    changed = cold.items["covered_living_space"]
    assert changed.changed_by == "Cold climate or urban setting"
    assert "cold climates" in changed.source.where
    assert cold.overlays == ("Cold climate or urban setting",)
    unchanged = {key: value for key, value in present_1000(cold).items() if key != "covered_living_space"}
    assert unchanged == {
        key: value for key, value in present_1000(base).items() if key != "covered_living_space"
    }
    # the base figures are not touched
    assert present_1000(base)["covered_living_space"] == (3_500.0, 3_500.0)
    assert base.items["covered_living_space"].changed_by is None


def test_a_country_raises_the_water_figure_with_its_own_source() -> None:
    text = overlay(
        """\
        documents:
          testland-decree: Testland, Decree 12/2024 on reception centres
        items:
          water_domestic:
            figure: {amount: 20}
            standard: 20 litres per person per day (national standard).
            source:
              document: testland-decree
              where: Article 4
              checked: Copied from the decree.
        """
    )
    figures = apply_overlay(default_figures(), text)

    assert present_1000(figures)["water_domestic"] == (20_000.0, 20_000.0)
    water = figures.items["water_domestic"]
    assert water.source.document == "Testland, Decree 12/2024 on reception centres"
    assert water.standard == "20 litres per person per day (national standard)."
    assert water.changed_by == "Testland"


def test_an_overlay_may_change_one_phase_and_keep_the_other() -> None:
    text = (
        overlay(
            """\
        items:
          toilets:
            figure:
              longer_term: {amount: 1, per_persons: 15}
        """
        )
        + SOURCE
    )
    figures = apply_overlay(default_figures(), text)

    toilets = figures.items["toilets"]
    assert not isinstance(toilets.rates, ShareOf)
    assert toilets.rates[Phase.INITIAL].per_persons == 50
    assert toilets.rates[Phase.LONGER_TERM].per_persons == 15
    planning = PlanningInput(arrivals_per_day=[1000, 1000], average_stay_days=1, initial_phase_days=1)
    # 1,000 / 15 = 66.7: 67 toilets
    assert requirements(planning, figures).item("toilets").per_day == (20.0, 67.0)


def test_an_overlay_changes_default_demographics_and_a_derived_share() -> None:
    text = overlay(
        """\
        demographics:
          pregnant:
            share: 0.044
            source:
              document: sphere-2018
              where: Registration data of the last emergency
              checked: Counted from the registration records.
        items:
          toilets_accessible:
            share: 0.25
            source:
              document: sphere-2018
              where: National accessibility rule
              checked: Copied from the rule.
        """
    )
    figures = apply_overlay(default_figures(), text)

    assert figures.demographics[Group.PREGNANT].share == 0.044
    assert figures.demographics[Group.PREGNANT].changed_by == "Testland"
    per_day = present_1000(figures)
    # 2,100 × 1,000 + 285 × (4.4 % − 2.4 %) × 1,000
    assert per_day["food_energy"] == pytest.approx((2_105_700.0, 2_105_700.0))
    # 25 % of 20 toilets
    assert per_day["toilets_accessible"] == (5.0, 5.0)


def test_overlays_apply_in_turn_and_are_all_named() -> None:
    cold = apply_overlay(default_figures(), shipped_overlay("cold-climate"))
    text = (
        overlay(
            """\
        items:
          covered_living_space:
            figure: {amount: 5.5}
        """
        )
        + SOURCE
    )
    both = apply_overlay(cold, text)

    assert both.overlays == ("Cold climate or urban setting", "Testland")
    assert present_1000(both)["covered_living_space"] == (5_500.0, 5_500.0)


def test_an_overlay_that_only_relabels_needs_no_source() -> None:
    text = overlay(
        """\
        items:
          showers:
            label: Bathing cubicles
            note: Cubicles with a bucket, not showers, in Testland.
        """
    )
    figures = apply_overlay(default_figures(), text)

    assert figures.items["showers"].label == "Bathing cubicles"
    assert figures.items["showers"].rates == default_figures().items["showers"].rates


# --- overlays that are refused -----------------------------------------------------------------


def test_an_unknown_item_is_refused_with_its_key_and_line() -> None:
    problems = refused(
        overlay(
            """\
            items:
              water_domestc:
                figure: {amount: 20}
            """
        )
    )

    assert [(p.line, p.path) for p in problems] == [(4, "items.water_domestc")]
    assert "unknown item 'water_domestc'" in problems[0].reason


def test_an_unknown_key_is_refused_with_its_key_and_line() -> None:
    problems = refused(
        overlay(
            """\
            items:
              water_domestic:
                figure: {amout: 20}
            """
        )
    )

    paths = {(p.line, p.path) for p in problems}
    assert (5, "items.water_domestic.figure.amout") in paths
    assert any("unknown key 'amout'" in p.reason for p in problems)


def test_a_negative_figure_is_refused_with_its_key_and_line() -> None:
    problems = refused(
        overlay(
            """\
            items:
              water_domestic:
                figure:
                  amount: -5
            """
        )
        + SOURCE
    )

    assert [(p.line, p.path, p.reason) for p in problems] == [
        (6, "items.water_domestic.figure.amount", "must not be negative, not -5")
    ]


@pytest.mark.parametrize(
    ("figure", "reason"),
    [
        ("{amount: 1, per_persons: 0}", "must be more than 0"),
        ("{amount: 1, period_days: -30}", "must not be negative, not -30"),
        ("{amount: .inf}", "must be a finite number, not inf"),
        ("{amount: lots}", "must be a number, not the text 'lots'"),
        ("{amount: true}", "must be a number, not the boolean true"),
        ("{initial: {amount: 1}, later: {amount: 2}}", "unknown key 'later'"),
    ],
)
def test_a_figure_that_is_not_a_usable_number_is_refused(figure: str, reason: str) -> None:
    problems = refused(overlay(f"items:\n  toilets:\n    figure: {figure}\n" + SOURCE))

    assert any(reason in p.reason and p.line == 5 for p in problems), problems


def test_a_changed_figure_without_a_source_is_refused() -> None:
    problems = refused(
        overlay(
            """\
            items:
              water_domestic:
                figure: {amount: 20}
            """
        )
    )

    assert [(p.line, p.path, p.reason) for p in problems] == [
        (4, "items.water_domestic", "a changed figure needs its 'source'")
    ]


def test_the_meaning_of_an_item_cannot_be_changed_by_an_overlay() -> None:
    problems = refused(
        overlay(
            """\
            items:
              water_domestic:
                unit: gallons
                kind: capacity
            """
        )
    )

    assert [(p.line, p.path) for p in problems] == [
        (5, "items.water_domestic.unit"),
        (6, "items.water_domestic.kind"),
    ]
    assert all("cannot be changed here" in p.reason for p in problems)


def test_a_source_must_cite_a_known_document() -> None:
    problems = refused(
        overlay(
            """\
            items:
              water_domestic:
                figure: {amount: 20}
                source:
                  document: my-notes
                  where: page 3
                  checked: yes
            """
        )
    )

    reasons = {(p.path, p.reason) for p in problems}
    assert (
        "items.water_domestic.source.document",
        "unknown document 'my-notes' (known: " + _known() + ")",
    ) in {(path, reason) for path, reason in reasons}
    # "yes" is YAML for true, not text
    assert ("items.water_domestic.source.checked", "must be text, not the boolean true") in reasons


def _known() -> str:
    return ", ".join(sorted(default_figures().documents))


def test_a_demographic_share_above_1_and_an_unknown_group_are_refused() -> None:
    problems = refused(
        overlay(
            """\
            demographics:
              pregnant:
                share: 1.2
                source:
                  document: sphere-2018
                  where: here
                  checked: no check
              teenagers:
                share: 0.1
            """
        )
    )

    assert [(p.line, p.path) for p in problems] == [
        (5, "demographics.pregnant.share"),
        (10, "demographics.teenagers"),
    ]
    assert problems[0].reason == "must be at most 1, not 1.2"


def test_every_problem_is_reported_at_once_in_line_order() -> None:
    problems = refused(
        overlay(
            """\
            items:
              water_domestic:
                figure: {amount: -1}
              helicopters:
                figure: {amount: 1}
            colour: blue
            """
        )
    )

    assert [p.line for p in problems] == sorted(p.line for p in problems)
    assert {p.path for p in problems} >= {
        "items.water_domestic.figure.amount",
        "items.water_domestic",
        "items.helicopters",
        "colour",
    }


@pytest.mark.parametrize(
    ("text", "line", "reason"),
    [
        ("", 0, "the file is empty"),
        ("format: [unclosed\n", 2, "not valid YAML"),
        ("- a list\n", 1, "must be a mapping, not a list"),
        ("format: hbm-planning-figures/1\nname: x\n", 1, "must be 'hbm-planning-overlay/1'"),
        ("format: hbm-planning-overlay/1\nname: x\nname: y\n", 3, "repeated key 'name' (first on line 2)"),
        ("format: hbm-planning-overlay/1\n", 1, "the key 'name' is missing"),
    ],
)
def test_a_file_that_is_not_an_overlay_is_refused(text: str, line: int, reason: str) -> None:
    problems = refused(text)

    assert any(p.line == line and reason in p.reason for p in problems), problems


def test_the_error_message_names_file_line_and_key() -> None:
    with pytest.raises(FiguresError) as error:
        apply_overlay(
            default_figures(),
            overlay("items:\n  toilets:\n    figure: {amount: -2}\n" + SOURCE),
            source="tl.yaml",
        )

    assert str(error.value) == "tl.yaml:5: items.toilets.figure.amount: must not be negative, not -2"


# --- the figures file itself --------------------------------------------------------------------


MINIMAL = """\
format: hbm-planning-figures/1
name: Minimal
documents:
  doc: A document
demographics:
  under_five: {share: 0.1, source: {document: doc, where: p. 1, checked: yes it was}}
  pregnant: {share: 0.02, source: {document: doc, where: p. 1, checked: yes it was}}
  older: {share: 0.05, source: {document: doc, where: p. 1, checked: yes it was}}
  disability: {share: 0.15, source: {document: doc, where: p. 1, checked: yes it was}}
items:
  water:
    label: Water
    sector: water
    unit: litres
    kind: consumable
    figure: {amount: 10}
    standard: Ten litres.
    source: {document: doc, where: p. 2, checked: against the text}
"""


def test_another_figures_file_can_be_loaded_and_used() -> None:
    figures = load_figures(MINIMAL)

    planning = PlanningInput(arrivals_per_day=[7], average_stay_days=1)
    result = requirements(planning, figures)
    assert [item.item for item in result.items] == ["water"]
    assert result.item("water").per_day == (70.0,)


TAPS = "  taps:\n    label: T\n    unit: taps\n    kind: capacity\n    standard: S\n"
TAPS_SOURCE = "    source: {document: doc, where: w, checked: c}\n"


@pytest.mark.parametrize(
    ("extra", "path", "reason"),
    [
        (
            "    sector: water\n    share_of: pumps\n    share: 1\n",
            "items.taps.share_of",
            "unknown item 'pumps'",
        ),
        (
            "    sector: water\n    share_of: water\n    share: 1\n",
            "items.taps.share_of",
            "'water' is a consumable item, this one a capacity",
        ),
        (
            "    sector: plumbing\n    figure: {amount: 1}\n",
            "items.taps.sector",
            "'plumbing' is not one of food, health, hygiene, sanitation, shelter, water",
        ),
        ("    sector: water\n", "items.taps", "the key 'figure' (or 'share_of' and 'share') is missing"),
        (
            "    sector: water\n    figure: {initial: {amount: 1}}\n",
            "items.taps.figure",
            "'longer_term' is missing",
        ),
    ],
)
def test_a_figures_file_with_a_wrong_item_is_refused(extra: str, path: str, reason: str) -> None:
    text = MINIMAL + TAPS + TAPS_SOURCE + extra
    with pytest.raises(FiguresError) as error:
        load_figures(text)

    assert any(p.path == path and reason in p.reason for p in error.value.problems), error.value.problems


def test_a_figures_file_without_a_demographic_default_is_refused() -> None:
    text = MINIMAL.replace("  older: {share: 0.05", "  elderly: {share: 0.05")

    with pytest.raises(FiguresError) as error:
        load_figures(text)

    found = {(p.line, p.path, p.reason.split(" (")[0]) for p in error.value.problems}
    assert (8, "demographics.elderly", "unknown key 'elderly'") in found
    assert (5, "demographics", "the key 'older' is missing") in found
