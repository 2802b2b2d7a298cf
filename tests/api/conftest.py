"""API test helpers: every response checked against the committed OpenAPI document."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

OPENAPI_PATH = Path(__file__).resolve().parents[2] / "openapi.json"


@lru_cache(maxsize=1)
def committed_openapi() -> OpenAPI:
    spec = json.loads(OPENAPI_PATH.read_text())
    spec["servers"] = [{"url": "http://testserver"}]
    return OpenAPI.from_dict(spec)


class _RequestForResponseCheck(DjangoOpenAPIRequest):
    """Only the response is checked: the request's body (a consumed multipart stream) is not read."""

    @property
    def body(self) -> bytes:
        return b""


def assert_matches_openapi(response: Any) -> None:
    """The response (status, content type, body) is one the committed document declares."""
    if response.get("Content-Type", "").startswith("application/json"):
        committed_openapi().validate_response(
            _RequestForResponseCheck(response.wsgi_request), DjangoOpenAPIResponse(response)
        )


@pytest.fixture
def openapi_check() -> Any:
    return assert_matches_openapi
