"""One typed table of the environment variables HBM reads.

Every setting that differs between a field laptop, a national server and a test run comes from
here; nothing else in the code reads ``os.environ``.
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Env:
    """The environment of one HBM process.

    ``data_dir`` holds the SQLite database, generated secrets and uploaded files when no other place
    is configured. ``database_url`` overrides SQLite (``postgres://user@host:5432/name``).
    ``encryption_keys`` are Fernet keys, newest first; older keys only decrypt (key rotation).
    ``field_offline_days``: how long the field app works offline after its last online sign-in.
    ``field_pin_iterations``: PBKDF2-SHA256 rounds turning an officer's PIN into the field app's
    storage key (OWASP 2023: 600,000).
    ``dedup_thresholds``: match probabilities above which a pair is the same person / goes to
    adjudication, for adults and (stricter to merge, quicker to ask) for children.
    ``child_link_confirmation``: a link of a child's records takes effect only once a second
    adjudicator confirms it (the checks' own link: once one adjudicator does) (decision 0031).
    ``token_cache_seconds``: how long a worker trusts a device token it verified without looking
    it up again: the longest a revoked token keeps working (decision 0013); 0 looks up every time.
    ``dask_scheduler``: the address of an existing Dask scheduler (``tcp://host:8786``) that runs
    the roster comparisons asked for on the planner's pages; ``None`` starts a local cluster for
    each (decision 0019).
    """

    data_dir: Path
    database_url: str | None
    secret_key: str
    encryption_keys: tuple[str, ...]
    debug: bool
    demo_mode: bool
    allowed_hosts: tuple[str, ...]
    login_failure_limit: int
    login_cooloff_minutes: int
    max_upload_bytes: int
    secure_cookies: bool
    field_offline_days: int
    field_pin_iterations: int
    dedup_thresholds: tuple[float, float, float, float]
    child_link_confirmation: bool
    token_cache_seconds: float
    dask_scheduler: str | None = None


def _flag(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return raw.strip().lower() in {"1", "true", "yes", "on"}


def _secret_file(data_dir: Path, name: str, make: str) -> str:
    """Read a generated secret from the data folder, creating it on first start.

    A field laptop has no secret store; the secret lives beside the database so that a restart
    keeps sessions and encrypted fields readable. National deployments set the variable instead.
    """
    path = data_dir / name
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        path.write_text(make)
        path.chmod(0o600)
    return path.read_text().strip()


def _new_fernet_key() -> str:
    from cryptography.fernet import Fernet

    return Fernet.generate_key().decode()


def load_env() -> Env:
    """Read the environment once, at settings import."""
    data_dir = Path(os.environ.get("HBM_DATA_DIR", Path.cwd() / "var")).resolve()
    secret_key = os.environ.get("HBM_SECRET_KEY") or _secret_file(
        data_dir, "secret_key", secrets.token_urlsafe(50)
    )
    keys_raw = os.environ.get("HBM_ENCRYPTION_KEYS") or _secret_file(
        data_dir, "encryption_keys", _new_fernet_key()
    )
    return Env(
        data_dir=data_dir,
        database_url=os.environ.get("DATABASE_URL") or None,
        secret_key=secret_key,
        encryption_keys=tuple(k.strip() for k in keys_raw.split(",") if k.strip()),
        debug=_flag("HBM_DEBUG", False),
        demo_mode=_flag("HBM_DEMO", False),
        allowed_hosts=tuple(
            h.strip() for h in os.environ.get("HBM_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")
        ),
        login_failure_limit=int(os.environ.get("HBM_LOGIN_FAILURE_LIMIT", "5")),
        login_cooloff_minutes=int(os.environ.get("HBM_LOGIN_COOLOFF_MINUTES", "15")),
        max_upload_bytes=int(os.environ.get("HBM_MAX_UPLOAD_BYTES", str(5 * 1024 * 1024))),
        secure_cookies=_flag("HBM_SECURE_COOKIES", False),
        field_offline_days=int(os.environ.get("HBM_FIELD_OFFLINE_DAYS", "7")),
        field_pin_iterations=int(os.environ.get("HBM_FIELD_PIN_ITERATIONS", "600000")),
        dedup_thresholds=_thresholds(os.environ.get("HBM_DEDUP_THRESHOLDS", "0.995,0.5,0.9995,0.2")),
        child_link_confirmation=_flag("HBM_CHILD_LINK_CONFIRMATION", True),
        token_cache_seconds=_seconds("HBM_TOKEN_CACHE_SECONDS", "5"),
        dask_scheduler=os.environ.get("HBM_DASK_SCHEDULER") or None,
    )


def _thresholds(raw: str) -> tuple[float, float, float, float]:
    """``same,adjudicate,child_same,child_adjudicate`` match probabilities."""
    values = tuple(float(part) for part in raw.split(","))
    if len(values) != 4 or not all(0.0 < v < 1.0 for v in values):
        raise ValueError("HBM_DEDUP_THRESHOLDS: give four probabilities between 0 and 1, comma-separated")
    return values


def _seconds(name: str, default: str) -> float:
    value = float(os.environ.get(name, default))
    if not 0.0 <= value <= 60.0:
        raise ValueError(f"{name}: give a number of seconds from 0 to 60")
    return value
