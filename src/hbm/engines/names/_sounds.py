"""Sound keys: what a "sounds like" person search compares, where a written form would miss.

A person's names are kept as written; a search by sound compares the keys of their parts instead:
every spelling in one variant set, or made equal by the key's rules, has one key (MOHAMMED,
MUHAMMAD, MOHAMED, محمد → ``MUHMD``; OLEKSANDR, ALEXANDER, Олександр → ``ALKSNDR``). Two kinds of
key are kept for each part of a name, in Latin letters or in its own script:

* its :func:`~hbm.engines.names.phonetic_key` (vowels kept where writers agree on them);
* its :func:`~hbm.engines.names.consonant_key` marked with :data:`CONSONANT_MARK` — the key a name
  typed in Arabic script is compared on, since that script does not write short vowels
  (کریمی → ``~KRM``, like KARIMI and KAREEMI).

A query's parts are keyed by the kind that fits the script they were typed in (:func:`sound_query`):
a person matches when every key of the query is among theirs, in any order.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from typing import Final

from hbm.engines.names._compare import phonetic_key
from hbm.engines.names._parts import articles_joined, name_parts
from hbm.engines.names._phonetic import consonant_key
from hbm.engines.names._text import Script, script_of

__all__ = ["CONSONANT_MARK", "SOUND_RULES", "sound_keys", "sound_keys_version", "sound_query"]

# Marks a consonant key among the keys of a name, so that it never equals a phonetic key.
CONSONANT_MARK: Final = "~"
# Raise by one whenever a rule that makes a key changes (in _phonetic, _parts, _translit, _variants):
# keys stored under another version are recomputed (see sound_keys_version).
SOUND_RULES: Final = 2
# The data files keys are read from: a changed table changes keys as a changed rule does.
_KEY_DATA: Final = ("variants.csv", "arabic_icao.csv", "cyrillic_icao.csv", "ethiopic_bgn.csv")


def _part_keys(part: str) -> tuple[str, ...]:
    keys = (phonetic_key(part), CONSONANT_MARK + consonant_key(part))
    return tuple("".join(key.split()) for key in keys if key.strip(CONSONANT_MARK))


def sound_keys(names: Iterable[str]) -> frozenset[str]:
    """The keys of every part of ``names`` (Latin or in their own script): phonetic and, marked,
    consonant keys; and of each article written apart joined to the word after it
    (:func:`~hbm.engines.names.articles_joined`: 'Al-Ahmad' is keyed as AHMAD and as ALAHMAD, so
    'alahmed' typed joined finds it). Empty for names without a letter."""
    return frozenset(
        key
        for name in names
        for part in (*name_parts(name), *articles_joined(name))
        for key in _part_keys(part)
    )


def sound_query(text: str) -> tuple[str, ...]:
    """The keys a "sounds like" search for ``text`` asks a person to have, one per part of the name
    typed, in the order typed, each once: the consonant key (marked) of a name typed in Arabic
    script, the phonetic key otherwise. ``()`` when ``text`` has no part with a key."""
    arabic = script_of(text) is Script.ARABIC
    keys = (
        CONSONANT_MARK + consonant_key(part) if arabic else phonetic_key(part) for part in name_parts(text)
    )
    return tuple(dict.fromkeys("".join(key.split()) for key in keys if key.strip(CONSONANT_MARK)))


@lru_cache(maxsize=1)
def sound_keys_version() -> str:
    """A digest of :data:`SOUND_RULES` and of the tables keys are made from: keys stored with
    another version may differ from those made now, and must be made again."""
    digest = hashlib.blake2b(str(SOUND_RULES).encode(), digest_size=8)
    data = resources.files("hbm.engines.names").joinpath("data")
    for name in _KEY_DATA:
        digest.update(data.joinpath(name).read_bytes())
    return digest.hexdigest()
