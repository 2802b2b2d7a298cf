from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

from hbm.accounts.models import User
from hbm.crossings.models import CrossingPoint
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


@pytest.fixture
def outsider(make_user: Callable[..., User], other_crossing_point: CrossingPoint) -> User:
    """A border officer posted only at the other crossing point: must not see persons met at the first."""
    user = make_user("border_officer", username="outsider", posted=False)
    other_crossing_point.staff.add(user)
    return user
