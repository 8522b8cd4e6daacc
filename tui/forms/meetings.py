"""The meeting screen's dialogs: one occurrence in detail (attendees, agenda with carried
actions, minutes, actions raised, who holds which invite), the forms that write minutes,
raise an action, set an agenda, move an occurrence, create and edit a meeting with a preview
of its next occurrences, and exporting or sending the invite.

Every form calls the domain operations of ``docket.models.meetings.series`` (and
``docket.exports.mail.invite_mail``) on the database thread; the rules live there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.binding import Binding
from textual.widgets import Input, Static

from docket.models.accounts.users import (
    ORGANIZER_NEEDED,
    link_later,
    organizer_gap,
    person_for_account,
)
from docket.models.core.context import Context
from docket.models.meetings import series as meetings
from docket.models.meetings.views import check_preview, occurrence_detail
from docket.models.people.directory import find_person
from docket.tui.forms.actions import date_check, person_lookup, program_lookup
from docket.tui.forms.base import EditForm, Field, RecordForm, Revision
from docket.tui.store import store_of
from docket.tui.widgets.dialogs import ConfirmDialog, RecordDetail, summary_table
from docket.tui.widgets.rows import ALERT, STATE_STYLES, occurrence_state
from docket.tui.widgets.text import lines, plain

if TYPE_CHECKING:
    from docket.models.core.schema import Person
    from docket.tui.app import DocketApp

RESPONSE_STYLES = {"accepted": "green", "declined": "red", "tentative": "yellow"}


def _original(detail: dict[str, Any]) -> datetime:
    return datetime.fromisoformat(detail["occurrence"]["occurrence"].replace("Z", "+00:00"))


def _when(occurrence: dict[str, Any]) -> str:
    start = datetime.fromisoformat(occurrence["local_start"])
    return f"{start:%a %d %b %Y %H:%M}, {occurrence['duration_minutes']} min"


class OccurrenceDetail(RecordDetail):
    """One occurrence of a meeting and everything around it; dismisses with the action of
    the key pressed (``minutes``, ``action``, ...) or None."""

    BINDINGS = [
        Binding("escape,q", "close", "Close"),
        Binding("m", "choose('minutes')", "Minutes"),
        Binding("a", "choose('action')", "Action"),
        Binding("d", "choose('decision')", "Decision"),
        Binding("g", "choose('agenda')", "Agenda"),
        Binding("e", "choose('edit')", "Edit"),
        Binding("v", "choose('move')", "Move"),
        Binding("x", "choose('cancel')", "Cancel"),
        Binding("r", "choose('restore')", "Restore"),
        Binding("i", "choose('export')", "Export"),
        Binding("s", "choose('send')", "Send"),
    ]

    def __init__(self, detail: dict[str, Any]) -> None:
        super().__init__()
        self.detail = detail

    def title_text(self) -> Text:
        return plain(f"#{self.detail['id']} {self.detail['title']}")

    def sections(self) -> Iterable[tuple[str, RenderableType]]:
        yield "Attendees", self._attendees()
        yield "Agenda", self._agenda()
        yield "Minutes", self._minutes()
        yield "Decided here", self._decisions()
        yield "Actions raised here", self._actions()
        if self.detail["invites"]:
            yield "Invites", self._invites()

    def keys_hint(self) -> str:
        state = occurrence_state(self.detail["occurrence"])
        cancel_or_restore = "r restore" if "cancelled" in state else "x cancel"
        return (
            "m minutes · a action · d decision · g agenda · e edit · v move · "
            f"{cancel_or_restore} · i export · s send"
        )

    def summary(self) -> Table:
        d, occurrence = self.detail, self.detail["occurrence"]
        when = _when(occurrence)
        if occurrence["timezone"] != occurrence.get("viewer_zone"):
            own = datetime.fromisoformat(occurrence["meeting_start"])
            when += f" (your time; {own:%H:%M} {occurrence['timezone']})"
        rows = [("When", plain(when))]
        state = occurrence_state(occurrence)
        if state:
            rows.append(("State", plain(state, style=STATE_STYLES.get(occurrence["status"], ""))))
        for label, value in (
            ("Repeats", d["repeat_words"] if d["repeat"] else "does not repeat"),
            ("Program", d["program"]),
            ("Where", occurrence["location"] or "(no room)"),
            ("Join", occurrence["link"]),
            ("Organizer", d["organizer"] or "nobody"),
        ):
            if value:
                rows.append((label, plain(value)))
        return summary_table(rows)

    def _attendees(self) -> Text:
        return _listing(
            self.detail["attendees"],
            "(nobody invited)",
            lambda a: (f"{a['name']} ({a['role']}) ", a["response"]),
            RESPONSE_STYLES,
            "dim",
        )

    def _agenda(self) -> Text:
        agenda = self.detail["agenda_of_occurrence"]
        text = lines(agenda["text"]) if agenda["text"].strip() else Text("(none)", style="dim")
        carried = agenda["carried_actions"]
        if carried:
            text.append("\nOpen actions from earlier meetings:\n", style="bold")
            text.append_text(
                _listing(
                    carried,
                    "",
                    lambda c: (
                        f"#{c['id']} {c['title']} · {c['owner'] or 'nobody'} · ",
                        f"{c['age_days']} days old",
                    ),
                    {},
                    "yellow",
                )
            )
        return text

    def _minutes(self) -> Text:
        minutes = self.detail["minutes"]
        if not any(minutes.values()):
            return Text("(not written; m to write them)", style="dim")
        text = Text()
        for key, label in (("notes", "Notes"), ("attendance", "Present")):
            if minutes[key].strip():
                text.append(f"{label}: ", style="bold")
                text.append_text(lines(minutes[key]))
                text.append("\n")
        text.rstrip()
        return text

    def _decisions(self) -> Text:
        return _listing(
            self.detail["decisions"],
            "(none; d to record one)",
            lambda d: (
                f"#{d['id']} {d['title']}",
                f" · {d['decided_by']}" if d["decided_by"] else "",
            ),
            {},
            "dim",
        )

    def _actions(self) -> Text:
        return _listing(
            self.detail["actions_raised"],
            "(none; a to raise one)",
            lambda a: (
                f"#{a['id']} {a['title']} · ",
                a["status"] + (f", due {a['due']}" if a["due"] else ""),
            ),
            {},
        )

    def _invites(self) -> Text:
        rows = self.detail["invites"]
        # refused in bold red (an alert, bold under NO_COLOR too): that address received
        # nothing; everything else not current in yellow
        styles = {"up to date": "green", **{r["state"]: ALERT for r in rows if r["refused"]}}
        return _listing(
            rows,
            "",
            lambda row: (f"{row['name']} <{row['email']}> ", row["state"]),
            styles,
            "yellow",
        )


def _listing(
    rows: list[dict[str, Any]],
    empty: str,
    line: Callable[[dict[str, Any]], tuple[str, str]],
    styles: dict[str, str],
    otherwise: str = "",
) -> Text:
    """Rows one per line: literal text, then a state word in its colour (``styles``, else
    ``otherwise``); ``empty`` (dim) when there are none."""
    if not rows:
        return Text(empty, style="dim")
    text = Text()
    for i, row in enumerate(rows):
        words, state = line(row)
        text.append("\n" if i else "")
        text.append_text(plain(words))
        text.append_text(plain(state, style=styles.get(state, otherwise)))
    return text


# --- opening an occurrence and acting on it -------------------------------------------


def load_occurrence(ctx: Context, meeting_id: int, original: datetime) -> dict[str, Any]:
    """An occurrence's detail, with the viewer's zone (database thread)."""
    detail = occurrence_detail(ctx, meeting_id, original)
    detail["occurrence"]["viewer_zone"] = getattr(ctx.tz, "key", None)
    return detail


def open_occurrence(app: DocketApp, meeting_id: int, original: datetime) -> None:
    """Show one occurrence; its keys write minutes, raise actions, move or cancel it, edit
    the meeting, or export and send the invite. After each, the detail shows again."""
    app.run_worker(_open(app, meeting_id, original), group="detail", exit_on_error=False)


async def _open(app: DocketApp, meeting_id: int, original: datetime) -> None:
    detail = await app.store.run(load_occurrence, app.ctx, meeting_id, original)

    def chosen(what: str | None) -> None:
        if what is not None:
            act(app, detail, what)

    app.push_screen(OccurrenceDetail(detail), chosen)


def act(app: DocketApp, detail: dict[str, Any], what: str, *, reopen: bool = True) -> None:
    """Do what a key of the detail (or of the meeting list) asks for this occurrence; from
    the detail, the detail shows again afterwards."""
    meeting_id, original = int(detail["id"]), _original(detail)

    def again(result: Any) -> None:
        if result is not None:
            app.changed()
        if reopen:
            open_occurrence(app, meeting_id, original)

    if what in ("cancel", "restore"):
        ask_cancel_or_restore(app, detail, what, again)
    elif what == "send":
        ask_send(app, detail, again)
    else:
        forms = {
            "minutes": minutes_form,
            "action": action_form,
            "decision": decision_form,
            "agenda": agenda_form,
            "move": move_form,
            "export": export_form,
            "edit": edit_form,
        }
        app.push_screen(forms[what](app, detail), again)


def minutes_form(app: DocketApp, detail: dict[str, Any]) -> RecordForm:
    """Write the minutes of the occurrence: notes and who was there (what it decided is
    recorded one decision at a time, with ``d``)."""
    ctx, meeting_id, original = app.ctx, int(detail["id"]), _original(detail)
    minutes = detail["minutes"]
    fields = [
        Field("notes", "Notes", minutes["notes"], "multiline"),
        Field("attendance", "Present", minutes["attendance"], "multiline"),
    ]

    def save(values: dict[str, str]) -> int:
        written = meetings.save_minutes(ctx, meeting_id, original, **values)
        return int(written.id)

    title = f"Minutes: {detail['title']}, {_when(detail['occurrence'])}"
    return RecordForm(title, fields, save)


def action_form(app: DocketApp, detail: dict[str, Any]) -> RecordForm:
    """Raise an action item at the occurrence (it points back to it and is carried into
    the next agendas of the series while open)."""
    ctx, meeting_id, original = app.ctx, int(detail["id"]), _original(detail)
    fields = [
        Field("title", "Action", placeholder="what needs doing"),
        Field(
            "owner", "Owner", placeholder="name, e-mail or account", lookup=person_lookup("owner")
        ),
        Field("due", "Due", placeholder="fri, +3d, 2026-12-01", check=date_check(ctx, "due")),
    ]

    def save(values: dict[str, str]) -> int:
        item = meetings.add_action_from_minutes(
            ctx,
            meeting_id,
            original,
            values["title"],
            owner=values["owner"] or None,
            due=values["due"] or None,
        )
        return int(item.id)

    return RecordForm(f"New action from {detail['title']}", fields, save)


def decision_form(app: DocketApp, detail: dict[str, Any]) -> RecordForm:
    """Record a decision taken at the occurrence: it joins the program's decision log (the
    RAID screen) and the digests, pointing back to the meeting."""
    ctx, meeting_id, original = app.ctx, int(detail["id"]), _original(detail)
    fields = [
        Field("title", "Decision", placeholder="what was decided"),
        Field("rationale", "Why", kind="multiline"),
        Field(
            "decided_by",
            "Decided by",
            # "Name <e-mail>": the one person, even where another has the same name
            f"{detail['organizer']} <{detail['organizer_email']}>"
            if detail.get("organizer_email")
            else detail["organizer"] or "",
            lookup=person_lookup("decided by"),
        ),
    ]

    def save(values: dict[str, str]) -> int:
        made = meetings.add_decision_from_minutes(
            ctx,
            meeting_id,
            original,
            values["title"],
            rationale=values["rationale"],
            decided_by=values["decided_by"] or None,
        )
        return int(made.id)

    return RecordForm(f"Decision at {detail['title']}, {_when(detail['occurrence'])}", fields, save)


def agenda_form(app: DocketApp, detail: dict[str, Any]) -> RecordForm:
    """This occurrence's own agenda (the series' agenda until one is written)."""
    ctx, meeting_id, original = app.ctx, int(detail["id"]), _original(detail)
    text = detail["agenda_of_occurrence"]["text"]
    fields = [Field("agenda", "Agenda", text, "multiline")]

    def save(values: dict[str, str]) -> int:
        return int(meetings.set_agenda(ctx, meeting_id, original, values["agenda"]).id)

    return RecordForm(f"Agenda: {detail['title']}, {_when(detail['occurrence'])}", fields, save)


def move_form(app: DocketApp, detail: dict[str, Any]) -> RecordForm:
    """Move the occurrence (a single meeting moves whole); the invite's SEQUENCE rises."""
    ctx, meeting_id, original = app.ctx, int(detail["id"]), _original(detail)
    zone = detail["occurrence"]["timezone"]
    fields = [
        Field("to", "To", placeholder=f"15:00, or 2026-12-09 15:00 ({zone})"),
        Field("duration", "Duration", placeholder="blank keeps it; 45m, 1h30m"),
    ]

    def save(values: dict[str, str]) -> int:
        moved = meetings.move_occurrence(
            ctx, meeting_id, original, values["to"], duration=values["duration"] or None
        )
        return int(moved.meeting_id)

    return RecordForm(f"Move: {detail['title']}, {_when(detail['occurrence'])}", fields, save)


