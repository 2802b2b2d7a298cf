"""The plan's PDF: produced, parsed back, in the reader's language, its long tables cut at a month
with a note, and no font but the shipped ones."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from hbm.core.context import Actor
from hbm.preparedness.enums import ScenarioKind
from hbm.preparedness.models import ContingencyPlan
from hbm.preparedness.pdf import plan_pdf
from hbm.preparedness.services import scenario_compute, scenario_save
from tests.preparedness.conftest import small_scenario

pytestmark = pytest.mark.django_db


def _text_and_fonts(data: bytes) -> tuple[str, set[str]]:
    reader = PdfReader(io.BytesIO(data))
    fonts = {
        str(font.get_object()["/BaseFont"]).split("+")[-1]
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    return "\n".join(page.extract_text() for page in reader.pages), fonts


def test_a_long_scenario_in_french_with_its_tables_cut_at_a_month(
    plan: ContingencyPlan, planner_actor: Actor
) -> None:
    scenario = scenario_save(
        actor=planner_actor,
        plan_id=plan.pk,
        kind=ScenarioKind.WORST,
        data=small_scenario(arrivals_per_day=(200.0,) * 40),
    )
    result = scenario_compute(actor=planner_actor, scenario=scenario)
    data = plan_pdf(plan, {"worst": (scenario, result)}, language="fr")
    assert data.startswith(b"%PDF-")
    text, fonts = _text_and_fonts(data)
    assert "Temps d'attente au fil des jours" in text
    assert "Rôles et responsabilités" in text
    assert "Les 31 premières lignes sur 40" in text
    assert "Les scénarios comparés" in text
    assert fonts <= {"NotoSans", "NotoSansBold", "NotoSansArabic", "NotoSansArabicBold"}


def test_a_plan_without_results_says_so_in_arabic(plan: ContingencyPlan) -> None:
    scenario = plan.scenarios.get()
    text, fonts = _text_and_fonts(plan_pdf(plan, {"most_likely": (scenario, None)}, language="ar"))
    assert "Palanca surge plan" in text
    assert "NotoSansArabic" in fonts
    assert "Health screening and first aid" in text  # its full stop moves left, right to left
    assert "لم يُحسب بعد." in text  # "Not computed yet."
