"""The one lookup rule: a name typed by a person names exactly one record, or is refused.

Every name-to-record lookup ends here, so none of them resolves by guess: no match is a
NotFoundError, several are a ValidationError listing the candidates with what tells them
apart (a program, an e-mail, an id) and how to be more specific.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import TypeVar

from docket.models.core.errors import NotFoundError, ValidationError
from docket.models.core.inputs import shown

T = TypeVar("T")

# candidates named in a refusal; more are summed up as "and N others"
SHOWN_CANDIDATES = 5

# letters that Unicode does not decompose into a base letter and a mark, spelled as people
# type them on a keyboard without them
_SPELLED = str.maketrans(
    {
        "ø": "o",
        "æ": "ae",
        "œ": "oe",
        "ß": "ss",
        "ł": "l",
        "đ": "d",
        "ð": "d",
        "þ": "th",
        "ı": "i",
        "ħ": "h",
        "ŧ": "t",
        "ŀ": "l",
    }
)
# apostrophes join a word (O'Brien is obrien); other punctuation and spaces part words
_JOINING = re.compile(r"[\'’`ʼ]")
_PARTING = re.compile(r"[^0-9a-z]+")


@lru_cache(maxsize=16384)
def fold(value: str) -> str:
    """Text as matching compares it: without case, accents or apostrophes, so "zoe" is
    "Zoë", "bjorn" is "Bjørn" and "obrien" is "O'Brien"."""
    if value.isascii():
        # most names: ASCII has no compatibility forms, marks or letters to spell out, so
        # case and apostrophes are all there is to fold (the same result, far quicker)
        return _JOINING.sub("", value.lower())
    # compatibility forms first (a mathematical 𝔍 is a J), then case, then marks apart
    plain = unicodedata.normalize("NFKD", value).casefold()
    lowered = unicodedata.normalize("NFKD", plain).translate(_SPELLED)
    bare = "".join(c for c in lowered if not unicodedata.combining(c))
    return _JOINING.sub("", bare)


@lru_cache(maxsize=16384)
def words(value: str) -> tuple[str, ...]:
    """The folded words of a name (or of what was typed for one): "Ana-María López" is
    ("ana", "maria", "lopez"), "ana.lopez" is ("ana", "lopez")."""
    return tuple(w for w in _PARTING.split(fold(value)) if w)


def starts_words(typed: Sequence[str], name: Sequence[str]) -> bool:
    """Whether every typed word starts a different word of the name, in any order: "ana"
    and "lo ana" match "Ana Lopez", "ana" does not match "Thanh Tanaka"."""
    free = list(name)
    for word in sorted(typed, key=len, reverse=True):
        hit = next((i for i, w in enumerate(free) if w.startswith(word)), None)
        if hit is None:
            return False
        del free[hit]
    return True


def exactly_one(
    field: str,
    typed: str,
    found: Sequence[T],
    *,
    noun: str,
    describe: Callable[[T], str],
    narrow: str = "be more specific",
    total: int | None = None,
    plural: str | None = None,
) -> T:
    """The one record in ``found`` (the matches of ``typed``), or a refusal naming ``field``.

    ``describe`` says how each candidate reads in the refusal; ``narrow`` how to pick one
    (an option, an id); ``total`` is the number of matches when ``found`` holds only some;
    ``plural`` the noun for several when it is not ``noun`` + "s".
    """
    if len(found) == 1:
        return found[0]
    if not found:
        raise NotFoundError(f"{field}: no {noun} matches {shown(typed)}")
    count = max(total or 0, len(found))
    names = ", ".join(describe(one) for one in found[:SHOWN_CANDIDATES])
    more = count - min(len(found), SHOWN_CANDIDATES)
    rest = f" and {more} other{'s' if more > 1 else ''}" if more > 0 else ""
    several = plural or f"{noun}s"
    raise ValidationError(
        field, f"{shown(typed)} matches {count} {several}: {names}{rest}; {narrow}"
    )


@lru_cache(maxsize=16384)
def _spaced(name: str) -> str:
    """A name's folded words, each after a space: " ana lopez"."""
    return "".join(" " + w for w in words(name))


def name_matches(typed: Sequence[str], name: str) -> bool:
    """:func:`starts_words` for the typed words and a name, quick for the many names that
    do not match (a whole directory is matched in Python on every lookup)."""
    spaced = _spaced(name)
    if not typed or any(" " + word not in spaced for word in typed):
        return False
    return len(typed) == 1 or starts_words(typed, words(name))
