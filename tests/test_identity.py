"""Who you are: the person an account stands for, set at ``docket init`` (``--me``, or asked
in a terminal) or with ``docket user add|edit --person``, and the organizer a new meeting
gets from it, with a warning when invites would have no organizer with an e-mail."""

from __future__ import annotations

import os
import pwd
import sqlite3
from collections.abc import Callable, Iterator
from email.utils import formataddr
from pathlib import Path
from typing import Any

import icalendar
import pytest
from conftest import ACTOR
from hypothesis import given
from hypothesis import strategies as st
from textual.widgets import Input, Static
from tui_support import settle, shown

from docket.models.accounts.users import (
    ORGANIZER_NEEDED,
    NameAndEmail,
    link_me,
    name_and_email,
)
from docket.models.core.context import Context
from docket.models.core.database import connect
from docket.models.core.schema import Meeting, Person, UserAccount, database
from docket.models.people.directory import person_for_account
from docket.models.people.persons import add_person
from docket.models.portfolio.programs import add_program
from docket.tui.app import DocketApp
from docket.tui.forms.base import RecordForm

ME = pwd.getpwuid(os.geteuid()).pw_name
MakeApp = Callable[[Path], DocketApp]


def _linked(db: Path, account: str = ME) -> tuple[str, str | None, str] | None:
    """The person an account stands for in ``db``, read straight from the file."""
    with sqlite3.connect(db) as raw:
        row = raw.execute(
            "SELECT p.name, p.email, p.kind FROM user_account u JOIN person p "
            "ON p.id = u.person_id WHERE u.account = ?",
            (account,),
        ).fetchone()
    return None if row is None else (row[0], row[1], row[2])


def _people(db: Path) -> int:
    with sqlite3.connect(db) as raw:
        return int(raw.execute("SELECT count(*) FROM person").fetchone()[0])


# --- Name <email> ------------------------------------------------------------------------

_WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.,'-", min_size=1)
_NAMES = st.lists(_WORD, min_size=1, max_size=4).map(" ".join)
_EMAILS = st.from_regex(r"[a-z0-9._+-]{1,20}@[a-z0-9-]{1,20}\.[a-z]{2,6}", fullmatch=True)


@given(name=_NAMES, email=_EMAILS)
def test_any_name_and_address_as_a_mail_program_writes_them_reads_back(
    name: str, email: str
) -> None:
    assert name_and_email(formataddr((name, email))) == NameAndEmail(name, email)


@pytest.mark.parametrize("typed", ["Ana Lopez", "ana", "#12", "@ana.lopez"])
def test_text_without_an_address_names_a_person_another_way(typed: str) -> None:
    assert name_and_email(typed) is None


# --- docket init --me ------------------------------------------------------------------


