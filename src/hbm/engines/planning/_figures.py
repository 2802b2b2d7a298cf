"""Planning figures: what one person needs, per item, with the standard and the source of each.

The figures live in a data file (``data/sphere.yaml``), not in code: a country edits them with an
*overlay* file that changes some figures and names its own source for each change. Both files are
validated in full; every problem is reported with its key and line (:class:`FiguresError`).
Decision record 0014 says why, and what the figures do not cover.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import cache, partial
from importlib.resources import files
from types import MappingProxyType

from hbm.engines.datafile import Reader, YList, YMap, YNode, read
from hbm.engines.planning._errors import FiguresError

__all__ = [
    "Adjustment",
    "DemographicFigure",
    "Figure",
    "Figures",
    "Group",
    "Kind",
    "Phase",
    "Rate",
    "ShareOf",
    "Source",
    "apply_overlay",
    "default_figures",
    "load_figures",
]

FIGURES_FORMAT = "hbm-planning-figures/1"
OVERLAY_FORMAT = "hbm-planning-overlay/1"
SECTORS = ("water", "sanitation", "hygiene", "shelter", "food", "health")


class Phase(StrEnum):
    """The phase a figure is meant for. Sphere gives some figures for the first phase of a crisis
    (e.g. communal toilets, 1 per 50 people) and a stricter one for the medium term (1 per 20)."""

    INITIAL = "initial"
    LONGER_TERM = "longer_term"


class Kind(StrEnum):
    """``consumable``: used up each day (litres, kilocalories) — the period's total is a sum.
    ``capacity``: must exist while people are present (toilets, m², staff) — what the period needs
    is its peak."""

    CONSUMABLE = "consumable"
    CAPACITY = "capacity"


class Group(StrEnum):
    """Whom a figure counts: everyone present, or one group of them (a share of everyone)."""

    EVERYONE = "everyone"
    UNDER_FIVE = "under_five"
    PREGNANT = "pregnant"
    OLDER = "older"
    DISABILITY = "disability"


SHARE_GROUPS = (Group.UNDER_FIVE, Group.PREGNANT, Group.OLDER, Group.DISABILITY)


@dataclass(frozen=True, slots=True)
class Source:
    """Where a figure comes from: the ``document`` in full, its ``chapter`` and ``standard`` (empty
    where the document has none), ``where`` in it (key indicator, guidance note, appendix, page), and
    ``checked``: how this figure was checked against that text (or that it was not)."""

    document: str
    chapter: str
    standard: str
    where: str
    checked: str
    url: str = ""

    def __str__(self) -> str:
        parts = [self.document, self.chapter, self.standard, self.where]
        return ", ".join(part for part in parts if part)


@dataclass(frozen=True, slots=True)
class Rate:
    """``amount`` per ``per_persons`` persons per ``period_days`` days: 15 L per person per day is
    ``Rate(15)``, one toilet per 50 people ``Rate(1, per_persons=50)``, 250 g of soap per person per
    month ``Rate(250, period_days=30)`` (a month is counted as 30 days)."""

    amount: float
    per_persons: float = 1.0
    period_days: float = 1.0

    def quantity(self, persons: float) -> float:
        """What ``persons`` need per day (capacity items: what must exist for them)."""
        return persons * self.amount / self.per_persons / self.period_days


@dataclass(frozen=True, slots=True)
class ShareOf:
    """A figure derived from another item: ``share`` of that ``item``'s quantity each day (female
    toilets are 3/4 of all toilets; one handwashing point at each toilet is a share of 1)."""

    item: str
    share: float


@dataclass(frozen=True, slots=True)
class Adjustment:
    """``extra`` (in the figure's unit, per day) for each person of ``group`` beyond the
    ``baseline_share`` of the group that the base figure already assumes. The 2,100 kcal average
    assumes a population in which 2.4 % are pregnant; each pregnant woman above that share adds
    285 kcal. An adjustment never lowers the figure."""

    group: Group
    extra: float
    baseline_share: float
    source: Source


@dataclass(frozen=True, slots=True)
class Figure:
    """One item's planning figure. ``rates`` has a :class:`Rate` for each :class:`Phase` (the same
    for both where the source gives one figure; ``phased`` says it gives two), or ``rates`` is a
    :class:`ShareOf`. ``standard`` says the figure in words; ``changed_by`` names the overlay that
    changed it, if any."""

    id: str
    label: str
    sector: str
    unit: str
    kind: Kind
    whole_units: bool
    basis: Group
    rates: Mapping[Phase, Rate] | ShareOf
    phased: bool
    adjustments: tuple[Adjustment, ...]
    standard: str
    source: Source
    note: str
    changed_by: str | None = None


@dataclass(frozen=True, slots=True)
class DemographicFigure:
    """The share of ``group`` among the people present, used when an input does not give it."""

    group: Group
    share: float
    source: Source
    changed_by: str | None = None


@dataclass(frozen=True, slots=True)
class Figures:
    """A validated set of figures: ``items`` in the file's order, default ``demographics``, the
    cited ``documents`` (id → full reference) and the ``overlays`` applied, in order."""

    name: str
    documents: Mapping[str, str]
    demographics: Mapping[Group, DemographicFigure]
    items: Mapping[str, Figure]
    overlays: tuple[str, ...] = ()


def load_figures(text: str, *, source: str = "figures") -> Figures:
    """Figures from the text of a figures file (format ``hbm-planning-figures/1``, see
    ``data/sphere.yaml``). Raises :class:`FiguresError` listing every problem with its line."""
    return read(text, _read_figures, source=source, error=FiguresError)


@cache
def default_figures() -> Figures:
    """The shipped figures: the Sphere Handbook 2018 and the sources named in ``data/sphere.yaml``."""
    text = files("hbm.engines.planning").joinpath("data", "sphere.yaml").read_text(encoding="utf-8")
    return load_figures(text, source="sphere.yaml")


def apply_overlay(figures: Figures, text: str, *, source: str = "overlay") -> Figures:
    """``figures`` with a country overlay (format ``hbm-planning-overlay/1``) applied: the figures,
    demographic shares, labels and notes it gives replace those of ``figures``; every changed figure
    must name its own source. An unknown item, group or key, a negative value, a changed figure
    without a source: :class:`FiguresError` listing every problem with its line."""
    return read(text, partial(_read_overlay, figures), source=source, error=FiguresError)


# --- the figures file -------------------------------------------------------------------------


def _read_figures(root: YNode, reader: Reader) -> Figures | None:
    top = reader.mapping(root, "", root.line)
    if top is None:
        return None
    reader.keys(top, "", required=("format", "name", "documents", "demographics", "items"))
    _check_format(top, reader, FIGURES_FORMAT)
    name = reader.text(top.entries.get("name"), "name", top.line)
    documents = _read_documents(top.entries.get("documents"), top.line, reader, known={})

    demographics: dict[Group, DemographicFigure] = {}
    node = top.entries.get("demographics")
    if node is not None and (groups := reader.mapping(node, "demographics", top.line)) is not None:
        at = top.key_lines["demographics"]
        reader.keys(groups, "demographics", required=[group.value for group in SHARE_GROUPS], at=at)
        for key, value, line in groups.items():
            if key in Group.__members__.values() and Group(key) in SHARE_GROUPS:
                found = _read_demographic(Group(key), value, f"demographics.{key}", line, documents, reader)
                if found is not None:
                    demographics[found.group] = found

    items: dict[str, Figure] = {}
    node = top.entries.get("items")
    if node is not None and (entries := reader.mapping(node, "items", top.line)) is not None:
        if not entries.entries:
            reader.fail(entries.line, "items", "there must be at least one item")
        for key, value, line in entries.items():
            figure = _read_item(key, value, f"items.{key}", line, documents, reader)
            if figure is not None:
                items[key] = figure
        _check_shares(items, entries, reader)
    if name is None:
        return None
    return Figures(
        name=name,
        documents=MappingProxyType(documents),
        demographics=MappingProxyType(demographics),
        items=MappingProxyType(items),
    )


def _check_format(top: YMap, reader: Reader, expected: str) -> None:
    node = top.entries.get("format")
    if node is None:
        return
    value = reader.text(node, "format", top.line)
    if value is not None and value != expected:
        reader.fail(node.line, "format", f"must be {expected!r}, not {value!r}")


def _read_documents(
    node: YNode | None, line: int, reader: Reader, *, known: Mapping[str, str]
) -> dict[str, str]:
    documents = dict(known)
    if node is None:
        return documents
    table = reader.mapping(node, "documents", line)
    if table is None:
        return documents
    for key, value, key_line in table.items():
        if key in known:
            reader.fail(key_line, f"documents.{key}", f"the document {key!r} is already defined")
            continue
        citation = reader.text(value, f"documents.{key}", key_line)
        if citation is not None:
            documents[key] = citation
    return documents


def _read_source(
    node: YNode | None, path: str, line: int, documents: Mapping[str, str], reader: Reader
) -> Source | None:
    table = reader.mapping(node, path, line)
    if table is None:
        return None
    reader.keys(
        table,
        path,
        required=("document", "where", "checked"),
        optional=("chapter", "standard", "url"),
        at=line,
    )
    document_id = reader.text(table.entries.get("document"), f"{path}.document", table.line)
    document = None
    if document_id is not None:
        document = documents.get(document_id)
        if document is None:
            known = ", ".join(sorted(documents)) or "none"
            doc_line = table.key_lines["document"]
            reader.fail(doc_line, f"{path}.document", f"unknown document {document_id!r} (known: {known})")
    texts = {
        key: reader.text(table.entries[key], f"{path}.{key}", table.key_lines[key])
        for key in ("where", "checked", "chapter", "standard", "url")
        if key in table.entries
    }
    where, checked = texts.get("where"), texts.get("checked")
    if document is None or where is None or checked is None:
        return None
    return Source(
        document=document,
        chapter=texts.get("chapter") or "",
        standard=texts.get("standard") or "",
        where=where,
        checked=checked,
        url=texts.get("url") or "",
    )


def _read_demographic(
    group: Group, node: YNode, path: str, line: int, documents: Mapping[str, str], reader: Reader
) -> DemographicFigure | None:
    table = reader.mapping(node, path, line)
    if table is None:
        return None
    reader.keys(table, path, required=("share", "source"), at=line)
    share = reader.number(table.entries.get("share"), f"{path}.share", table.line, at_most=1.0)
    source = _read_source(
        table.entries.get("source"), f"{path}.source", _line(table, "source"), documents, reader
    )
    if share is None or source is None:
        return None
    return DemographicFigure(group=group, share=share, source=source)


_ITEM_REQUIRED = ("label", "sector", "unit", "kind", "standard", "source")
_ITEM_OPTIONAL = ("whole_units", "basis", "figure", "share_of", "share", "adjustments", "note")


def _read_item(
    item_id: str, node: YNode, path: str, line: int, documents: Mapping[str, str], reader: Reader
) -> Figure | None:
    table = reader.mapping(node, path, line)
    if table is None:
        return None
    reader.keys(table, path, required=_ITEM_REQUIRED, optional=_ITEM_OPTIONAL, at=line)
    get = table.entries.get
    label = reader.text(get("label"), f"{path}.label", table.line)
    sector = reader.choice(get("sector"), f"{path}.sector", table.line, SECTORS)
    unit = reader.text(get("unit"), f"{path}.unit", table.line)
    kind_text = reader.choice(get("kind"), f"{path}.kind", table.line, [kind.value for kind in Kind])
    whole_units = False
    if "whole_units" in table.entries:
        whole_units = bool(reader.boolean(get("whole_units"), f"{path}.whole_units", table.line))
    basis = Group.EVERYONE
    if "basis" in table.entries:
        basis_text = reader.choice(
            get("basis"), f"{path}.basis", table.line, [group.value for group in Group]
        )
        basis = Group(basis_text) if basis_text is not None else basis
    standard = reader.text(get("standard"), f"{path}.standard", table.line)
    source = _read_source(get("source"), f"{path}.source", _line(table, "source"), documents, reader)
    note = reader.text(get("note"), f"{path}.note", table.line) if "note" in table.entries else ""

    rates: Mapping[Phase, Rate] | ShareOf | None = None
    phased = False
    if "figure" in table.entries and "share_of" in table.entries:
        either = "give either 'figure' or 'share_of', not both"
        reader.fail(table.key_lines["share_of"], f"{path}.share_of", either)
    elif "figure" in table.entries:
        read = _read_rates(get("figure"), f"{path}.figure", table.key_lines["figure"], reader, base=None)
        if read is not None:
            rates, phased = read
        if "share" in table.entries:
            reader.fail(table.key_lines["share"], f"{path}.share", "'share' goes with 'share_of'")
    elif "share_of" in table.entries:
        of = reader.text(get("share_of"), f"{path}.share_of", table.line)
        share = reader.number(get("share"), f"{path}.share", table.line)
        if of is not None and share is not None:
            rates = ShareOf(of, share)
    else:
        reader.fail(line, path, "the key 'figure' (or 'share_of' and 'share') is missing")

    adjustments: tuple[Adjustment, ...] = ()
    if "adjustments" in table.entries:
        found = _read_adjustments(get("adjustments"), f"{path}.adjustments", table.line, documents, reader)
        adjustments = found if found is not None else ()
    if (
        label is None
        or sector is None
        or unit is None
        or kind_text is None
        or standard is None
        or source is None
        or note is None
        or rates is None
    ):
        return None
    return Figure(
        id=item_id,
        label=label,
        sector=sector,
        unit=unit,
        kind=Kind(kind_text),
        whole_units=whole_units,
        basis=basis,
        rates=rates,
        phased=phased,
        adjustments=adjustments,
        standard=standard,
        source=source,
        note=note or "",
    )


def _read_rates(
    node: YNode | None, path: str, line: int, reader: Reader, *, base: Mapping[Phase, Rate] | None
) -> tuple[Mapping[Phase, Rate], bool] | None:
    """``{amount, per_persons?, period_days?}`` for every phase, or ``{initial: …, longer_term: …}``.
    With ``base`` (an overlay), one phase alone may be given and the other is kept."""
    table = reader.mapping(node, path, line)
    if table is None:
        return None
    phases = [phase.value for phase in Phase]
    if any(key in phases for key in table.entries):
        reader.keys(table, path, required=() if base is not None else phases, optional=phases, at=line)
        found: dict[Phase, Rate] = dict(base) if base is not None else {}
        complete = True
        for key, value, key_line in table.items():
            if key in phases:
                rate = _read_rate(value, f"{path}.{key}", key_line, reader)
                if rate is None:
                    complete = False
                else:
                    found[Phase(key)] = rate
        if not complete or len(found) != len(Phase):
            return None
        return MappingProxyType(found), True
    rate = _read_rate(table, path, line, reader)
    if rate is None:
        return None
    return MappingProxyType(dict.fromkeys(Phase, rate)), False


def _read_rate(node: YNode, path: str, line: int, reader: Reader) -> Rate | None:
    table = reader.mapping(node, path, line)
    if table is None:
        return None
    reader.keys(table, path, required=("amount",), optional=("per_persons", "period_days"), at=line)
    amount = reader.number(table.entries.get("amount"), f"{path}.amount", table.line)
    per_persons: float | None = 1.0
    period_days: float | None = 1.0
    if "per_persons" in table.entries:
        per_persons = reader.number(
            table.entries["per_persons"], f"{path}.per_persons", table.line, positive=True
        )
    if "period_days" in table.entries:
        period_days = reader.number(
            table.entries["period_days"], f"{path}.period_days", table.line, positive=True
        )
    if amount is None or per_persons is None or period_days is None:
        return None
    return Rate(amount, per_persons, period_days)


def _read_adjustments(
    node: YNode | None, path: str, line: int, documents: Mapping[str, str], reader: Reader
) -> tuple[Adjustment, ...] | None:
    if not isinstance(node, YList):
        reader.fail(node.line if node is not None else line, path, "must be a list")
        return None
    found: list[Adjustment] = []
    for index, entry in enumerate(node.items):
        at = f"{path}[{index}]"
        table = reader.mapping(entry, at, entry.line)
        if table is None:
            continue
        reader.keys(table, at, required=("group", "extra", "baseline_share", "source"))
        groups = [group.value for group in SHARE_GROUPS]
        group = reader.choice(table.entries.get("group"), f"{at}.group", table.line, groups)
        extra = reader.number(table.entries.get("extra"), f"{at}.extra", table.line)
        baseline = reader.number(
            table.entries.get("baseline_share"), f"{at}.baseline_share", table.line, at_most=1.0
        )
        source = _read_source(
            table.entries.get("source"), f"{at}.source", _line(table, "source"), documents, reader
        )
        if group is not None and extra is not None and baseline is not None and source is not None:
            found.append(Adjustment(Group(group), extra, baseline, source))
    return tuple(found)


def _check_shares(items: Mapping[str, Figure], entries: YMap, reader: Reader) -> None:
    """A derived item names an item given by a figure (not another derived one), of the same kind."""
    for item_id, figure in items.items():
        if not isinstance(figure.rates, ShareOf):
            continue
        target = items.get(figure.rates.item)
        line = entries.entries[item_id].line
        path = f"items.{item_id}.share_of"
        if figure.rates.item not in entries.entries:
            reader.fail(line, path, f"unknown item {figure.rates.item!r}")
        elif target is not None and isinstance(target.rates, ShareOf):
            reader.fail(line, path, f"{figure.rates.item!r} is itself a share; name an item with a figure")
        elif target is not None and target.kind != figure.kind:
            kinds = f"is a {target.kind} item, this one a {figure.kind}"
            reader.fail(line, path, f"{figure.rates.item!r} {kinds}")


def _line(table: YMap, key: str) -> int:
    """The line of ``key`` in ``table``, or of the table where the key is missing."""
    return table.key_lines.get(key, table.line)


# --- the overlay ------------------------------------------------------------------------------

_OVERLAY_ITEM = ("figure", "share", "adjustments", "standard", "source", "note", "label")
_OVERLAY_FIXED = ("sector", "unit", "kind", "whole_units", "basis", "share_of")
_CHANGES_FIGURE = ("figure", "share", "adjustments")


def _read_overlay(figures: Figures, root: YNode, reader: Reader) -> Figures | None:
    top = reader.mapping(root, "", root.line)
    if top is None:
        return None
    reader.keys(
        top, "", required=("format", "name"), optional=("country", "documents", "demographics", "items")
    )
    _check_format(top, reader, OVERLAY_FORMAT)
    name = reader.text(top.entries.get("name"), "name", top.line)
    if "country" in top.entries:
        reader.text(top.entries["country"], "country", top.line)
    documents = _read_documents(top.entries.get("documents"), top.line, reader, known=figures.documents)

    demographics = dict(figures.demographics)
    node = top.entries.get("demographics")
    if node is not None and (groups := reader.mapping(node, "demographics", top.line)) is not None:
        reader.keys(groups, "demographics", optional=[group.value for group in SHARE_GROUPS])
        for key, value, line in groups.items():
            if key in [group.value for group in SHARE_GROUPS]:
                found = _read_demographic(Group(key), value, f"demographics.{key}", line, documents, reader)
                if found is not None:
                    demographics[found.group] = replace(found, changed_by=name)

    items = dict(figures.items)
    node = top.entries.get("items")
    if node is not None and (entries := reader.mapping(node, "items", top.line)) is not None:
        for key, value, line in entries.items():
            if key not in figures.items:
                known = ", ".join(figures.items)
                reader.fail(line, f"items.{key}", f"unknown item {key!r} (known items: {known})")
                continue
            changed = _read_item_change(figures.items[key], value, f"items.{key}", line, documents, reader)
            if changed is not None:
                items[key] = replace(changed, changed_by=name)
    if name is None or reader.problems:
        return None
    return Figures(
        name=figures.name,
        documents=MappingProxyType(documents),
        demographics=MappingProxyType(demographics),
        items=MappingProxyType(items),
        overlays=(*figures.overlays, name),
    )


def _read_item_change(
    figure: Figure, node: YNode, path: str, line: int, documents: Mapping[str, str], reader: Reader
) -> Figure | None:
    table = reader.mapping(node, path, line)
    if table is None:
        return None
    reader.keys(table, path, optional=_OVERLAY_ITEM, fixed=_OVERLAY_FIXED)
    changes: dict[str, object] = {}
    get = table.entries.get
    if "figure" in table.entries:
        if isinstance(figure.rates, ShareOf):
            reader.fail(table.key_lines["figure"], f"{path}.figure", "this item is a share: change 'share'")
        else:
            at = table.key_lines["figure"]
            read = _read_rates(get("figure"), f"{path}.figure", at, reader, base=figure.rates)
            if read is not None:
                rates, phased = read
                changes["rates"], changes["phased"] = rates, phased or figure.phased
    if "share" in table.entries:
        if not isinstance(figure.rates, ShareOf):
            reader.fail(table.key_lines["share"], f"{path}.share", "this item has a figure: change 'figure'")
        else:
            share = reader.number(get("share"), f"{path}.share", table.line)
            if share is not None:
                changes["rates"] = ShareOf(figure.rates.item, share)
    if "adjustments" in table.entries:
        adjustments = _read_adjustments(
            get("adjustments"), f"{path}.adjustments", table.line, documents, reader
        )
        if adjustments is not None:
            changes["adjustments"] = adjustments
    for key in ("standard", "note", "label"):
        if key in table.entries:
            value = reader.text(table.entries[key], f"{path}.{key}", table.key_lines[key])
            if value is not None:
                changes[key] = value
    if "source" in table.entries:
        source = _read_source(get("source"), f"{path}.source", table.key_lines["source"], documents, reader)
        if source is not None:
            changes["source"] = source
    elif any(key in table.entries for key in _CHANGES_FIGURE):
        reader.fail(line, path, "a changed figure needs its 'source'")
    return replace(figure, **changes)  # type: ignore[arg-type]
