"""The committed OpenAPI document is the code's document, and it is a valid OpenAPI 3 document."""

from __future__ import annotations

import pytest

from hbm.cli import openapi_document
from tests.api.conftest import OPENAPI_PATH, committed_openapi


def test_the_committed_document_matches_the_code() -> None:
    assert OPENAPI_PATH.read_text() == openapi_document(), "run `hbm openapi --write openapi.json`"


def test_the_committed_document_is_valid_openapi() -> None:
    committed_openapi().check_spec()


@pytest.mark.django_db
def test_the_api_documentation_page_is_served_without_internet(client: object) -> None:
    response = client.get("/api/docs")  # type: ignore[attr-defined]
    assert response.status_code == 200
    html = response.content.decode()
    assert "swagger" in html.lower()
    assert "cdn." not in html
    assert "unpkg" not in html
    assert "jsdelivr" not in html