def export_form(app: DocketApp, detail: dict[str, Any]) -> RecordForm:
    """Write the invite as a calendar file (.ics) or an e-mail file (.eml) to send."""
    from docket.exports.mail.invite_mail import deliver_invite

    ctx, meeting_id = app.ctx, int(detail["id"])
    one = _one_occurrence(detail)
    fields = [
        Field(
            "file",
            "File",
            f"~/meeting-{meeting_id}.ics",
            placeholder=".ics for a calendar, .eml for an e-mail to send",
        )
    ]

    def save(values: dict[str, str]) -> str:
        path = Path(values["file"].strip())
        eml = path.suffix.lower() == ".eml"
        done = deliver_invite(
            ctx,
            meeting_id,
            app.mail_settings(),
            occurrence=one,
            ics=None if eml else path,
            eml=path if eml else None,
        )
        return "; ".join(done.done) or "nothing to write: no attendee has an e-mail address"

    return _Reporting(app, "Export the invite", fields, save)


def _one_occurrence(detail: dict[str, Any]) -> datetime | None:
    """The occurrence an invite is about: this one when it differs from the series (moved
    or cancelled), else the whole meeting."""
    occurrence = detail["occurrence"]
    if detail["repeat"] and (occurrence["moved"] or occurrence["status"] == "cancelled"):
        return _original(detail)
    return None


