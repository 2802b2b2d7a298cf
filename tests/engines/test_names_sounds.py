"""Sound keys: the keys a "sounds like" person search stores for a name and asks of a query."""

from __future__ import annotations

import pytest

from hbm.engines.names import CONSONANT_MARK, articles_joined, sound_keys, sound_keys_version, sound_query


@pytest.mark.parametrize(
    ("written", "typed"),
    [
        ("Mohamed", "Muhammad"),
        ("Youssef", "Yusuf"),
        ("Alexander", "Oleksandr"),
        ("Abdul Rahman", "Abd al-Rahman"),  # particles and spacing
        ("Oleksandr", "\u041e\u043b\u0435\u043a\u0441\u0430\u043d\u0434\u0440"),  # Олександр: Cyrillic
        ("Mohamed", "\u0645\u062d\u0645\u062f"),  # محمد: Arabic script, compared on consonants
        ("Karimi", "\u06a9\u0631\u06cc\u0645\u06cc"),  # کریمی: Persian keyboard
        ("Tesfaye", "Tesfay"),
        ("Al-Ahmad", "alahmed"),  # an article written apart, typed joined and respelt
        ("Hasan El Sayed", "Elsayed"),
        ("\u0627\u0644\u0623\u062d\u0645\u062f", "Alahmad"),  # الأحمد
    ],
)
def test_a_name_spelt_another_way_has_the_keys_asked_for(written: str, typed: str) -> None:
    assert set(sound_query(typed)) <= sound_keys([written])


@pytest.mark.parametrize(
    ("written", "typed"),
    [
        ("Mahmoud", "Muhammad"),  # one consonant skeleton, another name: the first vowel tells
        ("Hussein", "Hassan"),
        ("Muhammadi", "Muhammad"),  # a key is a whole name, not the start of one
        ("Kovalenko", "Koval"),
        ("Abd al Rahman", "alrahman"),  # after a prefix the article is part of the name already
    ],
)
def test_another_name_does_not_have_them(written: str, typed: str) -> None:
    assert not set(sound_query(typed)) <= sound_keys([written])


def test_a_query_has_one_key_per_part_each_once_in_the_order_typed() -> None:
    assert sound_query("Yusuf  Muhammad mohamed") == ("YUSF", "MUHMD")


def test_a_query_in_arabic_script_asks_for_consonant_keys() -> None:
    assert sound_query("\u0645\u062d\u0645\u062f \u0639\u0644\u064a") == (
        f"{CONSONANT_MARK}MHMD",
        f"{CONSONANT_MARK}L",
    )


@pytest.mark.parametrize("typed", ["", "  ", "--", "123"])
def test_a_query_without_a_name_has_no_key(typed: str) -> None:
    assert sound_query(typed) == ()


def test_the_keys_of_a_name_are_of_every_part_of_every_form() -> None:
    keys = sound_keys(["Mohammad Ali", "\u06a9\u0631\u06cc\u0645\u06cc"])

    assert {"MUHMD", f"{CONSONANT_MARK}MHMD", f"{CONSONANT_MARK}KRM"} <= keys
    assert all(" " not in key for key in keys)


def test_the_version_of_the_keys_is_stable_and_short() -> None:
    assert sound_keys_version() == sound_keys_version()
    assert len(sound_keys_version()) == 16


def test_an_article_written_apart_is_joined_to_the_word_after_it() -> None:
    assert articles_joined("Al-Ahmad") == ("ALAHMAD",)
    assert articles_joined("Mohammed Al Hassan") == ("ALHASSAN",)
    assert articles_joined("Abd al Rahman") == ()
    assert articles_joined("Alexander") == ()
