"""A plan as a PDF, in the reader's language (Arabic shaped and right to left), with its charts.

fpdf2 writes the PDF; its text shaping (HarfBuzz, through uharfbuzz) joins Arabic letters and
orders mixed right-to-left and left-to-right text. The fonts ship in ``data/fonts`` with their
licence (Noto Sans and Noto Sans Arabic, SIL Open Font License): no system font is used and
nothing is fetched. Charts are drawn as vectors from the same geometry as the web pages'
SVG (:mod:`hbm.preparedness.charts`). Decision record 0018 says why this library.
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib.resources import as_file, files

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

from hbm.core.time import now
from hbm.preparedness.charts import BAND_COLOUR, Chart
from hbm.preparedness.charts import PALETTE as CHART_PALETTE
from hbm.preparedness.enums import ENTERED_METRICS, METRIC_UNITS, UNIT_LABELS, ScenarioKind, TriggerMetric
from hbm.preparedness.models import ContingencyPlan, PlanScenario, ScenarioResult
from hbm.preparedness.report import ChartView, ScenarioReport, number, scenario_report, scenarios_compared

MARGIN = 15.0
# A chart's table in the PDF stops after a month of days: shaping every cell of a year-long
# scenario's tables would make the export take half a minute (the charts show every day).
PDF_TABLE_ROWS = 31
PALETTE = tuple(tuple(int(c[i : i + 2], 16) for i in (1, 3, 5)) for c in CHART_PALETTE)
BAND = tuple(int(BAND_COLOUR[i : i + 2], 16) for i in (1, 3, 5))
GRID = (225, 225, 225)
TEXT = (30, 30, 30)
MUTED = (95, 95, 95)


class PlanPdf(FPDF):
    """A4 pages with the plan's title in the footer and the page number."""

    def __init__(self, *, rtl: bool, footer_text: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.rtl = rtl
        self.footer_text = footer_text
        self.set_margins(MARGIN, MARGIN, MARGIN)
        self.set_auto_page_break(auto=True, margin=MARGIN + 5)
        fonts = files("hbm.preparedness").joinpath("data", "fonts")
        for family, style, name in (
            ("NotoSans", "", "NotoSans-Regular.ttf"),
            ("NotoSans", "B", "NotoSans-Bold.ttf"),
            ("NotoSansArabic", "", "NotoSansArabic-Regular.ttf"),
            ("NotoSansArabic", "B", "NotoSansArabic-Bold.ttf"),
        ):
            with as_file(fonts.joinpath(name)) as path:
                self.add_font(family, style, str(path))
        main, other = ("NotoSansArabic", "NotoSans") if rtl else ("NotoSans", "NotoSansArabic")
        self.main_font = main
        self.set_font(main, size=10)
        self.set_fallback_fonts([other])
        self.set_text_shaping(
            use_shaping_engine=True,
            direction="rtl" if rtl else "ltr",
            script="arab" if rtl else None,
            language="ara" if rtl else None,
            # Latin ligatures (fi, fl) come out garbled in right-to-left runs; Arabic's own
            # required ligatures (lam-alef) are "rlig", which stays on.
            features={"liga": False},
        )
        self.set_title(footer_text)
        self.set_creator("HBM")

    @property
    def align(self) -> str:
        return "R" if self.rtl else "L"

    def footer(self) -> None:
        self.set_y(-MARGIN)
        self.set_font(self.main_font, size=8)
        self.set_text_color(*MUTED)
        self.cell(0, 6, f"{self.footer_text} · {self.page_no()}", align="C")

    def heading(self, text: str, size: float = 14) -> None:
        self.set_font(self.main_font, "B", size)
        self.set_text_color(*TEXT)
        self.multi_cell(0, size * 0.5, text, align=self.align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1.5)
        self.set_font(self.main_font, size=10)

    def paragraph(self, text: str, *, size: float = 10, muted: bool = False) -> None:
        self.set_font(self.main_font, size=size)
        self.set_text_color(*(MUTED if muted else TEXT))
        self.multi_cell(0, size * 0.5, text, align=self.align, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.ln(1)
        self.set_text_color(*TEXT)

    def grid(
        self, head: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float] | None = None
    ) -> None:
        """A table; right to left, its first column is on the right."""
        order = list(reversed(range(len(head)))) if self.rtl else list(range(len(head)))
        self.set_font(self.main_font, size=8.5)
        self.set_fill_color(255, 255, 255)
        self.set_text_color(*TEXT)
        chosen = tuple(widths[i] for i in order) if widths else None
        with self.table(
            col_widths=chosen,
            text_align=self.align,
            line_height=4.5,
            first_row_as_headings=True,
            headings_style=FontFace(emphasis="BOLD", fill_color=(235, 240, 246)),
        ) as table:
            header = table.row()
            for i in order:
                header.cell(head[i])
            for values in rows:
                row = table.row()
                for i in order:
                    row.cell(values[i])
        self.ln(3)


def _chart_draw(pdf: PlanPdf, view: ChartView) -> None:
    chart: Chart = view.chart
    scale = (pdf.w - 2 * MARGIN) / chart.width
    height = chart.height * scale
    if pdf.get_y() + height + 30 > pdf.h - MARGIN:
        pdf.add_page()
    pdf.heading(view.title, size=11)
    pdf.paragraph(view.description, size=8.5, muted=True)
    top, left = pdf.get_y(), MARGIN

    def at(x: float, y: float) -> tuple[float, float]:
        return left + x * scale, top + y * scale

    pdf.set_line_width(0.15)
    pdf.set_draw_color(*GRID)
    pdf.set_font("NotoSans", size=6.5)
    for tick in chart.y_ticks:
        pdf.line(*at(chart.plot_left, tick.position), *at(chart.plot_right, tick.position))
        x, y = at(chart.y_label_x, tick.position)
        pdf.set_xy(x - 20, y - 2)
        pdf.cell(20, 4, tick.label, align="R")
    for tick in chart.x_ticks:
        x, y = at(tick.position, chart.x_label_y)
        pdf.set_xy(x - 15, y - 2)
        pdf.set_font(pdf.main_font, size=6)
        pdf.cell(30, 4, tick.label, align="C")
    pdf.set_font(pdf.main_font, "B", 6.5)
    for caption in chart.captions:
        x, y = at(caption.position, chart.caption_y)
        pdf.set_xy(x - 25, y - 2)
        pdf.cell(50, 4, caption.label, align="C")
    for line in chart.lines:
        if line.band_points:
            pdf.set_fill_color(*BAND)
            pdf.polygon([at(x, y) for x, y in line.band_points], style="F")
    for line in chart.lines:
        pdf.set_draw_color(*PALETTE[line.style % len(PALETTE)])
        pdf.set_line_width(0.5 if line.style == 0 else 0.3)
        pdf.set_dash_pattern(dash=1.5, gap=1.0) if line.dashed else pdf.set_dash_pattern()
        if len(line.points) > 1:
            pdf.polyline([at(x, y) for x, y in line.points])
    pdf.set_dash_pattern()
    for bar in chart.bars:
        pdf.set_fill_color(*PALETTE[bar.style % len(PALETTE)])
        x, y = at(bar.x, bar.y)
        pdf.rect(x, y, bar.width * scale, max(bar.height * scale, 0.01), style="F")
    pdf.set_draw_color(*MUTED)
    pdf.set_line_width(0.2)
    pdf.line(*at(chart.plot_left, chart.plot_bottom), *at(chart.plot_right, chart.plot_bottom))
    pdf.set_y(top + height + 1)
    _legend_draw(pdf, chart)
    pdf.ln(2)
    pdf.grid(view.head, view.rows[:PDF_TABLE_ROWS])
    if len(view.rows) > PDF_TABLE_ROWS:
        pdf.paragraph(
            _("The first %(shown)s of %(rows)s rows; every row is on the plan's web page and in the API.")
            % {"shown": PDF_TABLE_ROWS, "rows": len(view.rows)},
            size=8,
            muted=True,
        )


def _legend_draw(pdf: PlanPdf, chart: Chart) -> None:
    pdf.set_font(pdf.main_font, size=7.5)
    x = MARGIN
    y = pdf.get_y()
    for label, style in chart.legend:
        width = pdf.get_string_width(label) + 9
        if x + width > pdf.w - MARGIN:
            x, y = MARGIN, y + 5
        pdf.set_fill_color(*PALETTE[style % len(PALETTE)])
        pdf.rect(x, y + 1.2, 3, 3, style="F")
        pdf.set_xy(x + 4, y)
        pdf.cell(width - 4, 5.5, label)
        x += width
    pdf.set_xy(MARGIN, y + 6)


def _scenario_section(pdf: PlanPdf, report: ScenarioReport) -> None:
    pdf.grid((_("Figure"), _("Value")), report.headline, widths=(120, 60))
    for note in report.notes:
        pdf.paragraph(note)
    for view in report.charts:
        _chart_draw(pdf, view)
    pdf.heading(_("What reception needs (Sphere minimum standards)"), size=11)
    pdf.grid(report.requirements_head, report.requirements, widths=(70, 25, 30, 22, 33))
    result = report.result
    pdf.paragraph(
        _(
            "Computed on %(date)s with %(engine)s, seed %(seed)s, %(replications)s replications; "
            "intervals are 95%% confidence intervals. The same inputs and seed give the same figures."
        )
        % {
            "date": date_format(result.created_at, "DATETIME_FORMAT"),
            "engine": result.engine_version,
            "seed": result.seed,
            "replications": result.replications,
        },
        size=8,
        muted=True,
    )


def _triggers_rows(plan: ContingencyPlan) -> list[tuple[str, str, str]]:
    rows = []
    for trigger in plan.triggers.all().order_by("metric"):
        metric = TriggerMetric(trigger.metric)
        how = (
            _("a figure entered by a person (HBM does not measure it)")
            if metric in ENTERED_METRICS
            else _("counted from the crossing point's registrations")
        )
        rows.append(
            (str(metric.label), f"{number(trigger.threshold)} {UNIT_LABELS[METRIC_UNITS[metric]]}", how)
        )
    return rows


def plan_pdf(
    plan: ContingencyPlan, results: dict[str, tuple[PlanScenario, ScenarioResult | None]], *, language: str
) -> bytes:
    """The plan in ``language`` (``en``, ``fr`` or ``ar``) as PDF bytes: what it is, the roles, the
    triggers, and for each scenario its figures, charts, staffing and requirements."""
    with translation.override(language):
        pdf = PlanPdf(rtl=translation.get_language_bidi(), footer_text=plan.title)
        pdf.add_page()
        pdf.heading(plan.title, size=18)
        pdf.paragraph(
            _(
                "Contingency plan for %(point)s (%(code)s) · %(organisation)s · "
                "version %(version)s · %(status)s"
            )
            % {
                "point": plan.crossing_point.name,
                "code": plan.crossing_point.code,
                "organisation": plan.organisation.name,
                "version": plan.version,
                "status": plan.get_status_display(),
            },
            muted=True,
        )
        pdf.paragraph(
            _("Exported on %(date)s.") % {"date": date_format(now(), "DATETIME_FORMAT")}, size=8, muted=True
        )
        if plan.summary:
            pdf.paragraph(plan.summary)
        pdf.heading(_("Roles and responsibilities"), size=13)
        roles = [(r.organisation.name, r.responsibilities) for r in plan.roles.select_related("organisation")]
        if roles:
            pdf.grid((_("Organisation"), _("Responsibilities")), roles, widths=(55, 125))
        else:
            pdf.paragraph(_("No roles yet."), muted=True)
        pdf.heading(_("Triggers for switching to emergency mode"), size=13)
        triggers = _triggers_rows(plan)
        if triggers:
            pdf.grid(
                (_("Metric"), _("Threshold"), _("Where the figure comes from")), triggers, widths=(45, 45, 90)
            )
        else:
            pdf.paragraph(_("No triggers yet."), muted=True)
        compared_head, compared_rows = scenarios_compared(results)
        if compared_rows:
            pdf.heading(_("The scenarios compared"), size=13)
            pdf.grid(compared_head, compared_rows)
        for kind in ScenarioKind:
            if kind.value not in results:
                continue
            scenario, result = results[kind.value]
            pdf.add_page()
            pdf.heading(_("Scenario: %(kind)s") % {"kind": kind.label}, size=15)
            if result is None:
                pdf.paragraph(_("Not computed yet."), muted=True)
                continue
            _scenario_section(pdf, scenario_report(scenario, result))
        return bytes(pdf.output())
