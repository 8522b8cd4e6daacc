"""The meeting screen's forms: write minutes, raise an action, record a decision, set an
agenda, move an occurrence, cancel or restore it, create and edit a meeting with a preview of
its next occurrences, and export or send the invite.

Every form calls the domain operations of :mod:`docket.models.meetings` (and
``docket.exports.mail.invite_mail``) on the database thread; the rules live there.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.widgets import Input, Static

from docket.models.accounts.users import (
    ORGANIZER_NEEDED,
    link_later,
    organizer_gap,
)
from docket.models.core.context import Context
from docket.models.meetings import series as meetings
from docket.models.meetings.changes import cancel_occurrence, move_occurrence, restore_occurrence
from docket.models.meetings.facts import MeetingDetailFacts, OccurrenceFacts, meeting_detail
from docket.models.meetings.minutes import (
    add_action_from_minutes,
    add_decision_from_minutes,
    save_minutes,
    set_agenda,
)
from docket.models.meetings.views import (
    OccurrenceDetailFacts,
    PreviewProblem,
    SeriesPreview,
    check_preview,
)
from docket.models.people.directory import find_person, person_for_account
from docket.tui.forms.actions import date_check, person_lookup, program_lookup
from docket.tui.forms.base import EditForm, Field, RecordForm, Revision
from docket.tui.store import store_of
from docket.tui.widgets.dialogs import ConfirmDialog

if TYPE_CHECKING:
    from docket.models.core.schema import Person
    from docket.tui.app import DocketApp


def original_of(detail: OccurrenceDetailFacts) -> datetime:
    return datetime.fromisoformat(detail["occurrence"]["occurrence"].replace("Z", "+00:00"))


def when_of(occurrence: OccurrenceFacts) -> str:
    start = datetime.fromisoformat(occurrence["local_start"])
    return f"{start:%a %d %b %Y %H:%M}, {occurrence['duration_minutes']} min"


def minutes_form(app: DocketApp, detail: OccurrenceDetailFacts) -> RecordForm:
    """Write the minutes of the occurrence: notes and who was there (what it decided is
    recorded one decision at a time, with ``d``)."""
    ctx, meeting_id, original = app.ctx, int(detail["id"]), original_of(detail)
    minutes = detail["minutes"]
    fields = [
        Field("notes", "Notes", minutes["notes"], "multiline"),
        Field("attendance", "Present", minutes["attendance"], "multiline"),
    ]

    def save(values: dict[str, str]) -> int:
        written = save_minutes(ctx, meeting_id, original, **values)
        return int(written.id)

    title = f"Minutes: {detail['title']}, {when_of(detail['occurrence'])}"
    return RecordForm(title, fields, save)


def action_form(app: DocketApp, detail: OccurrenceDetailFacts) -> RecordForm:
    """Raise an action item at the occurrence (it points back to it and is carried into
    the next agendas of the series while open)."""
    ctx, meeting_id, original = app.ctx, int(detail["id"]), original_of(detail)
    fields = [
        Field("title", "Action", placeholder="what needs doing"),
        Field(
            "owner", "Owner", placeholder="name, e-mail or account", lookup=person_lookup("owner")
        ),
        Field("due", "Due", placeholder="fri, +3d, 2026-12-01", check=date_check(ctx, "due")),
    ]

    def save(values: dict[str, str]) -> int:
        item = add_action_from_minutes(
            ctx,
            meeting_id,
            original,
            values["title"],
            owner=values["owner"] or None,
            due=values["due"] or None,
        )
        return int(item.id)

    return RecordForm(f"New action from {detail['title']}", fields, save)


def decision_form(app: DocketApp, detail: OccurrenceDetailFacts) -> RecordForm:
    """Record a decision taken at the occurrence: it joins the program's decision log (the
    RAID screen) and the digests, pointing back to the meeting."""
    ctx, meeting_id, original = app.ctx, int(detail["id"]), original_of(detail)
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
        made = add_decision_from_minutes(
            ctx,
            meeting_id,
            original,
            values["title"],
            rationale=values["rationale"],
            decided_by=values["decided_by"] or None,
        )
        return int(made.id)

    return RecordForm(
        f"Decision at {detail['title']}, {when_of(detail['occurrence'])}", fields, save
    )


def agenda_form(app: DocketApp, detail: OccurrenceDetailFacts) -> RecordForm:
    """This occurrence's own agenda (the series' agenda until one is written)."""
    ctx, meeting_id, original = app.ctx, int(detail["id"]), original_of(detail)
    text = detail["agenda_of_occurrence"]["text"]
    fields = [Field("agenda", "Agenda", text, "multiline")]

    def save(values: dict[str, str]) -> int:
        return int(set_agenda(ctx, meeting_id, original, values["agenda"]).id)

    return RecordForm(f"Agenda: {detail['title']}, {when_of(detail['occurrence'])}", fields, save)


def move_form(app: DocketApp, detail: OccurrenceDetailFacts) -> RecordForm:
    """Move the occurrence (a single meeting moves whole); the invite's SEQUENCE rises."""
    ctx, meeting_id, original = app.ctx, int(detail["id"]), original_of(detail)
    zone = detail["occurrence"]["timezone"]
    fields = [
        Field("to", "To", placeholder=f"15:00, or 2026-12-09 15:00 ({zone})"),
        Field("duration", "Duration", placeholder="blank keeps it; 45m, 1h30m"),
    ]

    def save(values: dict[str, str]) -> int:
        moved = move_occurrence(
            ctx, meeting_id, original, values["to"], duration=values["duration"] or None
        )
        return int(moved.meeting_id)

    return RecordForm(f"Move: {detail['title']}, {when_of(detail['occurrence'])}", fields, save)


