"""A small HTML reader for the tests: the elements of a page, in document order, with attributes."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]
    form_id: str | None
    inside_label_for: str | None = None
    text: list[str] = field(default_factory=list)

    def get(self, name: str) -> str | None:
        return self.attrs.get(name)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[Element] = []
        self._forms: list[str] = []
        self._labels: list[Element] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value if value is not None else "" for name, value in attrs}
        element = Element(tag=tag, attrs=values, form_id=self._forms[-1] if self._forms else None)
        if self._labels:
            element.inside_label_for = self._labels[-1].get("for") or "<wrapped>"
        self.elements.append(element)
        if tag == "form":
            self._forms.append(values.get("id") or f"form-{len(self.elements)}")
        if tag == "label":
            self._labels.append(element)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._forms:
            self._forms.pop()
        if tag == "label" and self._labels:
            self._labels.pop()

    def handle_data(self, data: str) -> None:
        for label in self._labels:
            label.text.append(data)


def elements_of(html: str) -> list[Element]:
    reader = _Reader()
    reader.feed(html)
    return reader.elements


FIELD_TAGS = {"input", "select", "textarea"}
NOT_LABELLED_INPUT_TYPES = {"hidden", "submit", "button", "reset", "image"}


def form_fields(elements: list[Element], form_id: str) -> list[Element]:
    """The inputs a person fills in, in document (= tab) order."""
    return [
        e
        for e in elements
        if e.tag in FIELD_TAGS and e.form_id == form_id and e.get("type") not in NOT_LABELLED_INPUT_TYPES
    ]


def unlabelled_fields(elements: list[Element]) -> list[str]:
    """Names of inputs with neither a <label for>, nor a wrapping <label>, nor an aria-label."""
    labelled_ids = {e.get("for") for e in elements if e.tag == "label" and e.get("for")}
    missing = []
    for e in elements:
        if e.tag not in FIELD_TAGS or e.get("type") in NOT_LABELLED_INPUT_TYPES:
            continue
        if e.get("id") in labelled_ids or e.inside_label_for or e.get("aria-label"):
            continue
        missing.append(e.get("name") or e.get("id") or e.tag)
    return missing
