from __future__ import annotations

from datetime import date

import pytest

from hbm.engines.mrz import build_td3

TODAY = date.today()


def passport_mrz(*, expiry: date | None = None, number: str = "AB1234567") -> str:
    return build_td3(
        issuing_state="UKR",
        surname="KOVALENKO",
        given_names="OLENA",
        document_number=number,
        nationality="UKR",
        date_of_birth=date(1990, 3, 14),
        sex="F",
        date_of_expiry=expiry or date(TODAY.year + 5, 6, 30),
    )


@pytest.fixture
def valid_mrz() -> str:
    return passport_mrz()