def export_form(app: DocketApp, detail: OccurrenceDetailFacts) -> RecordForm:
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


def _one_occurrence(detail: OccurrenceDetailFacts) -> datetime | None:
    """The occurrence an invite is about: this one when it differs from the series (moved
    or cancelled), else the whole meeting."""
    occurrence = detail["occurrence"]
    if detail["repeat"] and (occurrence["moved"] or occurrence["status"] == "cancelled"):
        return original_of(detail)
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


def ask_send(app: DocketApp, detail: OccurrenceDetailFacts, then: Any) -> None:
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


def ask_cancel_or_restore(
    app: DocketApp, detail: OccurrenceDetailFacts, what: str, then: Any
) -> None:
    """Ask, then cancel (or restore) this occurrence, or the meeting when it is single."""
    ctx, meeting_id, original = app.ctx, int(detail["id"]), original_of(detail)
    series = bool(detail["repeat"])
    when = when_of(detail["occurrence"])

    def change() -> int:
        if what == "cancel":
            if series:
                cancel_occurrence(ctx, meeting_id, original)
            else:
                meetings.cancel_meeting(ctx, meeting_id)
        elif series:
            restore_occurrence(ctx, meeting_id, original)
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


def meeting_fields(
    ctx: Context, detail: MeetingDetailFacts | None, program: str | None
) -> list[Field]:
    """The fields of a meeting form, filled from a meeting's detail when editing; creating
    adds the attendees and groups to invite."""
    d: Mapping[str, Any] = detail or {}
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


def preview_text(found: SeriesPreview | PreviewProblem) -> Text:
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


def edit_form(app: DocketApp, detail: OccurrenceDetailFacts) -> MeetingEditForm:
    """The form that edits the meeting (every occurrence); only changed fields are sent."""
    ctx, meeting_id = app.ctx, int(detail["id"])

    def save(changes: dict[str, str], version: int) -> int:
        values = {k: v for k, v in changes.items() if k in _EDITED}
        return int(meetings.update_meeting(ctx, meeting_id, version, **values).id)

    def reread() -> Revision:
        now = meeting_detail(meeting_id)
        return Revision(
            {f.name: f.value for f in meeting_fields(ctx, now, None)}, int(now["version"])
        )

    fields = meeting_fields(ctx, detail, None)
    title = f"Edit meeting #{meeting_id} (every occurrence)"
    return MeetingEditForm(ctx, title, fields, int(detail["version"]), save, reread)
