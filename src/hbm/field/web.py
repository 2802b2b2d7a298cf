"""Pages of the offline field app: the shell, its service worker, its manifest, its translations.

Nothing here reads or writes personal data: the shell is the same for every officer, so the
service worker can keep it and the app loads with no network. Personal data only comes through
the JSON API (hbm.field.api) once the device is enrolled.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import translation
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django.views.i18n import JSONCatalog

from hbm import __version__

STATIC_DIR = Path(__file__).resolve().parent / "static" / "field"
TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "field"
LOCALE_DIR = Path(settings.LOCALE_PATHS[0])
APP_LANGUAGES = tuple(code for code, _name in settings.LANGUAGES)
SCOPE = "/field/"
# The officers' pages' style sheet, shared so that the field app looks like the rest of HBM.
SHARED_STATIC = ("web/hbm.css",)


def _static_names() -> list[str]:
    """Every static file the app uses (modules, styles, icons), by static name, in a stable order."""
    files = (path for path in STATIC_DIR.rglob("*") if path.is_file())
    own = sorted(f"field/{path.relative_to(STATIC_DIR).as_posix()}" for path in files)
    return [*SHARED_STATIC, *own]


def _static_path(name: str) -> Path:
    found = finders.find(name)
    if not isinstance(found, str):
        raise FileNotFoundError(name)
    return Path(found)


def _catalogue_urls() -> list[str]:
    return [reverse("field:catalogue", args=[code]) for code in APP_LANGUAGES]


def cache_version() -> str:
    """A digest of everything the service worker keeps: a change to any file makes a new cache
    and the old one is dropped, so a device never mixes two versions of the app."""
    digest = hashlib.sha256(__version__.encode())
    translations = [LOCALE_DIR / code / "LC_MESSAGES" / "djangojs.mo" for code in APP_LANGUAGES]
    statics = [_static_path(name) for name in _static_names()]
    for path in [*statics, *sorted(TEMPLATE_DIR.iterdir()), *translations]:
        if path.is_file():
            digest.update(path.name.encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _app_config() -> dict[str, Any]:
    """What the app's modules read from the shell: where things are. The same for everyone."""
    return {
        "version": __version__,
        "api": "/api/field",
        "serviceWorker": reverse("field:service_worker"),
        "scope": SCOPE,
        "languages": [
            {"code": code, "name": name, "catalogue": reverse("field:catalogue", args=[code])}
            for code, name in settings.LANGUAGES
        ],
        "bidi": list(settings.LANGUAGES_BIDI),
    }


@require_GET
def shell(request: HttpRequest) -> HttpResponse:
    """The one page of the app; every screen is drawn by its modules, in the officer's language."""
    return render(request, "field/shell.html", {"config": _app_config()})


@require_GET
@never_cache
def service_worker(request: HttpRequest) -> HttpResponse:
    """The service worker, with the list of what it keeps offline and the version of that list.

    Served from /field/ (not /static/) so that its scope covers the app, and never cached, so a
    device picks up a new version as soon as it is online.
    """
    precache = [SCOPE, reverse("field:manifest"), *_catalogue_urls(), *map(static, _static_names())]
    body = render(
        request,
        "field/sw.js",
        {
            "precache": json.dumps(precache),
            "version": json.dumps(cache_version()),
            "scope": json.dumps(SCOPE),
        },
        content_type="text/javascript; charset=utf-8",
    )
    body["Service-Worker-Allowed"] = SCOPE
    return body


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    """The web app manifest: installable, opens full screen on the app's shell."""
    icons = [
        {"src": static(f"field/icons/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png"}
        for size in (192, 512)
    ]
    body = {
        "name": "HBM field",
        "short_name": "HBM field",
        "id": SCOPE,
        "start_url": SCOPE,
        "scope": SCOPE,
        "display": "standalone",
        "orientation": "any",
        "background_color": "#f3f5f7",
        "theme_color": "#0b2e4f",
        "icons": [*icons, {**icons[-1], "purpose": "maskable"}],
    }
    return JsonResponse(body, content_type="application/manifest+json")


@require_GET
def catalogue(request: HttpRequest, language: str) -> HttpResponseBase:
    """The app's translations in ``language`` (Django's JSON catalogue of the djangojs domain)."""
    if language not in APP_LANGUAGES:
        raise Http404
    with translation.override(language):
        return JSONCatalog.as_view(domain="djangojs")(request)
