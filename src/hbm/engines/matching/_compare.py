"""Comparison levels: what each field of two records says, as one small integer per field.

The fields and their levels (best first; ``null`` — a value missing on either side — always last
and always weighs 0):

========== ===================================================================================
given      exact (same canonical form) · key (same phonetic keys) · similar (Jaro–Winkler of the
surname    canonical forms or of the spellings as written, the better, ≥ 0.92) · part (first
           parts share a key and only one side has more: a father's or middle name dropped or
           added) · clash (first parts share a key, both
           have more and those differ: FATIMA AHMAD and FATIMA TAREQ, sisters' daughters, not one
           woman) · fuzzy (Jaro–Winkler ≥ 0.80) · different · null
order      straight · swapped (given and surname compared crosswise matched better)
birth_date exact · near (both exact: day and month swapped, one year apart on the same day, or
           ≤ 31 days apart) · year (both exact, same year: a day apart by more than a month) ·
           consistent (a year-only or estimated date in the same year: all that is known
           agrees) · tolerance (an estimated age within ``tolerance_years`` — twice that when
           both are estimates — or a year-only date one year off) · apart (both exact, different
           years: strong evidence of two people) · conflict (an estimate or year-only date beyond
           its tolerance, up to :data:`FAR_YEARS` apart) · far (a generation apart: parent and
           child) · null
sex, nationality  same · different · null
place_of_birth    exact · similar (same phonetic key or Jaro–Winkler ≥ 0.88) · different · null
family     same_group (registered together: two people) · shared_relatives (the people each
           travels with share two or more given names) · one_relative (one) · other_groups ·
           null (either travels alone). Given names are compared by phonetic key, hashed to one
           of 124 bits: two unrelated families share a bit by chance far less often than by name.
original   same (the names as written in their own script, :func:`~hbm.engines.names.script_form`,
           are equal) · similar (Jaro–Winkler ≥ 0.90) · confirms (same or similar, where the
           Latin names already agree at exact or key on both parts: it weighs 0, for it says
           again what they said) · different · null (missing on either side, or two scripts)
father     the parents' names, at the given names' levels (a grandfather's name added on one side is
mother     ``part``; further names that differ, ``clash``). A parent's name that is already one of
           the person's own names (an Eritrean's second name, a father's name added to one's own)
           is not compared again: it counts as missing on that side.
document   same (one number on both records, in one issuing state or a state unknown on a side) ·
           close (one kind of one state's document, numbers one typing slip apart: a digit
           changed, dropped, added or two swapped) · shared (the same number, but birth dates
           apart, in conflict or a generation apart, or the sexes differ: a child inscribed in a
           parent's passport, a document lent — it weighs 0) · different (one kind of one state's
           document, other numbers) · null (no document comparable)
========== ===================================================================================

Everything is vectorised over pairs: the sweep and the online check run this same code, so one
definition of every level holds for both. Jaro–Winkler (RapidFuzz ``cpdist``) runs once per
distinct pair of strings, not once per pair of records.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

import numpy as np
import numpy.typing as npt
from rapidfuzz.distance import OSA, JaroWinkler
from rapidfuzz.process import cpdist

from hbm.engines.matching import _features as f
from hbm.engines.matching._features import Featuriser, Vocabulary
from hbm.engines.matching._records import ESTIMATED_AGE_TOLERANCE_YEARS

__all__ = ["FIELDS", "FieldSpec", "compare", "document_levels", "pattern_codes", "place_levels"]

Int64Array = npt.NDArray[np.int64]
LevelArray = npt.NDArray[np.int8]

NAME_SIMILAR: Final = 0.92
NAME_FUZZY: Final = 0.80
PLACE_SIMILAR: Final = 0.88
NEAR_DAYS: Final = 31
FAR_YEARS: Final = 12


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """A compared field and its levels, best first; the last level is ``null``."""

    name: str
    levels: tuple[str, ...]

    @property
    def null(self) -> int:
        return len(self.levels) - 1


_NAME_LEVELS = ("exact", "key", "similar", "part", "clash", "fuzzy", "different", "null")
FIELDS: Final = (
    FieldSpec("given", _NAME_LEVELS),
    FieldSpec("surname", _NAME_LEVELS),
    FieldSpec("order", ("straight", "swapped", "null")),
    FieldSpec(
        "birth_date",
        (
            "exact",
            "slip",
            "near",
            "year",
            "consistent",
            "estimate",
            "tolerance",
            "close",
            "apart",
            "conflict",
            "far",
            "null",
        ),
    ),
    FieldSpec("sex", ("same", "different", "null")),
    FieldSpec("nationality", ("same", "different", "null")),
    FieldSpec("place_of_birth", ("exact", "similar", "different", "null")),
    FieldSpec(
        "family",
        (
            "same_group",
            "all_relatives",
            "shared_relatives",
            "some_relatives",
            "one_relative",
            "one_of_several",
            "other_groups",
            "null",
        ),
    ),
    FieldSpec("original", ("same", "similar", "confirms", "different", "null")),
    FieldSpec("father", _NAME_LEVELS),
    FieldSpec("mother", _NAME_LEVELS),
    FieldSpec("document", ("same", "close", "shared", "different", "null")),
)
(GIVEN, SURNAME, ORDER, BIRTH_DATE, SEX, NATIONALITY, PLACE, FAMILY, ORIGINAL, FATHER, MOTHER, DOCUMENT) = (
    range(len(FIELDS))
)
D_SAME, D_CLOSE, D_SHARED, D_DIFFERENT, D_NULL = range(5)
# Birth date levels that say two people: both exact in different years, an estimate beyond its
# tolerance, a generation apart.
_BIRTH_APART: Final = (8, 9, 10)
ORIGINAL_SIMILAR: Final = 0.90
_N_EXACT, _N_KEY, _N_SIMILAR, _N_PART, _N_CLASH, _N_FUZZY, _N_DIFFERENT, _N_NULL = range(len(_NAME_LEVELS))
_O_SAME, _O_SIMILAR, _O_CONFIRMS, _O_DIFFERENT, _O_NULL = range(5)


def _per_distinct_pair(
    vocabulary: Vocabulary, left: Int64Array, right: Int64Array, scorer: Callable[..., Any], **options: Any
) -> npt.NDArray[Any]:
    """``scorer`` (a RapidFuzz scorer, with ``options``) of the strings coded ``left`` and ``right``
    (both ≥ 0), computed once per distinct pair in RapidFuzz's C loop, on every core for large
    batches."""
    if len(left) == 0:
        return np.empty(0, dtype=options.get("dtype", np.float64))
    size = max(len(vocabulary), 1)
    unique, inverse = np.unique(left * size + right, return_inverse=True)
    strings = vocabulary.array()
    scores = cpdist(
        strings[unique // size].tolist(),
        strings[unique % size].tolist(),
        scorer=scorer,
        workers=-1 if len(unique) > 20_000 else 1,
        **options,
    )
    return np.asarray(scores)[inverse]


def _similarity(vocabulary: Vocabulary, left: Int64Array, right: Int64Array) -> npt.NDArray[np.float64]:
    """Jaro–Winkler similarity of the strings coded ``left`` and ``right`` (both ≥ 0)."""
    scores = _per_distinct_pair(vocabulary, left, right, JaroWinkler.normalized_similarity, dtype=np.float64)
    return np.asarray(scores, dtype=np.float64)


def _name_levels(
    featuriser: Featuriser,
    canon: tuple[Int64Array, Int64Array],
    keys: tuple[Int64Array, Int64Array],
    first: tuple[Int64Array, Int64Array],
    rest: tuple[Int64Array, Int64Array],
    written: tuple[Int64Array, Int64Array],
) -> LevelArray:
    (ca, cb), (ka, kb), (fa, fb), (ra, rb), (wa, wb) = canon, keys, first, rest, written
    missing = (ca < 0) | (cb < 0)
    exact = ~missing & (ca == cb)
    key = ~missing & (ka == kb) & (ka >= 0)
    rest = ~(missing | exact | key)
    similarity = np.zeros(len(ca), dtype=np.float64)
    # The better of the variant-table forms and the spellings as written: a typo in a name the
    # table knows (OLEKSADNR) is far from its table form (ALEXANDER) but close to OLEKSANDR.
    similarity[rest] = np.maximum(
        _similarity(featuriser.names, ca[rest], cb[rest]), _similarity(featuriser.names, wa[rest], wb[rest])
    )
    part = (fa == fb) & (fa >= 0)
    clash = (ra >= 0) & (rb >= 0) & (ra != rb)
    levels = np.select(
        [missing, exact, key, similarity >= NAME_SIMILAR, part & ~clash, part, similarity >= NAME_FUZZY],
        [_N_NULL, _N_EXACT, _N_KEY, _N_SIMILAR, _N_PART, _N_CLASH, _N_FUZZY],
        _N_DIFFERENT,
    )
    return levels.astype(np.int8)


def compare(
    featuriser: Featuriser,
    table: Int64Array,
    left: Int64Array,
    right: Int64Array,
    *,
    tolerance_years: int = ESTIMATED_AGE_TOLERANCE_YEARS,
) -> LevelArray:
    """Levels (pairs × fields, int8, indices into each :class:`FieldSpec`'s levels) of the pairs
    ``(table[left[i]], table[right[i]])``."""
    n = len(left)
    out = np.empty((n, len(FIELDS)), dtype=np.int8)
    if n == 0:
        return out

    def column(index: int) -> tuple[Int64Array, Int64Array]:
        values = table[:, index]
        return values[left], values[right]

    given_canon, given_key, given_first = column(f.GIVEN_CANON), column(f.GIVEN_KEY), column(f.GIVEN_FIRST)
    sur_canon, sur_key, sur_first = column(f.SURNAME_CANON), column(f.SURNAME_KEY), column(f.SURNAME_FIRST)
    given_rest, sur_rest = column(f.GIVEN_REST), column(f.SURNAME_REST)
    given_written, sur_written = column(f.GIVEN_WRITTEN), column(f.SURNAME_WRITTEN)
    given = _name_levels(featuriser, given_canon, given_key, given_first, given_rest, given_written)
    surname = _name_levels(featuriser, sur_canon, sur_key, sur_first, sur_rest, sur_written)
    # Crosswise, only where the straight comparison is not already good on both names.
    order = np.zeros(n, dtype=np.int8)
    doubt = np.flatnonzero((given.astype(np.int16) + surname) > _N_KEY)
    if len(doubt):

        def cross(
            a: tuple[Int64Array, Int64Array], b: tuple[Int64Array, Int64Array]
        ) -> tuple[Int64Array, Int64Array]:
            return a[0][doubt], b[1][doubt]

        crossed_given = _name_levels(
            featuriser,
            cross(given_canon, sur_canon),
            cross(given_key, sur_key),
            cross(given_first, sur_first),
            cross(given_rest, sur_rest),
            cross(given_written, sur_written),
        )
        crossed_surname = _name_levels(
            featuriser,
            cross(sur_canon, given_canon),
            cross(sur_key, given_key),
            cross(sur_first, given_first),
            cross(sur_rest, given_rest),
            cross(sur_written, given_written),
        )
        straight = given[doubt].astype(np.int16) + surname[doubt]
        # Crosswise is taken when it is better and both crossed names are close: the officer who
        # swapped the fields may also have added the father's name (``part``) or made a slip
        # (``fuzzy``), as long as one of the two names agrees outright.
        best, worst = np.minimum(crossed_given, crossed_surname), np.maximum(crossed_given, crossed_surname)
        swapped = (
            (crossed_given.astype(np.int16) + crossed_surname < straight)
            & (worst <= _N_FUZZY)
            & ((worst <= _N_PART) | (best <= _N_KEY))
        )
        rows = doubt[swapped]
        given[rows] = crossed_given[swapped]
        surname[rows] = crossed_surname[swapped]
        order[rows] = 1
    order[(given == _N_NULL) & (surname == _N_NULL)] = FIELDS[ORDER].null
    out[:, GIVEN], out[:, SURNAME], out[:, ORDER] = given, surname, order
    out[:, BIRTH_DATE] = _birth_levels(column, tolerance_years)
    for field, index in ((SEX, f.SEX), (NATIONALITY, f.NATIONALITY)):
        a, b = column(index)
        out[:, field] = np.where((a < 0) | (b < 0), 2, np.where(a == b, 0, 1))
    out[:, PLACE] = _place_levels(featuriser, column(f.PLACE_CANON), column(f.PLACE_KEY))
    out[:, FAMILY] = _family_levels(
        column(f.GROUP),
        (column(f.RELATIVES), column(f.RELATIVES_HIGH)),
        (column(f.RELATIVES_PREFIX), column(f.RELATIVES_PREFIX_HIGH)),
        (column(f.RELATIVES_SHAPE), column(f.RELATIVES_SHAPE_HIGH)),
    )
    names_agree = (given <= _N_KEY) & (surname <= _N_KEY)
    names_close = (given <= _N_PART) & (surname <= _N_PART)
    original = _original_levels(
        featuriser, column(f.ORIGINAL), column(f.ORIGINAL_SCRIPT), names_agree, names_close
    )
    # The same name in its owner's script is the same name, however far apart the Latin spellings
    # are (a typo, another transliteration): the names count as spelt another way (``key``, with
    # its term-frequency adjustment) and the original confirms them. Counting both — a typo's
    # "similar" plus a rare-looking "same writing" — would count one name twice, and namesakes
    # written alike would look like one person.
    written_alike = np.flatnonzero(original == _O_SAME)
    for levels in (given, surname):
        upgrade = written_alike[(levels[written_alike] > _N_KEY) & (levels[written_alike] != _N_NULL)]
        levels[upgrade] = _N_KEY
    agreeing = ((given <= _N_KEY) | (given == _N_NULL)) & ((surname <= _N_KEY) | (surname == _N_NULL))
    confirmed = written_alike[agreeing[written_alike] & (order[written_alike] != FIELDS[ORDER].null)]
    original[confirmed] = _O_CONFIRMS
    out[:, GIVEN], out[:, SURNAME], out[:, ORIGINAL] = given, surname, original
    for field, columns in (
        (FATHER, (f.FATHER_CANON, f.FATHER_KEY, f.FATHER_FIRST, f.FATHER_REST, f.FATHER_WRITTEN)),
        (MOTHER, (f.MOTHER_CANON, f.MOTHER_KEY, f.MOTHER_FIRST, f.MOTHER_REST, f.MOTHER_WRITTEN)),
    ):
        out[:, field] = _parent_levels(featuriser, *(column(index) for index in columns))
    two_people = np.isin(out[:, BIRTH_DATE], _BIRTH_APART) | (out[:, SEX] == 1)
    out[:, DOCUMENT] = document_levels(featuriser, table, left, right, two_people)
    return out


def document_levels(
    featuriser: Featuriser,
    table: Int64Array,
    left: Int64Array,
    right: Int64Array,
    two_people: npt.NDArray[np.bool_] | None = None,
) -> LevelArray:
    """The ``document`` levels of the pairs ``(table[left[i]], table[right[i]])``: each of the two
    documents kept on one side against each on the other (see the module docstring). ``two_people``
    marks pairs whose birth dates or sexes already say two people: a number they share is
    ``shared``, not ``same``. Only pairs with a document on both sides are looked at further (a
    record's second slot is filled only when its first is)."""
    levels = np.full(len(left), D_NULL, dtype=np.int8)
    first_number = f.DOCUMENT_SLOTS[0][2]
    both = np.flatnonzero((table[left, first_number] >= 0) & (table[right, first_number] >= 0))
    if len(both) == 0:
        return levels
    rows_a, rows_b = table[left[both]], table[right[both]]
    n = len(both)
    same = np.zeros(n, dtype=np.bool_)
    comparable = np.zeros(n, dtype=np.bool_)
    close = np.zeros(n, dtype=np.bool_)
    for kind_a, state_a, number_a in f.DOCUMENT_SLOTS:
        for kind_b, state_b, number_b in f.DOCUMENT_SLOTS:
            na, nb = rows_a[:, number_a], rows_b[:, number_b]
            sa, sb = rows_a[:, state_a], rows_b[:, state_b]
            known = (na >= 0) & (nb >= 0)
            same |= known & (na == nb) & ((sa == sb) | (sa < 0) | (sb < 0))
            one_kind = known & (na != nb) & (sa == sb) & (sa >= 0)
            one_kind &= rows_a[:, kind_a] == rows_b[:, kind_b]
            comparable |= one_kind
            at = np.flatnonzero(one_kind & ~close)
            if len(at):
                close[at] = _one_slip(featuriser.numbers, na[at], nb[at])
    found = np.full(n, D_NULL, dtype=np.int8)
    found[comparable] = D_DIFFERENT
    found[close] = D_CLOSE
    found[same] = D_SAME
    if two_people is not None:
        found[same & two_people[both]] = D_SHARED
    levels[both] = found
    return levels


def _one_slip(vocabulary: Vocabulary, left: Int64Array, right: Int64Array) -> npt.NDArray[np.bool_]:
    """Whether the strings coded ``left`` and ``right`` are one edit apart (a character changed,
    dropped, added, or two neighbours swapped: optimal string alignment distance 1)."""
    distances = _per_distinct_pair(vocabulary, left, right, OSA.distance, score_cutoff=1, dtype=np.int32)
    return np.asarray(distances <= 1, dtype=np.bool_)


def _parent_levels(
    featuriser: Featuriser,
    canon: tuple[Int64Array, Int64Array],
    keys: tuple[Int64Array, Int64Array],
    first: tuple[Int64Array, Int64Array],
    rest: tuple[Int64Array, Int64Array],
    written: tuple[Int64Array, Int64Array],
) -> LevelArray:
    """A parent's name levels, as a person's own given names are compared; where it is missing on
    either side (most pairs: it is asked of some only) no string is looked at."""
    levels = np.full(len(canon[0]), _N_NULL, dtype=np.int8)
    known = np.flatnonzero((canon[0] >= 0) & (canon[1] >= 0))
    if len(known):
        levels[known] = _name_levels(
            featuriser, *((side[0][known], side[1][known]) for side in (canon, keys, first, rest, written))
        )
    return levels


def _original_levels(
    featuriser: Featuriser,
    forms: tuple[Int64Array, Int64Array],
    scripts: tuple[Int64Array, Int64Array],
    names_agree: npt.NDArray[np.bool_],
    names_close: npt.NDArray[np.bool_],
) -> LevelArray:
    (oa, ob), (sa, sb) = forms, scripts
    missing = (oa < 0) | (ob < 0) | (sa != sb)
    same = ~missing & (oa == ob)
    rest = ~(missing | same)
    similarity = np.zeros(len(oa), dtype=np.float64)
    similarity[rest] = _similarity(featuriser.originals, oa[rest], ob[rest])
    agree = same | (similarity >= ORIGINAL_SIMILAR)
    # A father's name written on one side only (the Latin names are at ``part``): the shorter
    # original is the longer one less that name, which is agreement, not a different name.
    shorter = np.flatnonzero(rest & ~agree & names_close)
    if len(shorter):
        agree[shorter] = _word_subsets(featuriser.originals, oa[shorter], ob[shorter])
    levels = np.select(
        [missing, agree & names_agree, same, agree & names_close, agree],
        [_O_NULL, _O_CONFIRMS, _O_SAME, _O_CONFIRMS, _O_SIMILAR],
        _O_DIFFERENT,
    )
    return levels.astype(np.int8)


def _word_subsets(vocabulary: Vocabulary, left: Int64Array, right: Int64Array) -> npt.NDArray[np.bool_]:
    """Whether the words of one string coded ``left``/``right`` are all among the other's."""
    strings = vocabulary.array()
    size = max(len(vocabulary), 1)
    unique, inverse = np.unique(left * size + right, return_inverse=True)
    found = np.fromiter(
        (
            (a <= b) or (b <= a)
            for a, b in (
                (set(strings[code // size].split()), set(strings[code % size].split()))
                for code in unique.tolist()
            )
        ),
        dtype=np.bool_,
        count=len(unique),
    )
    return np.asarray(found[inverse], dtype=np.bool_)


def _birth_levels(get: Callable[[int], tuple[Int64Array, Int64Array]], tolerance_years: int) -> LevelArray:
    oa, ob = get(f.BIRTH_ORDINAL)
    ya, yb = get(f.BIRTH_YEAR)
    ma, mb = get(f.BIRTH_MONTH)
    da, db = get(f.BIRTH_DAY)
    aa, ab = get(f.ACCURACY)
    missing = (aa < 0) | (ab < 0)
    both_exact = (aa == 0) & (ab == 0)
    exact = both_exact & (oa == ob)
    years_apart = np.abs(ya - yb)
    # A slip of the pen: day and month swapped, or the right day in the year before or after.
    swapped = (ya == yb) & (ma == db) & (da == mb)
    slip = both_exact & (swapped | ((ma == mb) & (da == db) & (years_apart == 1)))
    near = both_exact & (np.abs(oa - ob) <= NEAR_DAYS)
    same_year = ya == yb
    estimates = (aa == 2).astype(np.int64) + (ab == 2)
    year_only = (aa == 1) | (ab == 1)
    tolerance = ((estimates > 0) & (years_apart <= tolerance_years * estimates)) | (
        year_only & (years_apart <= 1)
    )
    within = years_apart <= FAR_YEARS
    # One person tends to give the same kind of date each time (a date they know, a year they
    # know, an age an officer estimates): two stated dates that agree say more than an estimate
    # that happens to fall in the stated year.
    stated = estimates == 0
    levels = np.select(
        [
            missing,
            exact,
            slip,
            near,
            both_exact & same_year,
            stated & same_year,
            (estimates == 2) & tolerance,
            same_year,
            tolerance,
            both_exact & within,
            within,
        ],
        [11, 0, 1, 2, 3, 4, 6, 5, 7, 8, 9],
        10,
    )
    return levels.astype(np.int8)


def place_levels(
    featuriser: Featuriser, table: Int64Array, left: Int64Array, right: Int64Array
) -> LevelArray:
    """The ``place_of_birth`` levels alone of the pairs ``(table[left[i]], table[right[i]])``."""
    canon, keys = table[:, f.PLACE_CANON], table[:, f.PLACE_KEY]
    return _place_levels(featuriser, (canon[left], canon[right]), (keys[left], keys[right]))


def _place_levels(
    featuriser: Featuriser, canon: tuple[Int64Array, Int64Array], keys: tuple[Int64Array, Int64Array]
) -> LevelArray:
    (ca, cb), (ka, kb) = canon, keys
    missing = (ca < 0) | (cb < 0)
    exact = ~missing & (ca == cb)
    key = ~missing & (ka == kb)
    rest = ~(missing | exact | key)
    similarity = np.zeros(len(ca), dtype=np.float64)
    similarity[rest] = _similarity(featuriser.places, ca[rest], cb[rest])
    levels = np.select([missing, exact, key | (similarity >= PLACE_SIMILAR)], [3, 0, 1], 2)
    return levels.astype(np.int8)


def _family_levels(
    groups: tuple[Int64Array, Int64Array],
    keys: tuple[tuple[Int64Array, Int64Array], tuple[Int64Array, Int64Array]],
    prefixes: tuple[tuple[Int64Array, Int64Array], tuple[Int64Array, Int64Array]],
    shapes: tuple[tuple[Int64Array, Int64Array], tuple[Int64Array, Int64Array]],
) -> LevelArray:
    ga, gb = groups
    same_group = (ga >= 0) & (ga == gb)
    ((ra, rb), (ha, hb)) = keys
    count_a = np.bitwise_count(ra) + np.bitwise_count(ha)
    count_b = np.bitwise_count(rb) + np.bitwise_count(hb)
    both = (count_a > 0) & (count_b > 0)
    # Companions' names agree by phonetic key, or — one typing slip apart — by their first three
    # letters or by their shape; the count is the best of the three, at most the smaller party.
    by_key = np.bitwise_count(ra & rb) + np.bitwise_count(ha & hb)
    shared = by_key.copy()
    for (low_a, low_b), (high_a, high_b) in (prefixes, shapes):
        shared = np.maximum(shared, np.bitwise_count(low_a & low_b) + np.bitwise_count(high_a & high_b))
    shared = np.minimum(np.minimum(shared, by_key + 1), np.minimum(count_a, count_b))
    # How many of the smaller party's companions the other party lacks: a family registered again
    # brings the same people (fewer, never others), where two families that merely share common
    # names share some of them only.
    missing = np.minimum(count_a, count_b) - shared
    levels = np.select(
        [
            same_group,
            both & (shared >= 3) & (missing == 0),
            both & (shared >= 2) & ((shared >= 3) | (missing == 0)),
            both & (shared == 2),
            both & (shared == 1) & (missing == 0),
            both & (shared == 1),
            both,
        ],
        [0, 1, 2, 3, 4, 5, 6],
        7,
    )
    return levels.astype(np.int8)


RADICES: Final = np.array([len(spec.levels) for spec in FIELDS], dtype=np.int64)


def pattern_codes(levels: LevelArray) -> Int64Array:
    """One integer per pair for its whole comparison vector (mixed radix over the fields)."""
    codes = np.zeros(len(levels), dtype=np.int64)
    for index, radix in enumerate(RADICES):
        codes = codes * radix + levels[:, index]
    return codes


def patterns_of(codes: Int64Array) -> LevelArray:
    """The inverse of :func:`pattern_codes`."""
    out = np.empty((len(codes), len(FIELDS)), dtype=np.int8)
    rest = codes.copy()
    for index in range(len(FIELDS) - 1, -1, -1):
        out[:, index] = rest % RADICES[index]
        rest //= RADICES[index]
    return out