class _Reporting(RecordForm):
    """A form whose save returns a line to tell the user (shown as a notification)."""

    def __init__(self, app: DocketApp, title: str, fields: list[Field], save: Any) -> None:
        super().__init__(title, fields, save)
        self.docket_app = app

    def dismiss(self, result: Any = None) -> Any:
        if isinstance(result, str):
            self.docket_app.notify(result, markup=False)
        return super().dismiss(result)


def ask_send(app: DocketApp, detail: dict[str, Any], then: Any) -> None:
    """Ask, then send the invite by SMTP to every attendee with an e-mail address."""
    from docket.exports.mail.invite_mail import deliver_invite

    ctx, meeting_id = app.ctx, int(detail["id"])
    count = sum(1 for a in detail["attendees"] if a["email"])

    async def send() -> None:
        done = await app.store.run(
            deliver_invite,
            ctx,
            meeting_id,
            app.mail_settings(),
            occurrence=_one_occurrence(detail),
            send=True,
        )
        app.notify("; ".join(done.done) or "nobody to send to", markup=False)
        if done.refused:
            app.notify("\n".join(done.refusals()), severity="error", markup=False)
        then(done)

    def answered(yes: bool | None) -> None:
        if yes:
            app.run_worker(send(), group="write", exit_on_error=False)

    question = f"Send the invite for {detail['title']} to {count} attendee(s) by e-mail?"
    app.push_screen(ConfirmDialog(question), answered)