def test_init_me_adds_you_as_staff_and_links_your_account(cli: Any, tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    done = cli("init", "--me", "Ana Lopez <ana@example.org>", db=db)
    assert done.status == 0, done.err
    assert done.out.splitlines()[1:] == [
        f"you ({ME}) are Ana Lopez <ana@example.org> (#1), added to the people"
    ]
    assert _linked(db) == ("Ana Lopez", "ana@example.org", "staff")
    with sqlite3.connect(db) as raw:
        assert raw.execute("SELECT account FROM person").fetchone()[0] == ME


def test_init_me_finds_an_existing_person_by_their_email(cli: Any, tmp_path: Path) -> None:
    db = tmp_path / "office.db"
    assert cli("init", db=db).status == 0
    assert cli("person", "add", "Ana Lopez", "--email", "Ana@Example.org", db=db).status == 0
    done = cli("init", "--me", "A. Lopez <ana@example.org>", db=db)
    assert done.status == 0, done.err
    assert done.out == f"{db} is up to date\nyou ({ME}) are Ana Lopez <Ana@Example.org> (#1)\n"
    assert _people(db) == 1
    assert _linked(db) == ("Ana Lopez", "Ana@Example.org", "staff")


def test_init_me_gives_the_one_namesake_without_an_email_yours(cli: Any, tmp_path: Path) -> None:
    db = tmp_path / "office.db"
    assert cli("init", db=db).status == 0
    assert cli("person", "add", "Bo Chen", db=db).status == 0
    assert cli("init", "--me", "Bo Chen <bo@example.org>", db=db).status == 0
    assert _people(db) == 1
    assert _linked(db) == ("Bo Chen", "bo@example.org", "staff")


def test_init_me_refuses_a_name_others_have_naming_them(cli: Any, tmp_path: Path) -> None:
    db = tmp_path / "office.db"
    assert cli("init", db=db).status == 0
    for email in ("ana@one.example", "ana@two.example"):
        assert cli("person", "add", "Ana Lopez", "--email", email, db=db).status == 0
    refused = cli("init", "--me", "Ana Lopez <ana@three.example>", db=db)
    assert refused.status == 2
    assert refused.err == (
        "docket: me: 'Ana Lopez' is already #1 <ana@one.example>, #2 <ana@two.example>, with "
        "another address; give theirs, or their '#id', or change their e-mail first\n"
    )
    assert _people(db) == 2 and _linked(db) is None
    # one of them, by the one lookup rule
    assert cli("init", "--me", "#2", db=db).status == 0
    assert _linked(db) == ("Ana Lopez", "ana@two.example", "staff")


@pytest.mark.parametrize(
    "typed",
    [
        "Ana Lopez <ana@example>",
        "Ana Lopez <ana@example.org",
        "Ana <a@example.org>, Bo <b@example.org>",
        "Ana Lopez <>",
        "Ana <ana@@example.org>",
    ],
)
def test_a_malformed_me_is_one_line_and_creates_nothing(
    cli: Any, tmp_path: Path, typed: str
) -> None:
    db = tmp_path / "new.db"
    refused = cli("init", "--me", typed, db=db)
    assert refused.status == 2
    assert refused.err == (
        "docket: me: expected 'Name <email>', such as 'Ana Lopez <ana@example.org>', "
        f"got {typed!r}\n"
    )
    assert refused.out == ""
    assert not db.exists()


def test_an_address_nobody_has_needs_a_name(cli: Any, tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    assert cli("init", db=db).status == 0
    refused = cli("init", "--me", "ana@example.org", db=db)
    assert (refused.status, refused.err) == (
        2,
        "docket: me: nobody has ana@example.org; give a name too: 'Name <ana@example.org>'\n",
    )


def test_init_without_a_terminal_says_how_to_link_later(cli: Any, tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    done = cli("init", db=db)
    assert done.status == 0
    hint = f"docket user edit {ME} --person 'Name <email>'"
    assert done.out.splitlines()[-1] == (
        f"your account {ME} stands for nobody yet, and invites need an organizer with an "
        f"e-mail; say who you are with: {hint}"
    )
    # the hint works as printed
    linked = cli("user", "edit", ME, "--person", "Ana Lopez <ana@example.org>", db=db)
    assert linked.out == f"{ME} stands for Ana Lopez <ana@example.org> (#1), added to the people\n"
    # linked: init says nothing more
    assert cli("init", db=db).out == f"{db} is up to date\n"


@pytest.fixture
def terminal(monkeypatch: pytest.MonkeyPatch) -> Iterator[Callable[[str], None]]:
    """Standard input from a real pseudo-terminal; the function types lines into it."""
    master, slave = os.openpty()
    stdin = os.fdopen(slave, "r")
    monkeypatch.setattr("sys.stdin", stdin)

    def typing(text: str) -> None:
        os.write(master, text.encode())

    yield typing
    stdin.close()
    os.close(master)


def test_init_in_a_terminal_asks_until_an_answer_links_you(
    cli: Any, tmp_path: Path, terminal: Callable[[str], None]
) -> None:
    db = tmp_path / "new.db"
    terminal("Ana Lopez <ana@example\nAna Lopez <ana@example.org>\n")
    done = cli("init", db=db)
    assert done.status == 0
    prompt = "Who are you? 'Name <email>', for the invites you send (Enter skips): "
    assert done.err == (
        f"{prompt}docket: me: expected 'Name <email>', such as 'Ana Lopez <ana@example.org>', "
        f"got 'Ana Lopez <ana@example'\n{prompt}"
    )
    assert done.out.splitlines()[-1] == (
        f"you ({ME}) are Ana Lopez <ana@example.org> (#1), added to the people"
    )
    assert _linked(db) == ("Ana Lopez", "ana@example.org", "staff")


def test_enter_at_the_question_skips_it(
    cli: Any, tmp_path: Path, terminal: Callable[[str], None]
) -> None:
    db = tmp_path / "new.db"
    terminal("\n")
    done = cli("init", db=db)
    assert done.status == 0
    assert done.err.startswith("Who are you?")
    assert "stands for nobody yet" in done.out
    assert _linked(db) is None and _people(db) == 0


# --- docket user add|edit --person ---------------------------------------------------------


def test_user_add_person_links_another_account_and_edit_changes_it(
    cli: Any, tmp_path: Path
) -> None:
    db = tmp_path / "office.db"
    assert cli("init", db=db).status == 0
    added = cli(
        "user", "add", "nobody", "--role", "editor", "--person", "Bo Chen <bo@example.org>", db=db
    )
    assert added.status == 0, added.err
    assert added.out == (
        "nobody is now editor\n"
        "nobody stands for Bo Chen <bo@example.org> (#1), added to the people\n"
    )
    assert _linked(db, "nobody") == ("Bo Chen", "bo@example.org", "staff")
    assert cli("person", "add", "Cy Diaz", "--email", "cy@example.org", db=db).status == 0
    moved = cli("user", "edit", "nobody", "--person", "cy diaz", db=db)
    assert moved.out == "nobody stands for Cy Diaz <cy@example.org> (#2)\n"
    assert _linked(db, "nobody") == ("Cy Diaz", "cy@example.org", "staff")
    unlinked = cli("user", "edit", "nobody", "--person", "", db=db)
    assert unlinked.out == "nobody stands for nobody now\n"
    assert _linked(db, "nobody") is None
    assert "nobody   editor" in cli("user", "list", db=db).out
    nothing = cli("user", "edit", "nobody", db=db)
    assert (nothing.status, nothing.err) == (
        2,
        "docket: edit: nothing to change; give at least one of --role, --person\n",
    )


def test_unlinking_forgets_the_person_init_added_for_the_account(cli: Any, tmp_path: Path) -> None:
    db = tmp_path / "office.db"
    assert cli("init", "--me", "Ana Lopez <ana@example.org>", db=db).status == 0
    assert cli("user", "edit", ME, "--person", "", db=db).status == 0
    connect(db)
    assert person_for_account(ME) is None


def test_an_editor_says_who_they_are_but_not_who_others_are(cli: Any, tmp_path: Path) -> None:
    db = tmp_path / "office.db"
    assert cli("init", db=db).status == 0
    assert cli("user", "add", "nobody", "--role", "viewer", db=db).status == 0
    assert cli("user", "add", ME, "--role", "editor", db=db).status == 0
    mine = cli("user", "edit", ME, "--person", "Ana Lopez <ana@example.org>", db=db)
    assert mine.status == 0, mine.err
    theirs = cli("user", "edit", "nobody", "--person", "Ana Lopez", db=db)
    assert (theirs.status, theirs.err) == (
        1,
        f"docket: only an admin can do this; your account {ME} is editor\n",
    )
    promoted = cli("user", "edit", ME, "--role", "admin", db=db)
    assert promoted.status == 1
    assert _linked(db, "nobody") is None


def test_an_unknown_account_is_refused(cli: Any, tmp_path: Path) -> None:
    db = tmp_path / "office.db"
    assert cli("init", db=db).status == 0
    refused = cli("user", "edit", "no-such-account-here", "--person", "Ana", db=db)
    assert (refused.status, refused.err) == (
        2,
        "docket: account: no Unix account 'no-such-account-here' on this host\n",
    )


# --- the organizer of a new meeting ------------------------------------------------------


def _office(cli: Any, db: Path, *init: str) -> None:
    assert cli("init", *init, db=db).status == 0
    assert cli("program", "add", "ERP", "ERP rollout", db=db).status == 0
    assert cli("person", "add", "Cy Diaz", "--email", "cy@example.org", db=db).status == 0


def test_a_new_meeting_is_organized_by_you(cli: Any, tmp_path: Path) -> None:
    db = tmp_path / "office.db"
    _office(cli, db, "--me", "Ana Lopez <ana@example.org>")
    added = cli("meeting", "add", "Kickoff", "--start", "2026-12-01 10:00", db=db)
    assert (added.status, added.out, added.err) == (0, "1\n", "")
    connect(db)
    meeting = Meeting.get_by_id(1)
    assert (meeting.organizer.name, meeting.organizer.email) == ("Ana Lopez", "ana@example.org")


def test_a_meeting_without_an_organizer_email_is_saved_with_a_warning(
    cli: Any, tmp_path: Path
) -> None:
    db = tmp_path / "office.db"
    _office(cli, db)
    added = cli("meeting", "add", "Kickoff", "--start", "2026-12-01 10:00", db=db)
    assert (added.status, added.out) == (0, "1\n")
    assert added.err == (
        f"docket: warning: meeting 1 has no organizer: {ORGANIZER_NEEDED}; give it one with "
        "'docket meeting edit 1 --organizer WHO', or say who you are with: "
        f"docket user edit {ME} --person 'Name <email>'\n"
    )
    assert cli("person", "add", "Bo Chen", db=db).status == 0
    theirs = cli(
        "meeting", "add", "Review", "--start", "2026-12-02 10:00", "--organizer", "bo", db=db
    )
    assert theirs.status == 0
    assert theirs.err.startswith(
        f"docket: warning: meeting 2 has an organizer without an e-mail (Bo Chen): "
        f"{ORGANIZER_NEEDED}; "
    )
    given = cli("meeting", "add", "Sync", "--start", "2026-12-03 10:00", "--organizer", "cy", db=db)
    assert (given.status, given.err) == (0, "")


def test_the_first_invite_of_a_brand_new_office_works(cli: Any, tmp_path: Path) -> None:
    db = tmp_path / "office.db"
    _office(cli, db, "--me", "Ana Lopez <ana@example.org>")
    added = cli(
        "meeting", "add", "Kickoff", "--start", "2026-12-01 10:00", "--attendee", "cy", db=db
    )
    assert added.status == 0
    out = tmp_path / "kickoff.ics"
    sent = cli("invite", "1", "-o", str(out), db=db)
    assert sent.status == 0, sent.err
    event = icalendar.Calendar.from_ical(out.read_bytes()).walk("VEVENT")[0]
    assert str(event["ORGANIZER"]) == "mailto:ana@example.org"
    assert event["ORGANIZER"].params["CN"] == "Ana Lopez"
    attendees = sorted(str(a) for a in event["ATTENDEE"])
    assert attendees == ["mailto:ana@example.org", "mailto:cy@example.org"]


# --- the app's meeting form ----------------------------------------------------------------


def _program(db_path: Path, ctx: Context) -> None:
    add_program(ctx, "ERP", "ERP rollout")
    add_person(ctx, "Cy Diaz", email="cy@example.org")


async def _new_meeting_form(app: DocketApp) -> Any:
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("3")
        await settle(pilot)
        await pilot.press("a")
        await settle(pilot)
        form = pilot.app.screen
        assert isinstance(form, RecordForm)
        value = form.query_one("#field-organizer", Input).value
        hint = shown(form.query_one("#hint-organizer", Static))
        form.set_values({"title": "Kickoff", "start": "2026-12-01 10:00"})
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not pilot.app.screen.is_modal
    return value, hint


async def test_the_meeting_form_starts_with_you_as_organizer(
    db_path: Path, ctx: Context, make_app: MakeApp
) -> None:
    _program(db_path, ctx)
    link_me(ctx, "Ana Lopez <ana@example.org>")
    database.close()
    value, hint = await _new_meeting_form(make_app(db_path))
    assert value == "ana@example.org"
    assert hint == "→ Ana Lopez <ana@example.org>"
    connect(db_path)
    made = Meeting.get(Meeting.title == "Kickoff")
    assert made.organizer.email == "ana@example.org"
    assert UserAccount.get(UserAccount.account == ACTOR).person.id == made.organizer.id


async def test_the_meeting_form_says_when_invites_will_lack_an_organizer(
    db_path: Path, ctx: Context, make_app: MakeApp
) -> None:
    _program(db_path, ctx)
    database.close()
    value, hint = await _new_meeting_form(make_app(db_path))
    assert value == ""
    assert hint == (
        f"→ no organizer: {ORGANIZER_NEEDED}; type one, or say who you are with: "
        f"docket user edit {ACTOR} --person 'Name <email>'"
    )
    connect(db_path)
    made = Meeting.get(Meeting.title == "Kickoff")
    assert made.__data__["organizer"] is None
    assert Person.select().count() == 1
