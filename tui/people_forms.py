"""The forms and dialogs for people and groups: add and edit a person, add a group, add a
member, and the detail of a person or a group.

They collect what was typed and call the domain operations in ``docket.models.people`` on
the database thread; every rule (a valid e-mail, a unique account, a known zone) is there.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.binding import Binding

from docket.models import people
from docket.models.clock import zone
from docket.models.context import Context
from docket.models.errors import ValidationError
from docket.models.schema import PERSON_KINDS, Person
from docket.tui.action_forms import person_lookup
from docket.tui.dialogs import RecordDetail, summary_table
from docket.tui.forms import Field, RecordForm
from docket.tui.text import lines, plain

if TYPE_CHECKING:
    from docket.tui.app import DocketApp

# (field name, label) of a person as the detail shows them
PERSON_LABELS: tuple[tuple[str, str], ...] = (
    ("email", "E-mail"),
    ("organization", "Organization"),
    ("title", "Title"),
    ("phone", "Phone"),
    ("timezone", "Time zone"),
    ("kind", "Kind"),
    ("account", "Unix account"),
)


def person_row(person: Person) -> dict[str, Any]:
    """A person as plain data for the screen: their facts and the version read."""
    return {**people.person_facts(person), "version": person.version}


def zone_check(ctx: Context) -> Any:
    """A form check that shows a typed time zone is known, with its time now."""

    def check(typed: str) -> str:
        name = typed.strip()
        try:
            tz = zone(name)
        except OSError as exc:
            # a folder of zones ("America") is not one; clock.zone lets this through
            raise ValidationError(
                "timezone", f"expected an IANA zone such as Europe/Paris, got {name!r}"
            ) from exc
        there = ctx.now().astimezone(tz)
        offset = there.strftime("%z")
        return f"{name}: {there:%H:%M} there now (UTC{offset[:3]}:{offset[3:]})"

    return check


def person_fields(ctx: Context, row: dict[str, Any] | None) -> list[Field]:
    """The fields of a person form, filled from ``row`` when editing."""
    row = row or {}

    def value(name: str) -> str:
        return str(row.get(name) or "")

    return [
        Field("name", "Name", value("name"), placeholder="full name"),
        Field("email", "E-mail", value("email"), placeholder="name@example.org"),
        Field("organization", "Org.", value("organization"), placeholder="department or firm"),
        Field("title", "Title", value("title"), placeholder="job title"),
        Field("phone", "Phone", value("phone")),
        Field(
            "timezone",
            "Time zone",
            value("timezone"),
            placeholder="America/Chicago",
            check=zone_check(ctx),
        ),
        Field("kind", "Kind", value("kind") or "staff", "choice", PERSON_KINDS),
        Field("account", "Account", value("account"), placeholder="Unix account name"),
    ]


def _typed(values: dict[str, str]) -> dict[str, str | None]:
    """A person's fields as typed; blank ones become None (not known)."""
    return {
        name: (values[name].strip() or None)
        for name in ("email", "organization", "title", "phone", "timezone", "account")
    }


def add_person_form(app: DocketApp) -> RecordForm:
    """The form that adds a person; dismisses with the new person's id."""
    ctx = app.ctx

    def save(values: dict[str, str]) -> int:
        person = people.add_person(
            ctx, values["name"], kind=values["kind"] or "staff", **_typed(values)
        )
        return int(person.id)

    return RecordForm("New person", person_fields(ctx, None), save)


def edit_person_form(app: DocketApp, row: dict[str, Any]) -> RecordForm:
    """The form that edits a person read at ``row['version']``; dismisses with their id."""
    ctx = app.ctx

    def save(values: dict[str, str]) -> int:
        person = people.update_person(
            ctx,
            row["id"],
            row["version"],
            name=values["name"],
            kind=values["kind"],
            **_typed(values),
        )
        return int(person.id)

    return RecordForm(f"Edit {row['name']} (#{row['id']})", person_fields(ctx, row), save)


