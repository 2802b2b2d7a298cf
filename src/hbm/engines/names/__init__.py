"""Names engine: normalise, transliterate, split, key and compare personal names.

Pure Python (RapidFuzz for string similarity, anyascii as the transliteration fallback); no Django.
People arriving without documents give names that are written in Arabic, Persian, Pashto,
Cyrillic or Ge'ez script and spelt in Latin letters many ways; this package turns every spelling
into forms that can be compared:

* :func:`normalise` — NFKC, upper case, no Latin diacritics, one hyphen/apostrophe/space; same script.
* :func:`script_of` — which :class:`Script` a text is written in; :func:`script_form` — a name in
  its own script with the letters writers interchange folded, for comparing originals;
  :func:`script_letters_fold` — only that letter fold, for callers with a normalisation of their own
  (:func:`script_letters_table`: the same, letter by letter, for a fold made outside Python).
* :func:`to_latin` — ICAO Doc 9303 Part 3 §6 transliteration to A–Z (Cyrillic, Arabic script),
  BGN/PCGN for Ge'ez, anyascii otherwise.
* :func:`name_parts` — the words of a name with Arabic and European particles handled;
  :func:`articles_joined` — its articles written apart, joined as other writers join them.
* :func:`canonical` — the variant-table form of a part (``data/variants.csv``, sources cited).
* :func:`phonetic_key` / :func:`consonant_key` — keys equal for spelling variants.
* :func:`name_similarity` — order-insensitive similarity of two full names in [0, 1].
* :func:`name_keys` → :class:`NameKeys` — everything a matcher needs about one person's name.
* :func:`sound_keys` / :func:`sound_query` — the keys a "sounds like" person search stores and asks
  for; :func:`sound_keys_version` — when stored keys must be made again.
* :func:`place_name` — the gazetteer's name of a place of birth written any known way (Lvov,
  Lemberg, Львів → ``LVIV``; ``data/places.csv``, sources cited).

Data files (``data/``): ``cyrillic_icao.csv`` and ``arabic_icao.csv`` (ICAO Doc 9303-3 §6
Tables B and C), ``ethiopic_bgn.csv`` (BGN/PCGN 1967), ``variants.csv`` (variant sets, each with
its source), ``places.csv`` (places of birth and the names each is known by, with sources).
"""

from hbm.engines.names._compare import NameKeys, name_keys, name_similarity, phonetic_key
from hbm.engines.names._parts import articles_joined, name_parts
from hbm.engines.names._phonetic import consonant_key
from hbm.engines.names._places import Place, gazetteer, place_name
from hbm.engines.names._sounds import CONSONANT_MARK, SOUND_RULES, sound_keys, sound_keys_version, sound_query
from hbm.engines.names._text import (
    Script,
    normalise,
    script_form,
    script_letters_fold,
    script_letters_table,
    script_of,
)
from hbm.engines.names._translit import to_latin
from hbm.engines.names._variants import VariantSet, canonical, variant_sets

__all__ = [
    "CONSONANT_MARK",
    "SOUND_RULES",
    "NameKeys",
    "Place",
    "Script",
    "VariantSet",
    "articles_joined",
    "canonical",
    "consonant_key",
    "gazetteer",
    "name_keys",
    "name_parts",
    "name_similarity",
    "normalise",
    "phonetic_key",
    "place_name",
    "script_form",
    "script_letters_fold",
    "script_letters_table",
    "script_of",
    "sound_keys",
    "sound_keys_version",
    "sound_query",
    "to_latin",
    "variant_sets",
]
