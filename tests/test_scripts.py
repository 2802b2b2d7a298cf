"""The PostgreSQL harness of scripts/test (scripts/pg_throwaway.py): choices as pure functions, and
the throwaway server's whole life — started, used, stopped and removed, also when interrupted."""

from __future__ import annotations

import importlib.util
import os
import re
import signal
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parent.parent / "scripts" / "pg_throwaway.py"


def _load_harness() -> ModuleType:
    spec = importlib.util.spec_from_file_location("pg_throwaway", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["pg_throwaway"] = module
    spec.loader.exec_module(module)
    return module


pg = _load_harness()


def _bin_dir(root: Path, version: str, tools: tuple[str, ...] = ("initdb", "pg_ctl")) -> Path:
    folder = root / version / "bin"
    folder.mkdir(parents=True)
    for tool in tools:
        (folder / tool).write_text("")
    return folder


def test_initdb_on_path_wins_over_debian_folders(tmp_path: Path) -> None:
    on_path = _bin_dir(tmp_path / "local", "17")
    debian = _bin_dir(tmp_path / "lib", "16")

    chosen = pg.pg_bin_dir_choose(str(on_path / "initdb"), [debian])

    assert chosen == on_path


def test_the_newest_complete_debian_folder_is_chosen(tmp_path: Path) -> None:
    old = _bin_dir(tmp_path, "9.6")
    new = _bin_dir(tmp_path, "15")
    incomplete = _bin_dir(tmp_path, "16", tools=("initdb",))

    chosen = pg.pg_bin_dir_choose(None, [new, incomplete, old])

    assert chosen == new


def test_no_folder_is_chosen_when_there_is_no_initdb(tmp_path: Path) -> None:
    lonely_initdb = _bin_dir(tmp_path / "local", "17", tools=("initdb",))

    assert pg.pg_bin_dir_choose(str(lonely_initdb / "initdb"), []) is None


def test_version_key_orders_versions_numerically() -> None:
    folders = [Path(f"/usr/lib/postgresql/{v}/bin") for v in ("15", "9.6", "16", "10")]

    ordered = sorted(folders, key=pg.version_key)

    assert [f.parent.name for f in ordered] == ["9.6", "10", "15", "16"]


@pytest.mark.parametrize(
    ("value", "expected"), [("1", True), ("true", True), ("YES", True), ("0", False), ("", False)]
)
def test_the_force_variable_reads_as_a_flag(value: str, expected: bool) -> None:
    assert pg.is_forced_throwaway({"HBM_TEST_FORCE_THROWAWAY_PG": value}) is expected


def test_the_force_variable_is_off_when_absent() -> None:
    assert pg.is_forced_throwaway({}) is False


def test_database_url_names_user_postgres_without_password() -> None:
    server = pg.Server("127.0.0.1", 41234, "throwaway server on 127.0.0.1:41234")

    assert pg.database_url(server, "hbm") == "postgres://postgres@127.0.0.1:41234/hbm"


def test_the_throwaway_server_listens_on_loopback_at_its_port_only(tmp_path: Path) -> None:
    command = pg.start_command(Path("/pg/bin"), tmp_path / "data", tmp_path, 41234, tmp_path / "log")

    assert command[:2] == ["/pg/bin/pg_ctl", "-D"]
    assert command[-2:] == ["-w", "start"]
    options = command[command.index("-o") + 1]
    assert f"-p 41234 -k {tmp_path} -c listen_addresses=127.0.0.1" in options
    assert "fsync=off" in options


def test_initdb_makes_a_trusting_postgres_superuser(tmp_path: Path) -> None:
    command = pg.initdb_command(Path("/pg/bin"), tmp_path)

    assert command[:4] == ["/pg/bin/initdb", "-D", str(tmp_path), "-U"]
    assert command[4] == "postgres"
    assert "--auth=trust" in command


def test_commands_run_as_the_server_user_only_when_one_is_named() -> None:
    assert pg.run_as_prefix("postgres") == ["runuser", "-u", "postgres", "--"]
    assert pg.run_as_prefix(None) == []


def test_free_port_is_not_the_default_port_and_can_be_bound() -> None:
    import socket

    port = pg.free_port()

    assert port != 5432
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", port))


def _found(pattern: str, text: str) -> str:
    match = re.search(pattern, text, re.MULTILINE)
    assert match is not None, text
    return match.group(1)


def _harness(command: list[str]) -> subprocess.Popen[str]:
    environ = {**os.environ, "HBM_TEST_FORCE_THROWAWAY_PG": "1"}
    return subprocess.Popen(
        [sys.executable, str(SCRIPT), "--database", "hbm_probe", "--", *command],
        env=environ,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def test_a_throwaway_server_serves_the_command_then_disappears() -> None:
    # given a command that connects to DATABASE_URL's server and prints its port
    probe = (
        "import os, psycopg; url = os.environ['DATABASE_URL']; "
        "c = psycopg.connect(url.replace('postgres://', 'postgresql://').rsplit('/', 1)[0] + '/postgres'); "
        "print('port', c.execute('SHOW port').fetchone()[0]); raise SystemExit(3)"
    )

    # when the harness runs it against a forced throwaway server
    process = _harness([sys.executable, "-c", probe])
    output, _ = process.communicate(timeout=120)

    # then the command ran against it, its status came back, and the server and folder are gone
    assert process.returncode == 3, output
    folder = Path(_found(r"removed (\S+)", output))
    port = int(_found(r"^port (\d+)$", output))
    assert f"DATABASE_URL=postgres://postgres@127.0.0.1:{port}/hbm_probe" in output
    assert port != 5432
    assert not folder.exists()
    assert not pg.server_accepts("127.0.0.1", port, timeout_s=1)


def test_an_interrupted_run_still_stops_and_removes_the_server() -> None:
    # given a harness running a long command
    process = _harness([sys.executable, "-c", "import time; time.sleep(120)"])
    assert process.stdout is not None
    started = ""
    for line in process.stdout:
        started += line
        if "DATABASE_URL=" in line:
            break
    port = int(_found(r"127\.0\.0\.1:(\d+)/hbm_probe", started))
    assert pg.server_accepts("127.0.0.1", port, timeout_s=3)

    # when it is told to stop
    process.send_signal(signal.SIGTERM)
    rest, _ = process.communicate(timeout=60)

    # then it exits as terminated, having stopped the server and removed its folder
    assert process.returncode == 128 + signal.SIGTERM
    folder = Path(_found(r"removed (\S+)", rest))
    assert not folder.exists()
    assert not pg.server_accepts("127.0.0.1", port, timeout_s=1)
