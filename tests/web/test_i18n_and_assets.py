"""English, French and Arabic (right to left); complete catalogues whose compiled .mo files match;
and pages that load nothing from the internet (every asset is served by the app)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import polib
import pytest

import hbm
from tests.web.conftest import World

PACKAGE = Path(hbm.__file__).parent
LOCALE = PACKAGE / "locale"
WEB = PACKAGE / "web"
LANGUAGES = ("fr", "ar")
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w+\}|<[^>]+>")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "direction", "sample"),
    [("en", "ltr", "Register a person"), ("fr", "ltr", "Enregistrer une personne"),
     ("ar", "rtl", "تسجيل شخص")],
)  # fmt: skip
def test_pages_speak_the_chosen_language_in_its_direction(
    world: World, language: str, direction: str, sample: str
) -> None:
    client = world.client("officer")
    client.cookies["django_language"] = language

    content = client.get(f"/crossing-points/{world.point.pk}/").content.decode()

    assert f'<html lang="{language}" dir="{direction}">' in content
    assert sample in content
    assert f'aria-current="true">{dict(en="English", fr="français", ar="العربيّة")[language]}<' in content


@pytest.mark.django_db
def test_the_language_switcher_sets_the_language_and_returns_to_the_page(world: World) -> None:
    client = world.client("officer")
    here = f"/crossing-points/{world.point.pk}/"

    response = client.post("/i18n/setlang/", {"language": "ar", "next": here})

    assert response.status_code == 302
    assert response["Location"] == here
    assert 'dir="rtl"' in client.get(here).content.decode()


@pytest.mark.django_db
def test_enum_labels_and_country_names_are_translated(world: World) -> None:
    client = world.client("screener")
    client.cookies["django_language"] = "fr"

    content = client.get(f"/persons/{world.person.pk}/").content.decode()

    assert "Femme" in content
    assert "Parent isolé ou aidant seul" in content
    assert "Ukrainien" in content  # the language, from pycountry's own catalogue
    assert "Enregistrement individuel" in content


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_with_its_placeholders(language: str) -> None:
    catalogue = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / "django.po"))

    entries = [e for e in catalogue if not e.obsolete]
    untranslated = [e.msgid for e in entries if not (e.msgstr or all(e.msgstr_plural.values()))]
    fuzzy = [e.msgid for e in entries if "fuzzy" in e.flags]
    broken = [
        e.msgid
        for e in entries
        if e.msgstr and sorted(PLACEHOLDER.findall(e.msgid)) != sorted(PLACEHOLDER.findall(e.msgstr))
    ]

    assert len(entries) > 300
    assert untranslated == []
    assert fuzzy == []
    assert broken == []
    assert catalogue.metadata["Language"] == language


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_committed_mo_file_matches_the_po_file(language: str, tmp_path: Path) -> None:
    folder = LOCALE / language / "LC_MESSAGES"
    compiled = tmp_path / "django.mo"
    polib.pofile(str(folder / "django.po")).save_as_mofile(str(compiled))

    def messages(path: Path) -> dict[tuple[str, str], str]:
        return {(e.msgctxt or "", e.msgid): e.msgstr for e in polib.mofile(str(path)) if e.msgid}

    assert messages(folder / "django.mo") == messages(compiled)


def _web_files() -> list[Path]:
    suffixes = {".html", ".css", ".js", ".svg"}
    return sorted(p for p in WEB.rglob("*") if p.suffix in suffixes)


def test_no_page_asset_comes_from_the_internet() -> None:
    offenders = [
        str(p.relative_to(WEB))
        for p in _web_files()
        if re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", p.read_text())
    ]

    assert len(_web_files()) > 15
    assert offenders == []


def test_templates_load_only_the_apps_own_static_files() -> None:
    for template in (p for p in _web_files() if p.suffix == ".html"):
        text = template.read_text()
        for attribute in re.findall(r'(?:src|href)="([^"{]+)"', text):
            assert attribute.startswith(("/", "#", "data:", "?")), f"{template.name}: {attribute}"


def test_the_stylesheet_mirrors_for_right_to_left() -> None:
    css = (WEB / "static" / "web" / "hbm.css").read_text()

    physical = re.findall(
        r"(?:margin|padding|border)-(?:left|right)\b|(?<![-\w])(?:left|right)\s*:|text-align:\s*(?:left|right)|float:\s*(?:left|right)",
        css,
    )

    assert physical == []
    assert "@media print" in css
    assert "font-face" not in css  # system fonts only: nothing to download


@pytest.mark.django_db
def test_rendered_pages_reference_only_local_assets(world: World) -> None:
    client = world.client("officer")
    for url in ("/", f"/crossing-points/{world.point.pk}/", f"/groups/{world.group.pk}/card"):
        content = client.get(url).content.decode()
        assert re.findall(r'(?:src|href)="(https?:)?//', content) == []
        assert '<link rel="stylesheet" href="/static/web/hbm.css">' in content
        assert '<script src="/static/web/hbm.js" defer></script>' in content


def test_every_post_form_carries_the_csrf_token() -> None:
    for template in (p for p in _web_files() if p.suffix == ".html"):
        forms = re.findall(r"<form\b[^>]*>.*?</form>", template.read_text(), flags=re.S)
        for form in forms:
            if 'method="post"' in form:
                assert "{% csrf_token %}" in form, template.name


def test_makemessages_finds_the_strings_marked_lazy(tmp_path: Path) -> None:
    """A module marked with the ``_lazy`` alias, extracted by the project's ``makemessages``."""
    from django.core.management import get_commands, load_command_class

    command = load_command_class(get_commands()["makemessages"], "makemessages")
    source = tmp_path / "labels.py"
    source.write_text(
        'from django.utils.translation import gettext_lazy as _lazy\nLABEL = _lazy("Only lazily")\n'
    )
    extracted = tmp_path / "out.pot"

    subprocess.run(
        ["xgettext", *command.xgettext_options, "--language=Python", "-o", str(extracted), str(source)],
        check=True,
    )

    assert 'msgid "Only lazily"' in extracted.read_text()