def add_group_form(app: DocketApp) -> RecordForm:
    """The form that adds a group; dismisses with the new group's id."""
    ctx = app.ctx

    def save(values: dict[str, str]) -> int:
        group = people.add_group(ctx, values["name"], description=values["description"])
        return int(group.id)

    fields = [
        Field("name", "Name", placeholder="e.g. ERP steering committee"),
        Field("description", "About", kind="multiline"),
    ]
    return RecordForm("New group", fields, save)


def add_member_form(app: DocketApp, group: dict[str, Any]) -> RecordForm:
    """The form that adds one person to a group, looked up as typed; dismisses with the
    number added (0 when they were in it already)."""
    ctx, name = app.ctx, group["name"]

    def save(values: dict[str, str]) -> int:
        return len(people.add_members(ctx, name, [values["member"]]))

    field = Field(
        "member",
        "Person",
        placeholder="name, e-mail, account or #id",
        lookup=person_lookup("member"),
    )
    return RecordForm(f"Add a member to {name}", [field], save)


def load_person(person_id: int) -> tuple[dict[str, Any], list[str]]:
    """A person's facts and the names of their groups (database thread)."""
    person = people.find_person(person_id)
    return person_row(person), [g.name for g in people.groups_of(person_id)]


class PersonDetail(RecordDetail):
    """One person: every field and the groups they are in; ``e`` edits."""

    DEFAULT_CSS = """
    PersonDetail VerticalScroll {
        height: auto;
        max-height: 20;
    }
    PersonDetail .heading {
        margin-top: 1;
    }
    """
    BINDINGS = [
        Binding("escape,q,enter", "close", "Close"),
        Binding("e", "choose('edit')", "Edit"),
    ]

    def __init__(self, facts: dict[str, Any], groups: list[str]) -> None:
        super().__init__(classes="dialog person-detail")
        self.facts = facts
        self.groups = groups

    def title_text(self) -> Text:
        return plain(f"#{self.facts['id']} {self.facts['name']}")

    def summary(self) -> Table:
        return summary_table(
            (label, plain(self.facts[name]) if self.facts[name] else Text("–", style="dim"))
            for name, label in PERSON_LABELS
        )

    def sections(self) -> Iterable[tuple[str, RenderableType]]:
        yield (
            f"Groups ({len(self.groups)})",
            (lines("\n".join(self.groups)) if self.groups else Text("(in no group)", style="dim")),
        )

    def keys_hint(self) -> str:
        return "e edit"


def members_table(rows: list[dict[str, Any]]) -> Table:
    """A group's members: name, e-mail and organization."""
    table = Table(box=None, show_header=True, header_style="bold", expand=True, padding=(0, 1))
    table.add_column("Name", no_wrap=True, ratio=2)
    table.add_column("E-mail", no_wrap=True, ratio=3)
    table.add_column("Organization", no_wrap=True, ratio=2)
    for row in rows:
        table.add_row(
            plain(row["name"]), plain(row["email"] or ""), plain(row["organization"] or "")
        )
    return table


class GroupDetail(RecordDetail):
    """One group: what it is for and who is in it; ``m`` adds a member."""

    BINDINGS = [
        Binding("escape,q,enter", "close", "Close"),
        Binding("m", "choose('member')", "Add member"),
    ]

    SUMMARY_CLASSES = "dialog-body"

    def __init__(self, group: dict[str, Any], members: list[dict[str, Any]]) -> None:
        super().__init__()
        self.group = group
        self.members = members

    def title_text(self) -> Text:
        return plain(self.group["name"])

    def summary(self) -> Text | None:
        description = self.group["description"]
        return lines(description) if description else None

    def sections(self) -> Iterable[tuple[str, RenderableType]]:
        yield (
            f"Members ({len(self.members)})",
            (members_table(self.members) if self.members else Text("(nobody yet)", style="dim")),
        )

    def keys_hint(self) -> str:
        return "m add member"