def ask_cancel_or_restore(app: DocketApp, detail: dict[str, Any], what: str, then: Any) -> None:
    """Ask, then cancel (or restore) this occurrence, or the meeting when it is single."""
    ctx, meeting_id, original = app.ctx, int(detail["id"]), _original(detail)
    series = bool(detail["repeat"])
    when = _when(detail["occurrence"])

    def change() -> int:
        if what == "cancel":
            if series:
                meetings.cancel_occurrence(ctx, meeting_id, original)
            else:
                meetings.cancel_meeting(ctx, meeting_id)
        elif series:
            meetings.restore_occurrence(ctx, meeting_id, original)
        else:
            meetings.restore_meeting(ctx, meeting_id)
        return meeting_id

    async def run() -> None:
        then(await app.store.run(change))
        app.notify(f"{detail['title']}, {when}: {what}d (send the invite to tell them)")

    def answered(yes: bool | None) -> None:
        if yes:
            app.run_worker(run(), group="write", exit_on_error=False)

    which = "this occurrence of" if series else "the meeting"
    verb = "Cancel" if what == "cancel" else "Restore"
    app.push_screen(ConfirmDialog(f"{verb} {which} {detail['title']} ({when})?"), answered)


# --- creating and editing a meeting ---------------------------------------------------


