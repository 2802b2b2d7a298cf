"""Encryption at rest for sensitive fields (photos, protection flags, later health data).

Fernet (AES-128-CBC + HMAC-SHA256) from ``cryptography``; MultiFernet so keys can be rotated: the
first key encrypts, every key decrypts. The database only ever holds ciphertext of these fields.
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.db import models


@lru_cache(maxsize=1)
def _fernet() -> MultiFernet:
    keys = settings.HBM_ENCRYPTION_KEYS
    if not keys:
        raise RuntimeError("HBM_ENCRYPTION_KEYS is empty: sensitive fields cannot be stored")
    return MultiFernet([Fernet(k.encode()) for k in keys])


def encrypt_bytes(data: bytes) -> bytes:
    return _fernet().encrypt(data)


def decrypt_bytes(token: bytes) -> bytes:
    return _fernet().decrypt(token)


class EncryptedBinaryField(models.BinaryField):  # type: ignore[type-arg]
    """Bytes stored encrypted; ``None`` stays ``NULL``."""

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        return super().get_prep_value(encrypt_bytes(bytes(value)))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> bytes | None:
        if value is None:
            return None
        return decrypt_bytes(bytes(value))


class EncryptedJSONField(models.BinaryField):  # type: ignore[type-arg]
    """A JSON value stored encrypted. Not searchable by design: filter on it in Python."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("editable", True)
        super().__init__(*args, **kwargs)

    def get_default(self) -> Any:
        # BinaryField turns an empty default into b"", which is not a JSON value: keep the plain one.
        return models.Field.get_default(self)

    def get_prep_value(self, value: Any) -> Any:
        if value is None:
            return None
        plain = json.dumps(value, sort_keys=True, ensure_ascii=False).encode()
        return super().get_prep_value(encrypt_bytes(plain))

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return None
        return json.loads(decrypt_bytes(bytes(value)))

    def to_python(self, value: Any) -> Any:
        return value
