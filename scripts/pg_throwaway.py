"""Run a command against PostgreSQL: the server on 127.0.0.1:5432, or a throwaway one.

Usage::

    .venv/bin/python scripts/pg_throwaway.py [--database NAME] -- COMMAND [ARG ...]

The command runs with ``DATABASE_URL`` pointing at database NAME (default ``hbm``; it need not
exist: pytest-django creates ``test_NAME`` through the ``postgres`` database). When something on
127.0.0.1:5432 accepts user ``postgres`` without a password, that server is used. Otherwise a
throwaway server is made with ``initdb`` in a temporary folder, started on a free port, and stopped
and removed when the command ends — also when it fails or is interrupted. ``initdb`` refuses to run
as root, so as root the server runs as the ``postgres`` user (or a system user ``hbmpg`` created
for it), and Debian's ``postgresql`` package is installed when no ``initdb`` can be found.

``HBM_TEST_FORCE_THROWAWAY_PG=1`` skips the probe of port 5432 (to test the throwaway path on a
machine that has a server). The exit status is the command's.

Needs psycopg (it runs with the project's virtualenv Python).
"""

# This script exists to run fixed system tools (initdb, pg_ctl, runuser, apt-get) found on PATH.
# ruff: noqa: S603, S607

from __future__ import annotations

import argparse
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

DEFAULT_PORT = 5432
DEFAULT_DATABASE = "hbm"
SUPERUSER = "postgres"
FALLBACK_SYSTEM_USER = "hbmpg"
DEBIAN_BIN_GLOB = "/usr/lib/postgresql/*/bin"
FORCE_THROWAWAY_VARIABLE = "HBM_TEST_FORCE_THROWAWAY_PG"

# A throwaway server holds nothing worth keeping: trade durability for test speed.
THROWAWAY_SETTINGS = ("fsync=off", "synchronous_commit=off", "full_page_writes=off")


@dataclass(frozen=True, slots=True)
class Server:
    """Where a PostgreSQL server listens and how the run found it (for the log and the summary)."""

    host: str
    port: int
    description: str


def database_url(server: Server, database: str) -> str:
    """The ``DATABASE_URL`` for `database` on `server`, as user postgres with no password."""
    return f"postgres://{SUPERUSER}@{server.host}:{server.port}/{database}"


def server_accepts(host: str, port: int, timeout_s: int = 3) -> bool:
    """True when user postgres can connect to the ``postgres`` database at host:port."""
    import psycopg

    try:
        with psycopg.connect(
            f"postgresql://{SUPERUSER}@{host}:{port}/postgres", connect_timeout=timeout_s
        ) as connection:
            connection.execute("SELECT 1")
    except psycopg.Error:
        return False
    return True


def is_forced_throwaway(environ: dict[str, str]) -> bool:
    """True when the environment asks to skip the server on 5432."""
    return environ.get(FORCE_THROWAWAY_VARIABLE, "").strip().lower() in {"1", "true", "yes", "on"}


def version_key(bin_dir: Path) -> tuple[int, ...]:
    """Sort key of a Debian ``/usr/lib/postgresql/<version>/bin`` folder: newest version last."""
    return tuple(int(part) for part in re.findall(r"\d+", bin_dir.parent.name)) or (0,)


def pg_bin_dir_choose(initdb_on_path: str | None, debian_bin_dirs: Sequence[Path]) -> Path | None:
    """The folder holding ``initdb`` and ``pg_ctl``: the one on PATH first, else the newest Debian
    version folder that has both; None when there is none."""
    if initdb_on_path:
        folder = Path(initdb_on_path).resolve().parent
        if (folder / "pg_ctl").exists():
            return folder
    for folder in sorted(debian_bin_dirs, key=version_key, reverse=True):
        if (folder / "initdb").exists() and (folder / "pg_ctl").exists():
            return folder
    return None


def pg_bin_dir_find() -> Path | None:
    """:func:`pg_bin_dir_choose` on this machine."""
    return pg_bin_dir_choose(
        shutil.which("initdb"), [Path(p) for p in sorted(Path("/").glob(DEBIAN_BIN_GLOB.lstrip("/")))]
    )


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port nobody listens on at `host` now (never 5432: the OS hands out ephemeral ports)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind((host, 0))
        port: int = probe.getsockname()[1]
    return port


def run_as_prefix(user: str | None) -> list[str]:
    """The argv prefix that runs a command as `user` (None: as ourselves)."""
    return ["runuser", "-u", user, "--"] if user else []


def initdb_command(bin_dir: Path, data_dir: Path) -> list[str]:
    """``initdb`` for a trust-authenticated cluster owned by superuser postgres."""
    return [
        str(bin_dir / "initdb"),
        "-D",
        str(data_dir),
        "-U",
        SUPERUSER,
        "--auth=trust",
        "--encoding=UTF8",
        "--no-locale",
        "--no-sync",
    ]


def start_command(bin_dir: Path, data_dir: Path, socket_dir: Path, port: int, log_file: Path) -> list[str]:
    """``pg_ctl start`` listening on 127.0.0.1:`port` only, its Unix socket in `socket_dir`."""
    options = [f"-p {port}", f"-k {socket_dir}", "-c listen_addresses=127.0.0.1"]
    options += [f"-c {setting}" for setting in THROWAWAY_SETTINGS]
    pg_ctl = str(bin_dir / "pg_ctl")
    return [pg_ctl, "-D", str(data_dir), "-l", str(log_file), "-o", " ".join(options), "-w", "start"]


