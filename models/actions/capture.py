"""Quick capture: one typed line becomes an action item, ``Send budget draft fri #ERP @ana !high``.

The line is split at spaces. These words are instructions, wherever they stand:

- ``#CODE`` names the program. A code that is no program is a problem on ``program``,
  except a code of digits only (``#42``), which stays in the title as an issue number;
  ``#`` followed by something that cannot be a code (``#a``, ``#1-2``) is a title word.
- ``@who`` names the owner, as :func:`docket.models.people.directory.find_person` reads
  it (``@ana``, ``@ana.lopez``, ``@bo@city.example``, ``@#7``); nobody or several people is a
  problem on ``owner``.
- ``!low``, ``!normal``, ``!high``, ``!urgent`` set the priority; another word after ``!``
  is a problem on ``priority``.
- ``due:WHEN`` or ``^WHEN`` sets the due date (WHEN without spaces: ``fri``, ``+3d``,
  ``2026-12-01``); a date that does not parse is a problem on ``due``.

Everything else is the title, with one exception: when no ``due:``/``^`` word is given, the
last three, two or one title words (tried in that order) are the due date *if and only if*
:func:`docket.models.core.dates.parse_date` accepts them, and at least one word remains:
``Send draft next tue`` is due next Tuesday, ``Call 311 vendor`` and ``Review Q3 plan`` keep
every word. So that ordinary titles keep their words, the trailing phrase is not a date when
it is ``tom`` or ``tod`` (``Call Tom``) or a bare amount such as ``5 days`` (``in 5 days``
and ``+5d`` are dates). A ``by``, ``on`` or ``due`` just before the date goes with it
(``Sign SOW by fri`` is titled ``Sign SOW``).

Giving an owner, program, priority or due date twice is a problem on that field. Problems do
not stop parsing, so the app can preview the line as it is typed; :func:`save_capture`
refuses a capture that has any.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from docket.models.actions.items import TITLE_MAX, add_action
from docket.models.core.context import Context
from docket.models.core.dates import EXAMPLES, describe_date, parse_date
from docket.models.core.errors import DocketError, ValidationError
from docket.models.core.inputs import shown, text
from docket.models.core.schema import PRIORITIES, ActionItem
from docket.models.people.directory import find_person
from docket.models.portfolio.programs import get_program

_CODE = re.compile(r"[A-Za-z0-9]{2,12}")
_BARE_AMOUNT = re.compile(r"[+-]?\d+\s+[a-z]+")
_NOT_DATES = ("tom", "tod")
_CONNECTORS = ("by", "on", "due")


class Problem(NamedTuple):
    """Something wrong with a captured line: the field and what was expected."""

    field: str
    message: str

    def error(self) -> ValidationError:
        return ValidationError(self.field, self.message)


class PersonRef(NamedTuple):
    """A person a capture resolved to."""

    id: int
    name: str


@dataclass(frozen=True)
class Capture:
    """What one typed line was understood as, with any problems in it."""

    title: str
    due: date | None = None
    program: str | None = None
    owner: PersonRef | None = None
    priority: str = "normal"
    problems: tuple[Problem, ...] = ()
    # the words read as the due date, as typed ("next tue", "^fri"), for the preview
    due_words: str | None = None

    @property
    def ok(self) -> bool:
        """Whether the capture can be saved as it is."""
        return not self.problems

    def preview(self, today: date) -> str:
        """One line of what was understood: ``"Send draft" · due Fri 27 Nov 2026 (in 4 days)``."""
        parts = [f'"{self.title}"' if self.title else "(no title)"]
        if self.due is not None:
            parts.append(f"due {describe_date(self.due, today)}")
        if self.program:
            parts.append(self.program)
        if self.owner is not None:
            parts.append(self.owner.name)
        if self.priority != "normal":
            parts.append(self.priority)
        return " · ".join(parts)


class _Reader:
    """The state of parsing one line."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.words: list[str] = []
        self.problems: list[Problem] = []
        self.given: dict[str, str] = {}
        self.due: date | None = None
        self.due_words: str | None = None
        self.program: str | None = None
        self.owner: PersonRef | None = None
        self.priority = "normal"

    def _once(self, field: str, token: str) -> bool:
        """Note that ``token`` sets ``field``; a second one is a problem."""
        if field in self.given:
            self.problems.append(
                Problem(field, f"give one {field}; got {self.given[field]} and {token}")
            )
            return False
        self.given[field] = token
        return True

    def program_token(self, token: str) -> None:
        code = token[1:]
        if not _CODE.fullmatch(code):
            self.words.append(token)
            return
        try:
            found = get_program(code)
        except DocketError as exc:
            if code.isdigit():
                self.words.append(token)
            elif self._once("program", token):
                self.problems.append(Problem("program", str(exc).removeprefix("program: ")))
            return
        if self._once("program", token):
            self.program = str(found.code)

    def owner_token(self, token: str) -> None:
        if not self._once("owner", token):
            return
        try:
            person = find_person(token[1:], field="owner")
        except DocketError as exc:
            self.problems.append(Problem("owner", str(exc).removeprefix("owner: ")))
            return
        self.owner = PersonRef(int(person.id), str(person.name))

    def priority_token(self, token: str) -> None:
        if not self._once("priority", token):
            return
        word = token[1:].lower()
        if word in PRIORITIES:
            self.priority = word
        else:
            expected = ", ".join(f"!{p}" for p in PRIORITIES)
            self.problems.append(Problem("priority", f"expected {expected}; got {shown(token)}"))

    def due_token(self, token: str, when: str) -> None:
        if not self._once("due", token):
            return
        if not when:
            self.problems.append(Problem("due", f"expected a date after {token}, such as fri"))
            return
        try:
            self.due = self._date(when)
        except ValidationError as exc:
            self.problems.append(Problem("due", exc.reason))
            return
        self.due_words = token

    def _date(self, typed: str) -> date:
        return parse_date(typed, self.ctx.today(), field="due", day_first=self.ctx.day_first)

    def trailing_date(self) -> None:
        """Take a date phrase off the end of the title words, if there is one."""
        for count in (3, 2, 1):
            if len(self.words) <= count:
                continue
            phrase = " ".join(self.words[-count:])
            lowered = phrase.lower()
            if lowered in _NOT_DATES or _BARE_AMOUNT.fullmatch(lowered):
                continue
            try:
                self.due = self._date(phrase)
            except ValidationError:
                continue
            del self.words[-count:]
            if len(self.words) > 1 and self.words[-1].lower() in _CONNECTORS:
                phrase = f"{self.words.pop()} {phrase}"
            self.due_words = phrase
            return


