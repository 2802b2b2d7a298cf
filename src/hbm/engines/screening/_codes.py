"""UNHCR's specific-needs codes, read from ``data/specific_needs.yaml`` (sources in the file)."""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType

from hbm.engines.screening._reader import join, open_definition
from hbm.engines.screening._text import Text

__all__ = ["SpecificNeed", "load_specific_needs", "specific_needs"]

_CATEGORY = re.compile(r"[A-Z]{2}")
_NEED = re.compile(r"([A-Z]{2})-[A-Z]{2}")


@dataclass(frozen=True, slots=True)
class SpecificNeed:
    """One code: a category (``SC``) or a need within it (``SC-UC``). ``category`` is the
    two-letter category code in both cases."""

    code: str
    category: str
    label: Text

    @property
    def is_category(self) -> bool:
        return self.code == self.category


def load_specific_needs(text: str, *, source: str = "<text>") -> Mapping[str, SpecificNeed]:
    """The codes in a ``kind: specific_needs_codes`` file, by code (categories and needs).

    Raises :class:`DefinitionError` with every problem (line and reason).
    """
    reader, top, _ = open_definition(
        text, source, "specific_needs_codes", required=["id", "version", "sources", "categories"]
    )
    codes: dict[str, SpecificNeed] = {}
    seen: dict[str, int] = {}
    if top is not None:
        if "id" in top.entries:
            reader.identifier(top.entries["id"], "id")
        if "version" in top.entries:
            reader.integer(top.entries["version"], "version", minimum=1)
        if "sources" in top.entries:
            reader.strings(top.entries["sources"], "sources")
        categories = (
            reader.items(top.entries["categories"], "categories") if "categories" in top.entries else ()
        )
        for i, node in enumerate(categories):
            path = join("categories", i)
            category = reader.mapping(node, path, required=["code", "label", "needs"])
            if category is None:
                continue
            code = (
                reader.string(category.entries["code"], join(path, "code"))
                if "code" in category.entries
                else None
            )
            if code is not None and not _CATEGORY.fullmatch(code):
                reader.add(
                    category.entries["code"].line,
                    join(path, "code"),
                    f"{code!r} is not a two-letter category code",
                )
                code = None
            if code is not None:
                reader.unique(seen, code, category.entries["code"].line, join(path, "code"), "code")
            label = (
                reader.text(category.entries["label"], join(path, "label"))
                if "label" in category.entries
                else None
            )
            if code is not None and label is not None:
                codes[code] = SpecificNeed(code, code, label)
            needs = (
                reader.items(category.entries["needs"], join(path, "needs"), allow_empty=True)
                if "needs" in category.entries
                else ()
            )
            for j, need_node in enumerate(needs):
                need_path = join(join(path, "needs"), j)
                need = reader.mapping(need_node, need_path, required=["code", "label"])
                if need is None:
                    continue
                need_code = (
                    reader.string(need.entries["code"], join(need_path, "code"))
                    if "code" in need.entries
                    else None
                )
                match = _NEED.fullmatch(need_code) if need_code is not None else None
                if need_code is not None and (match is None or match.group(1) != code):
                    reader.add(
                        need.entries["code"].line,
                        join(need_path, "code"),
                        f"{need_code!r} is not a code of category {code!r} ({code}-XX)",
                    )
                    need_code = None
                if need_code is not None:
                    reader.unique(seen, need_code, need.entries["code"].line, join(need_path, "code"), "code")
                need_label = (
                    reader.text(need.entries["label"], join(need_path, "label"))
                    if "label" in need.entries
                    else None
                )
                if need_code is not None and need_label is not None and code is not None:
                    codes[need_code] = SpecificNeed(need_code, code, need_label)
    reader.raise_if_any()
    return MappingProxyType(codes)


@functools.cache
def specific_needs() -> Mapping[str, SpecificNeed]:
    """The shipped table of UNHCR specific-needs codes (``data/specific_needs.yaml``)."""
    text = (
        resources.files("hbm.engines.screening")
        .joinpath("data", "specific_needs.yaml")
        .read_text(encoding="utf-8")
    )
    return load_specific_needs(text, source="specific_needs.yaml")