def meeting_fields(ctx: Context, detail: dict[str, Any] | None, program: str | None) -> list[Field]:
    """The fields of a meeting form, filled from a meeting's detail when editing; creating
    adds the attendees and groups to invite."""
    d = detail or {}
    zone = d.get("timezone") or getattr(ctx.tz, "key", "") or "UTC"
    fields = [
        Field("program", "Program", d.get("program") or program or "", lookup=program_lookup),
        Field("title", "Title", d.get("title", ""), placeholder="e.g. ERP steering committee"),
        Field(
            "start",
            "Start",
            d.get("meeting_start", ""),
            placeholder="next tue 10:00, 2026-12-01 09:30 (in its zone)",
        ),
        Field("duration", "Duration", str(d.get("duration_minutes", "60")) + "m"),
        Field("timezone", "Zone", zone, placeholder="Area/City, e.g. Europe/Berlin"),
        Field(
            "repeat",
            "Repeats",
            d.get("repeat", ""),
            placeholder="weekly on tue until 2027-06-30, FREQ=WEEKLY;COUNT=8 (blank: once)",
        ),
        Field(
            "organizer",
            "Organizer",
            d.get("organizer_email") or d.get("organizer") or "",
            placeholder="name, e-mail or account" + (" (blank: you)" if detail is None else ""),
            lookup=organizer_lookup(ctx, blank_is_you=detail is None),
            lookup_blank=True,
        ),
    ]
    if detail is None:
        fields += [
            Field("attendees", "Invite", placeholder="bo, cy:optional (names, e-mails)"),
            Field("groups", "Groups", placeholder="ERP steering committee, ..."),
        ]
    fields += [
        Field("location", "Where", d.get("location", ""), placeholder="room"),
        Field("link", "Link", d.get("link", ""), placeholder="https://..."),
        Field("agenda", "Agenda", d.get("agenda", ""), "multiline"),
    ]
    return fields


def organizer_lookup(ctx: Context, *, blank_is_you: bool) -> Callable[[str], str]:
    """A form look-up for a meeting's organizer: who it is (blank: you, when creating), and
    what invites will need when there is nobody or nobody with an e-mail, as
    ``docket meeting add`` warns."""

    def lookup(typed: str) -> str:
        person: Person | None = None
        if typed.strip():
            person = find_person(typed, field="organizer")
        elif blank_is_you:
            person = person_for_account(ctx.actor)
        said = f"{person.name}" + (f" <{person.email}>" if person.email else "") if person else ""
        gap = organizer_gap(person)
        if gap is None:
            return said
        advice = f"type one, or say who you are with: {link_later(ctx.actor)}"
        return f"{said + ': ' if said else ''}{gap}: {ORGANIZER_NEEDED}; {advice}"

    return lookup


def _names(typed: str) -> list[str]:
    return [part.strip() for part in typed.split(",") if part.strip()]


