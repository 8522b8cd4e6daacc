"""The forms and dialogs for people and groups: add and edit a person, add a group, add a
member, and the detail of a person or a group.

They collect what was typed and call the domain operations in ``docket.models.people.directory`` on
the database thread; every rule (a valid e-mail, a unique account, a known zone) is there.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text

from docket.models.core.clock import zone
from docket.models.core.context import Context
from docket.models.core.errors import ValidationError
from docket.models.core.lookup import words
from docket.models.core.schema import PERSON_KINDS, Person
from docket.models.people import directory as people
from docket.models.people.groups import add_group, add_members, groups_of
from docket.models.people.persons import add_person, merge_people, references, update_person
from docket.tui.forms.actions import person_lookup
from docket.tui.forms.base import EditForm, Field, RecordForm, Revision
from docket.tui.keys import GROUP_DETAIL_KEYS, PERSON_DETAIL_KEYS
from docket.tui.widgets.dialogs import RecordDetail, summary_table
from docket.tui.widgets.text import lines, plain

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


# a person's fields that may be left blank (not known)
OPTIONAL = ("email", "organization", "title", "phone", "timezone", "account")


def _typed(values: dict[str, str]) -> dict[str, str | None]:
    """A person's optional fields as typed; blank ones become None (not known)."""
    return {name: (values[name].strip() or None) for name in OPTIONAL}


def namesakes_question(name: str, besides: int | None = None) -> str | None:
    """What to ask before a person called ``name`` is saved while others have that name
    (database thread); None when nobody else has it."""
    if not name.strip():
        return None
    others = people.namesakes(name, besides=besides)
    if not others:
        return None
    listed = "\n".join(f"  {people.describe(p)}" for p in others[:5])
    more = f"\n  and {len(others) - 5} more" if len(others) > 5 else ""
    return (
        f"Someone called {name.strip()} is already in the directory:\n{listed}{more}\n\n"
        "Save another person of that name? (A duplicate of one of them can be merged into "
        "them later with M on the directory.)"
    )


def add_person_form(app: DocketApp) -> RecordForm:
    """The form that adds a person, asking first when the name is someone else's already;
    dismisses with the new person's id."""
    ctx = app.ctx

    def save(values: dict[str, str]) -> int:
        person = add_person(ctx, values["name"], kind=values["kind"] or "staff", **_typed(values))
        return int(person.id)

    def ask(values: dict[str, str]) -> str | None:
        return namesakes_question(values["name"])

    return RecordForm("New person", person_fields(ctx, None), save, ask=ask)


def merge_form(app: DocketApp, row: dict[str, Any]) -> RecordForm:
    """The form that merges the person ``row`` (a duplicate) into another, typed and looked
    up; asks first, saying what will happen. Dismisses with the merge's summary."""
    ctx, gone = app.ctx, f"#{row['id']}"

    def save(values: dict[str, str]) -> str:
        merged = merge_people(ctx, values["keep"], gone)
        moved = ", ".join(f"{r.what} ×{r.count}" for r in merged.moved) or "nothing to move"
        return f"Merged {merged.removed} into {people.describe(merged.kept)}: {moved}"

    def ask(values: dict[str, str]) -> str | None:
        keep = people.find_person(values["keep"], field="keep")
        lost = people.find_person(gone)
        used = references(lost.id)
        listed = ", ".join(f"{r.what} ×{r.count}" for r in used) or "nothing"
        return (
            f"Merge {people.describe(lost)} into {people.describe(keep)}?\n\n"
            f"What names the first moves to the second ({listed}), then the first is "
            "deleted. Each change is in the history."
        )

    field = Field(
        "keep",
        "Into",
        placeholder="the person to keep: name, e-mail or #id",
        lookup=person_lookup("keep"),
    )
    label = people_label(row)
    return RecordForm(f"Merge {label} (#{row['id']}) into…", [field], save, ask=ask)


def people_label(row: dict[str, Any]) -> str:
    """A person row as a title names them: the name, and the e-mail when there is one."""
    return f"{row['name']} <{row['email']}>" if row.get("email") else str(row["name"])


def edit_person_form(app: DocketApp, row: dict[str, Any]) -> EditForm:
    """The form that edits a person read at ``row['version']``, asking first when a new
    name is someone else's already; a save refused as stale shows theirs and yours (the
    conflict dialog). Dismisses with their id."""
    ctx = app.ctx

    def save(changes: dict[str, str], version: int) -> int:
        # only what was changed; blank optional fields become None (not known)
        values: dict[str, str | None] = {
            name: (value.strip() or None) if name in OPTIONAL else value
            for name, value in changes.items()
        }
        person = update_person(ctx, row["id"], version, **values)
        return int(person.id)

    def reread() -> Revision:
        now = person_row(people.find_person(int(row["id"])))
        return Revision({f.name: f.value for f in person_fields(ctx, now)}, int(now["version"]))

    def ask(values: dict[str, str]) -> str | None:
        if words(values["name"]) == words(str(row["name"])):
            return None
        return namesakes_question(values["name"], besides=int(row["id"]))

    title = f"Edit {row['name']} (#{row['id']})"
    return EditForm(title, person_fields(ctx, row), row["version"], save, reread, ask=ask)


def add_group_form(app: DocketApp) -> RecordForm:
    """The form that adds a group; dismisses with the new group's id."""
    ctx = app.ctx

    def save(values: dict[str, str]) -> int:
        group = add_group(ctx, values["name"], description=values["description"])
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
        return len(add_members(ctx, name, [values["member"]]))

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
    return person_row(person), [g.name for g in groups_of(person_id)]


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
    KEYS = PERSON_DETAIL_KEYS

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

    KEYS = GROUP_DETAIL_KEYS

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
