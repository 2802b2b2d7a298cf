"""The field app's pages: the shell, the service worker and what it keeps, the manifest, and the
translations of every string of the app's modules."""

from __future__ import annotations

import json
import re
from pathlib import Path

import polib
import pytest
from django.test import Client

from hbm.field.web import LOCALE_DIR, STATIC_DIR, cache_version

PRECACHE = re.compile(r"const PRECACHE = (\[.*?\]);", re.S)


def precached(client: Client) -> list[str]:
    body = client.get("/field/sw.js").content.decode()
    match = PRECACHE.search(body)
    assert match is not None
    urls: list[str] = json.loads(match.group(1))
    return urls


def test_the_shell_loads_the_app_from_this_server_only(client: Client) -> None:
    response = client.get("/field/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<script type="module" src="/static/field/app.js">' in html
    assert '<link rel="manifest" href="/field/manifest.webmanifest">' in html
    found = re.search(r'<script id="field-config" type="application/json">(.*?)</script>', html)
    assert found is not None
    config = json.loads(found.group(1))
    assert config["api"] == "/api/field"
    assert [language["code"] for language in config["languages"]] == ["en", "fr", "ar"]
    assert "http://" not in html
    assert "https://" not in html


def test_the_service_worker_keeps_every_file_of_the_app(client: Client) -> None:
    response = client.get("/field/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/field/"
    assert "no-cache" in response["Cache-Control"]
    assert f'const VERSION = "{cache_version()}";' in response.content.decode()
    urls = precached(client)
    modules = {
        f"/static/field/{p.relative_to(STATIC_DIR).as_posix()}" for p in STATIC_DIR.rglob("*") if p.is_file()
    }
    assert modules <= set(urls)
    assert {"/field/", "/field/manifest.webmanifest", "/field/i18n/ar.json", "/static/web/hbm.css"} <= set(
        urls
    )
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_every_module_the_app_imports_is_kept_offline(client: Client) -> None:
    urls = set(precached(client))
    for module in STATIC_DIR.rglob("*.js"):
        for imported in re.findall(r'from "(\.{1,2}/[^"]+)"', module.read_text()):
            target = (module.parent / imported).resolve().relative_to(STATIC_DIR)
            assert f"/static/field/{target.as_posix()}" in urls, (module.name, imported)


def test_the_manifest_makes_the_app_installable(client: Client) -> None:
    response = client.get("/field/manifest.webmanifest")

    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert (manifest["start_url"], manifest["scope"], manifest["display"]) == (
        "/field/",
        "/field/",
        "standalone",
    )
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200


@pytest.mark.parametrize(
    ("language", "expected"), [("fr", "Se connecter"), ("ar", "تسجيل الدخول"), ("en", "Sign in")]
)
def test_the_catalogue_of_each_language(client: Client, language: str, expected: str) -> None:
    catalogue = client.get(f"/field/i18n/{language}.json").json()

    assert catalogue["catalog"].get("Sign in", "Sign in") == expected


def test_an_unknown_language_is_not_found(client: Client) -> None:
    assert client.get("/field/i18n/xx.json").status_code == 404


@pytest.mark.parametrize("language", ["fr", "ar"])
def test_every_string_of_the_app_is_translated(language: str) -> None:
    catalogue = polib.pofile(str(Path(LOCALE_DIR) / language / "LC_MESSAGES" / "djangojs.po"))
    sources = "\n".join(path.read_text() for path in STATIC_DIR.rglob("*.js"))

    assert catalogue.percent_translated() == 100
    assert not [entry.msgid for entry in catalogue if entry.obsolete or "fuzzy" in entry.flags]
    for message in re.findall(r'\b_\("((?:[^"\\]|\\.)*)"\)', sources):
        assert catalogue.find(message) is not None, message
