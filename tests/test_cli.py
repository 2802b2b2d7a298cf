"""The `hbm` command's admin tasks and checks, run in-process."""

from __future__ import annotations

import io
from typing import Any

import pytest

from hbm.accounts.models import User
from hbm.audit.enums import AuditEvent
from hbm.audit.models import AuditEntry
from hbm.cli import main
from hbm.crossings.models import CrossingPoint

pytestmark = pytest.mark.django_db


def test_user_create_posts_the_user_and_audits(
    crossing_point: CrossingPoint, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("a-long-passphrase-42\n"))

    code = main(
        [
            "user",
            "create",
            "amina",
            "--role",
            "screening_officer",
            "--organisation",
            crossing_point.operator.name,
            "--post",
            "PAL",
            "--password-stdin",
        ]
    )

    assert code == 0
    assert "created amina (screening_officer) posted at PAL" in capsys.readouterr().out
    user = User.objects.get(username="amina")
    assert (user.role, user.organisation, user.check_password("a-long-passphrase-42")) == (
        "screening_officer",
        crossing_point.operator,
        True,
    )
    assert list(user.crossing_points.all()) == [crossing_point]
    entry = AuditEntry.objects.get(event=AuditEvent.USER_CREATED)
    assert entry.actor_label == "system"


@pytest.mark.parametrize(
    ("argv", "stdin", "message"),
    [
        (["--post", "NOPE"], "a-long-passphrase-42\n", "no crossing point with code NOPE"),
        (["--organisation", "Nobody"], "a-long-passphrase-42\n", "no organisation named 'Nobody'"),
        ([], "short\n", "password"),
    ],
)
def test_user_create_refusals_write_nothing(
    crossing_point: CrossingPoint,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    argv: list[str],
    stdin: str,
    message: str,
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))

    code = main(["user", "create", "amina", "--role", "border_officer", "--password-stdin", *argv])

    assert code != 0
    assert message in capsys.readouterr().err
    assert not User.objects.filter(username="amina").exists()
    assert not AuditEntry.objects.exists()


def test_openapi_check_detects_drift(tmp_path: Any, capsys: pytest.CaptureFixture[str]) -> None:
    stale = tmp_path / "openapi.json"
    stale.write_text("{}\n")
    assert main(["openapi", "--check", str(stale)]) == 1
    assert main(["openapi", "--write", str(stale)]) == 0
    assert main(["openapi", "--check", str(stale)]) == 0


def test_an_unknown_benchmark_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["bench", "nothing"]) == 2
    assert "unknown benchmark 'nothing'" in capsys.readouterr().err