def parse_capture(ctx: Context, line: str) -> Capture:
    """What a one-line capture means; problems are collected, never raised."""
    reader = _Reader(ctx)
    for token in (line or "").split():
        lowered = token.lower()
        if token.startswith("#") and len(token) > 1:
            reader.program_token(token)
        elif token.startswith("@") and len(token) > 1:
            reader.owner_token(token)
        elif token.startswith("!") and token[1:2].isalpha():
            reader.priority_token(token)
        elif lowered.startswith("due:"):
            reader.due_token(token, token[4:])
        elif token.startswith("^"):
            reader.due_token(token, token[1:])
        else:
            reader.words.append(token)
    if "due" not in reader.given:
        reader.trailing_date()
    title = " ".join(reader.words)
    problems = list(reader.problems)
    try:
        title = text("title", title, max_length=TITLE_MAX)
    except ValidationError as exc:
        problems.insert(0, Problem("title", exc.reason))
    return Capture(
        title=title,
        due=reader.due,
        program=reader.program,
        owner=reader.owner,
        priority=reader.priority,
        problems=tuple(problems),
        due_words=reader.due_words,
    )


def save_capture(
    ctx: Context,
    capture: Capture,
    *,
    source_meeting: int | None = None,
    source_occurrence: datetime | None = None,
) -> ActionItem:
    """Add the captured item (one transaction, audited); the first problem is raised instead."""
    if capture.problems:
        raise capture.problems[0].error()
    return add_action(
        ctx,
        capture.title,
        owner=f"#{capture.owner.id}" if capture.owner else None,
        due=capture.due,
        program=capture.program,
        priority=capture.priority,
        source_meeting=source_meeting,
        source_occurrence=source_occurrence,
    )


CAPTURE_HELP: tuple[tuple[str, str], ...] = (
    ("Send budget draft fri", "a date at the end is the due date"),
    ("... next tue / +3d / dec 3", f"dates as anywhere else ({EXAMPLES})"),
    ("... ^fri  or  due:2026-12-01", "the due date, anywhere in the line"),
    ("... #ERP", "the program"),
    ("... @ana", "the owner"),
    ("... !high", "the priority: low, normal, high, urgent"),
)