class _Previewing:
    """For meeting forms: under the fields, the next occurrences in the meeting's zone and
    yours, and a warning when the series crosses a daylight-saving change."""

    ctx: Context

    def mount_preview(self) -> None:
        form: Any = self
        # under the repeat rule that drives it, inside the fields' scroll
        preview = Static("", id="preview", classes="series-preview")
        form.query_one(".fields").mount(preview, after="#hint-repeat")
        self.show_preview()

    def show_preview(self) -> None:
        form: Any = self
        found = check_preview(self.ctx, form.values())
        preview = form.query_one("#preview", Static)
        preview.update(preview_text(found))


def preview_text(found: dict[str, Any]) -> Text:
    """The preview of a meeting being typed, as the form shows it."""
    if "error" in found:
        return Text(f"Preview: {found['error']}", style="dim")
    text = Text(f"Next ({found['repeat_words']}), {found['timezone']} → your time:", style="bold")
    for row in found["occurrences"]:
        text.append(f"\n  {row['meeting_zone']}  →  {row['local']}")
    if found["more"]:
        text.append(f"\n  … and {found['more']} more in the next two years", style="dim")
    for warning in found["warnings"]:
        text.append(f"\n⚠ {warning}", style="yellow")
    return text


class MeetingForm(_Previewing, RecordForm):
    """The form that creates a meeting or series, with its preview."""

    def __init__(self, ctx: Context, title: str, fields: list[Field], save: Any) -> None:
        super().__init__(title, fields, save)
        self.ctx = ctx

    def on_mount(self) -> None:
        self.mount_preview()
        self.run_worker(self._fill_organizer(), group="organizer", exit_on_error=False)

    async def _fill_organizer(self) -> None:
        """The organizer defaults to the person your account stands for (left as it is
        when something was typed there meanwhile)."""
        you = await store_of(self.app).run(person_for_account, self.ctx.actor)
        field = self.query_one("#field-organizer", Input)
        if you is not None and not field.value:
            field.value = you.email or you.name

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id in ("field-start", "field-timezone", "field-repeat"):
            self.show_preview()


class MeetingEditForm(_Previewing, EditForm):
    """The form that edits a meeting (the whole series), with its preview."""

    def __init__(self, ctx: Context, *args: Any) -> None:
        super().__init__(*args)
        self.ctx = ctx

    def on_mount(self) -> None:
        self.mount_preview()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id in ("field-start", "field-timezone", "field-repeat"):
            self.show_preview()


def add_form(app: DocketApp) -> MeetingForm:
    """The form that creates a meeting; dismisses with its id."""
    ctx = app.ctx

    def save(values: dict[str, str]) -> int:
        meeting = meetings.add_meeting(
            ctx,
            values["title"],
            start=values["start"],
            duration=values["duration"] or 60,
            timezone=values["timezone"] or None,
            repeat=values["repeat"] or None,
            attendees=_names(values["attendees"]),
            groups=_names(values["groups"]),
            program=values["program"] or None,
            location=values["location"],
            link=values["link"],
            organizer=values["organizer"] or None,
            agenda=values["agenda"],
        )
        return int(meeting.id)

    return MeetingForm(ctx, "New meeting", meeting_fields(ctx, None, app.program), save)


# form fields to the names update_meeting takes
_EDITED = {
    "program",
    "title",
    "start",
    "duration",
    "timezone",
    "repeat",
    "location",
    "link",
    "agenda",
    "organizer",
}


def edit_form(app: DocketApp, detail: dict[str, Any]) -> MeetingEditForm:
    """The form that edits the meeting (every occurrence); only changed fields are sent."""
    ctx, meeting_id = app.ctx, int(detail["id"])

    def save(changes: dict[str, str], version: int) -> int:
        values = {k: v for k, v in changes.items() if k in _EDITED}
        return int(meetings.update_meeting(ctx, meeting_id, version, **values).id)

    def reread() -> Revision:
        now = meetings.meeting_detail(meeting_id)
        return Revision(
            {f.name: f.value for f in meeting_fields(ctx, now, None)}, int(now["version"])
        )

    fields = meeting_fields(ctx, detail, None)
    title = f"Edit meeting #{meeting_id} (every occurrence)"
    return MeetingEditForm(ctx, title, fields, int(detail["version"]), save, reread)
