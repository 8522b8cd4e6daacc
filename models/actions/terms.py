"""The type-to-filter language of the action list: ``@ana #ERP !high due<fri is:overdue``.

Terms are separated by spaces and all must hold:

- a plain word must appear in the title or notes; ``"a phrase"`` in double quotes is one word
  (a quote left open runs to the end, so a phrase can be typed letter by letter);
- ``@name``: each word (``@ana.lopez`` is two) starts a word of the owner's name, accents
  and case aside (``@ana`` is Ana Lopez, not Thanh Tanaka), or the owner's account is
  ``name``, or their e-mail starts with it; ``@me`` is exactly the person of the
  acting account;
- ``#CODE``: the program with that code (any case); an unknown code is an error;
- ``!low``, ``!normal``, ``!high``, ``!urgent``: that priority;
- ``due<WHEN``, ``due<=WHEN``, ``due>WHEN``, ``due>=WHEN``, ``due:WHEN`` (that day), where
  WHEN is a date without spaces as :func:`docket.models.core.dates.parse_date` reads it (``fri``,
  ``today``, ``+3d``, ``eow``, ``2026-12-01``); several bounds narrow each other;
- ``is:overdue``, ``is:soon`` (due from today to ``DUE_SOON_DAYS`` days ahead, as Today
  counts it), and the statuses ``is:open``, ``is:in-progress``, ``is:blocked``, ``is:done``,
  ``is:cancelled``, ``is:active``, ``is:closed``, ``is:all`` (the last status term wins).

A term that starts like one of these but is incomplete or wrong (``due<fr``, ``!huge``,
``is:whatever``, ``#``) is a ``ValidationError`` on the field ``filter`` that quotes the
term and says what was expected, so the list can keep showing the last good filter.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from docket.models.actions.items import DUE_SOON_DAYS, STATUS_SETS, ActionFilter, search_words
from docket.models.core.context import Context
from docket.models.core.dates import EXAMPLES, parse_date
from docket.models.core.errors import DocketError, ValidationError
from docket.models.core.inputs import shown
from docket.models.core.schema import ACTION_STATUSES, PRIORITIES
from docket.models.people.directory import find_person, person_for_account
from docket.models.portfolio.programs import get_program

FIELD = "filter"

FILTER_HELP: tuple[tuple[str, str], ...] = (
    ("budget draft", "title or notes contain every word"),
    ('"budget draft"', "title or notes contain the phrase"),
    ("@ana", "a word of the owner's name starts ana, or account ana, or e-mail starts ana"),
    ("@me", "owned by you (the person of your account)"),
    ("-@me", "owned by anyone but you (or nobody)"),
    ("#ERP", "in program ERP"),
    ("!high", "priority low, normal, high or urgent"),
    ("due<fri", "due before Friday (also due<=, due>, due>=)"),
    ("due:today", "due on that day (today, fri, +3d, eow, 2026-12-01...)"),
    ("is:overdue", "open and past due"),
    ("is:soon", f"open and due within {DUE_SOON_DAYS} days from today"),
    ("is:done", "status: open, in-progress, blocked, done, cancelled"),
    ("is:all", "any status (also is:active, is:closed)"),
)

_IS_WORDS = ("overdue", "soon", *(s.replace(" ", "-") for s in ACTION_STATUSES), *STATUS_SETS)
_DUE_TERM = re.compile(r"due(<=|>=|<|>|:|=)(.*)", re.IGNORECASE | re.DOTALL)
_TERM = re.compile(r'"[^"]*"?|\S+')


def _problem(term: str, expected: str) -> ValidationError:
    return ValidationError(FIELD, f"{shown(term)}: {expected}")


def _when(ctx: Context, term: str, operator: str, typed: str) -> date:
    if not typed:
        raise _problem(term, f"expected a date after due{operator}, such as {EXAMPLES}")
    try:
        return parse_date(typed, ctx.today(), field=FIELD, day_first=ctx.day_first)
    except ValidationError as exc:
        raise _problem(term, exc.reason) from exc


def _program(term: str) -> str:
    code = term[1:]
    if not code:
        raise _problem(term, "expected a program code after #, such as #ERP")
    try:
        return str(get_program(code).code)
    except DocketError as exc:
        reason = str(exc).removeprefix("program: ")
        raise _problem(term, reason.replace("no program with code", "no program", 1)) from exc


def _me(ctx: Context, term: str) -> str:
    person = person_for_account(ctx.actor)
    if person is None:
        raise _problem(term, f"account {ctx.actor!r} is not linked to a person; use @name instead")
    return f"#{person.id}"


def parse_filter(ctx: Context, typed: str, base: ActionFilter | None = None) -> ActionFilter:
    """The action filter that ``typed`` asks for, starting from ``base`` (sort, limit...)."""
    flt = base or ActionFilter()
    changes: dict[str, Any] = {}
    words: list[str] = []
    before: date | None = None
    after: date | None = None
    for term in _TERM.findall(typed or ""):
        lowered = term.lower()
        if term.startswith('"'):
            phrase = " ".join(term.strip('"').split())
            if phrase:
                words.append(f'"{phrase}"' if " " in phrase else phrase)
        elif lowered == "-@me":
            changes["not_owner"] = int(_me(ctx, term)[1:])
        elif term.startswith("@"):
            who = term[1:]
            if not who:
                raise _problem(term, "expected a name, account or e-mail after @, or @me")
            if who.lower() == "me":
                changes["owner"], changes["owner_like"] = _me(ctx, term), None
            else:
                changes["owner_like"], changes["owner"] = who, None
        elif term.startswith("#"):
            changes["program"] = _program(term)
        elif term.startswith("!"):
            if lowered[1:] not in PRIORITIES:
                raise _problem(term, f"expected !{', !'.join(PRIORITIES)}")
            changes["priority"] = lowered[1:]
        elif match := _DUE_TERM.fullmatch(term):
            operator, when = match.group(1), match.group(2)
            day = _when(ctx, term, operator, when)
            if operator in ("<", "<=", ":", "="):
                bound = day if operator == "<" else day + timedelta(days=1)
                before = bound if before is None else min(before, bound)
            if operator in (">", ">=", ":", "="):
                bound = day if operator == ">" else day - timedelta(days=1)
                after = bound if after is None else max(after, bound)
        elif lowered.startswith("is:"):
            word = lowered[3:]
            if word == "overdue":
                changes["overdue"] = True
            elif word == "soon":
                changes["due_within"] = DUE_SOON_DAYS
                yesterday = ctx.today() - timedelta(days=1)
                after = yesterday if after is None else max(after, yesterday)
            elif word in _IS_WORDS:
                changes["status"] = word.replace("-", " ")
            else:
                raise _problem(term, f"expected is: followed by {', '.join(_IS_WORDS)}")
        else:
            words.append(term)
    if words:
        changes["search"] = " ".join(words)
    if before is not None:
        changes["due_before"] = before
    if after is not None:
        changes["due_after"] = after
    return flt._replace(**changes)


def _day(d: date, today: date | None) -> str:
    year = "" if today is None or d.year == today.year else f" {d.year}"
    return f"{d:%a} {d.day} {d:%b}{year}"


def _owner_name(owner: str) -> str:
    try:
        return str(find_person(owner, field="owner").name)
    except DocketError:
        return owner


def describe_filter(flt: ActionFilter, today: date | None = None) -> str:
    """A short line for the status bar: ``overdue · owner ~ana · #ERP · due before Fri 27 Nov``.

    With ``today``, the bounds of ``is:soon`` read as "due soon" and years of this year are
    left out.
    """
    parts: list[str] = []
    status = flt.status.strip().lower()
    if status != "active":
        parts.append({"all": "any status", "closed": "done or cancelled"}.get(status, status))
    if flt.overdue:
        parts.append("overdue")
    after, within = flt.due_after, flt.due_within
    if today is not None and within is not None and after == today - timedelta(days=1):
        parts.append("due soon" if within == DUE_SOON_DAYS else f"due in the next {within} days")
        after = None
    elif within is not None:
        parts.append(f"due within {within} days")
    if flt.owner:
        parts.append(f"owner {_owner_name(flt.owner)}")
    if flt.owner_like:
        parts.append(f"owner ~{flt.owner_like.lstrip('@')}")
    if flt.not_owner is not None:
        parts.append(f"not {_owner_name(f'#{flt.not_owner}')}'s")
    if flt.program:
        parts.append(f"#{flt.program.lstrip('#').upper()}")
    if flt.priority:
        parts.append(f"!{flt.priority}")
    before = flt.due_before
    if before is not None and after is not None and (before - after).days == 2:
        parts.append(f"due {_day(after + timedelta(days=1), today)}")
    else:
        if after is not None:
            parts.append(f"due after {_day(after, today)}")
        if before is not None:
            parts.append(f"due before {_day(before, today)}")
    if flt.search:
        parts.append(" ".join(f"“{w}”" for w in search_words(flt.search)))
    return " · ".join(parts) if parts else "all active items"