def stop_command(bin_dir: Path, data_dir: Path) -> list[str]:
    """``pg_ctl stop`` without a checkpoint: the folder is deleted right after."""
    return [str(bin_dir / "pg_ctl"), "-D", str(data_dir), "-m", "immediate", "-w", "stop"]


def _say(message: str) -> None:
    # Whoever read our output may have gone (interrupted): the clean-up must still go on.
    with suppress(BrokenPipeError):
        print(f"pg_throwaway: {message}", flush=True)


def _apt_install_postgresql() -> None:
    _say("no initdb found: installing Debian's postgresql package")
    environ = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-q"], check=True, env=environ)
    subprocess.run(
        ["apt-get", "install", "-y", "-q", "--no-install-recommends", "postgresql"], check=True, env=environ
    )


def _system_user_ensure() -> str:
    """As root: the unprivileged user that owns the throwaway cluster."""
    for user in (SUPERUSER, FALLBACK_SYSTEM_USER):
        if subprocess.run(["id", "-u", user], capture_output=True, check=False).returncode == 0:
            return user
    _say(f"creating system user {FALLBACK_SYSTEM_USER} (initdb refuses to run as root)")
    subprocess.run(
        ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", FALLBACK_SYSTEM_USER],
        check=True,
    )
    return FALLBACK_SYSTEM_USER


@contextmanager
def throwaway_server() -> Iterator[Server]:
    """Start a PostgreSQL server in a temporary folder; stop it and delete the folder on exit."""
    bin_dir = pg_bin_dir_find()
    is_root = os.geteuid() == 0
    if bin_dir is None and is_root:
        _apt_install_postgresql()
        bin_dir = pg_bin_dir_find()
    if bin_dir is None:
        raise SystemExit(
            "pg_throwaway: no PostgreSQL server on 127.0.0.1:5432 and no initdb/pg_ctl found; "
            "install PostgreSQL (Debian: sudo apt-get install postgresql) or start a server on 5432"
        )
    user = _system_user_ensure() if is_root else None
    prefix = run_as_prefix(user)
    root = Path(tempfile.mkdtemp(prefix="hbm-pg-"))
    data_dir, log_file = root / "data", root / "server.log"
    port = free_port()
    started = False
    try:
        if user:
            shutil.chown(root, user=user)
        # cwd=root: the server's user may not be allowed into the caller's working directory.
        subprocess.run(
            prefix + initdb_command(bin_dir, data_dir), check=True, cwd=root, stdout=subprocess.DEVNULL
        )
        result = subprocess.run(
            prefix + start_command(bin_dir, data_dir, root, port, log_file), cwd=root, check=False
        )
        started = True  # even a failed `pg_ctl -w start` may leave a postmaster behind
        if result.returncode != 0:
            sys.stderr.write(log_file.read_text() if log_file.exists() else "(no server log)\n")
            raise SystemExit(
                f"pg_throwaway: the throwaway server did not start (pg_ctl exit {result.returncode})"
            )
        owner = f" as {user}" if user else ""
        _say(f"started a throwaway server ({bin_dir.parent.name}) on 127.0.0.1:{port}{owner} in {root}")
        yield Server("127.0.0.1", port, f"throwaway server on 127.0.0.1:{port}")
    finally:
        if started:
            subprocess.run(
                prefix + stop_command(bin_dir, data_dir), cwd=root, check=False, stdout=subprocess.DEVNULL
            )
        shutil.rmtree(root, ignore_errors=True)
        _say(f"stopped the throwaway server and removed {root}")


@contextmanager
def postgresql_server(environ: dict[str, str]) -> Iterator[Server]:
    """The server on 127.0.0.1:5432 when it accepts user postgres, else a throwaway one."""
    if is_forced_throwaway(environ):
        _say(f"{FORCE_THROWAWAY_VARIABLE} is set: not probing 127.0.0.1:{DEFAULT_PORT}")
    elif server_accepts("127.0.0.1", DEFAULT_PORT):
        _say(f"using the server on 127.0.0.1:{DEFAULT_PORT}")
        yield Server("127.0.0.1", DEFAULT_PORT, f"server on 127.0.0.1:{DEFAULT_PORT}")
        return
    else:
        _say(f"nothing on 127.0.0.1:{DEFAULT_PORT} accepts user postgres: starting a throwaway server")
    with throwaway_server() as server:
        yield server


def _raise_on_signal(signum: int, frame: FrameType | None) -> None:
    # Turn SIGTERM/SIGHUP into an exception so that the `finally` blocks stop and remove the server
    # (SIGINT already arrives as KeyboardInterrupt).
    raise SystemExit(128 + signum)


def command_run(command: Sequence[str], environ: dict[str, str]) -> int:
    """Run `command` and return its exit status; on our own exit (signal), end it first."""
    process = subprocess.Popen(command, env=environ)
    try:
        return process.wait()
    except BaseException:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
        raise


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default=DEFAULT_DATABASE, help="the database name in DATABASE_URL")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- COMMAND [ARG ...]")
    args = parser.parse_args(argv)
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("give the command to run after --")
    for signum in (signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _raise_on_signal)
    try:
        with postgresql_server(dict(os.environ)) as server:
            environ = {**os.environ, "DATABASE_URL": database_url(server, args.database)}
            _say(f"DATABASE_URL={environ['DATABASE_URL']}")
            status = command_run(command, environ)
            _say(f"PostgreSQL run used the {server.description}")
            return status
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    raise SystemExit(main())
