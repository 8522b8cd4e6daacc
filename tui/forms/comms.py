"""The forms that add and edit a communications plan item (keys ``a`` and ``e`` on key 5).

They collect what was typed and call ``docket.models.comms.plan.add_item`` and ``update_item``
on the database thread, the same operations as ``docket comms add|edit``; every rule (what
a cadence may be, who the owner and the audience are) is there. The audience is typed on
one line, groups and people separated by commas; an edit adds and removes the difference.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import TYPE_CHECKING, Any

from docket.models.comms import plan as comms
from docket.models.comms.audience import audience_of, describe_audience
from docket.models.comms.cadence import cadence_of, cadence_words
from docket.models.comms.plan import ItemValues
from docket.models.core.context import Context
from docket.models.core.dates import parse_date
from docket.models.core.lookup import fold
from docket.models.core.schema import CHANNELS, DIGEST_KINDS
from docket.tui.forms.actions import date_check, person_lookup, program_lookup
from docket.tui.forms.base import EditForm, Field, RecordForm, Revision

if TYPE_CHECKING:
    from docket.tui.app import DocketApp

# the digest choice for an item that sends none
NO_DIGEST = "none"
YES_NO = ("yes", "no")


def cadence_check(ctx: Context, starts: date | None = None) -> Any:
    """A form check that says a typed cadence as a person would: ``every week on Fri``."""

    def check(typed: str) -> str:
        return cadence_words(cadence_of(ctx, typed, starts or ctx.today()))

    return check


def audience_lookup(typed: str) -> str:
    """A form look-up that says who each typed group or person is."""
    return describe_audience(audience_of(typed))


def item_fields(ctx: Context, given: ItemValues | None, program: str | None) -> list[Field]:
    """The fields of a plan item form, filled from ``given`` (``item_values``) when editing."""
    item: Mapping[str, Any] = given or {}
    starts = date.fromisoformat(item["starts"]) if item.get("starts") else None
    fields = [
        Field("name", "Name", item.get("name", ""), placeholder="ERP: weekly status e-mail"),
        Field(
            "program",
            "Program",
            item.get("program") or program or "",
            placeholder="code, e.g. ERP",
            lookup=program_lookup,
        ),
        Field("channel", "Channel", item.get("channel", "e-mail"), "choice", CHANNELS),
        Field(
            "cadence",
            "Cadence",
            item.get("cadence", ""),
            placeholder="weekly on fri, monthly on the 1st mon, or a date for a one-off",
            check=cadence_check(ctx, starts),
        ),
        Field(
            "starts",
            "Starts",
            item.get("starts", ""),
            placeholder="the first day it counts from; blank: today",
            check=date_check(ctx, "starts"),
        ),
        Field(
            "owner",
            "Owner",
            item.get("owner", ""),
            placeholder="name, e-mail or account; blank: nobody",
            lookup=person_lookup("owner"),
        ),
        Field(
            "digest",
            "Digest",
            item.get("digest") or NO_DIGEST,
            "choice",
            (NO_DIGEST, *DIGEST_KINDS),
        ),
        Field(
            "audience",
            "Audience",
            ", ".join(item.get("audience", [])),
            placeholder="groups and people, separated by commas",
            lookup=audience_lookup,
        ),
    ]
    if item:
        fields.append(
            Field("active", "Active", "yes" if item.get("active", True) else "no", "choice", YES_NO)
        )
    fields.append(Field("purpose", "Purpose", item.get("purpose", ""), "multiline"))
    return fields


def _starts(ctx: Context, typed: str) -> date | None:
    text = typed.strip()
    return parse_date(text, ctx.today(), field="starts", day_first=ctx.day_first) if text else None


def add_form(app: DocketApp) -> RecordForm:
    """The form that adds a plan item; dismisses with the new item's id."""
    ctx = app.ctx

    def save(values: dict[str, str]) -> int:
        digest = values["digest"]
        item = comms.add_item(
            ctx,
            values["name"],
            program=values["program"],
            cadence=values["cadence"],
            channel=values["channel"] or "e-mail",
            audience=audience_of(values["audience"]),
            purpose=values["purpose"],
            owner=values["owner"].strip() or None,
            digest=None if digest in ("", NO_DIGEST) else digest,
            starts=_starts(ctx, values["starts"]),
        )
        return int(item.id)

    return RecordForm("New plan item", item_fields(ctx, None, app.program), save)


def audience_changes(before: str, after: str) -> tuple[list[str], list[str]]:
    """The audience entries added and removed between two typed lines (without case or
    accents, so retyping a name differently changes nothing)."""
    old, new = audience_of(before), audience_of(after)
    old_keys, new_keys = {fold(e) for e in old}, {fold(e) for e in new}
    return [e for e in new if fold(e) not in old_keys], [e for e in old if fold(e) not in new_keys]


def edit_form(app: DocketApp, item: ItemValues) -> EditForm:
    """The form that edits a plan item read at ``item['version']``; only the fields changed
    are saved, and a save refused as stale shows theirs and yours."""
    ctx = app.ctx
    item_id = int(item["id"])
    fields = item_fields(ctx, item, None)
    audience_before = next(f.value for f in fields if f.name == "audience")

    def save(changes: dict[str, str], version: int) -> int:
        values: dict[str, Any] = {}
        for name, typed in changes.items():
            if name == "audience":
                continue
            if name == "digest":
                values["digest"] = "" if typed == NO_DIGEST else typed
            elif name == "active":
                values["active"] = typed == "yes"
            elif name == "starts":
                values["starts"] = _starts(ctx, typed) or ctx.today()
            else:
                values[name] = typed.strip() if name == "owner" else typed
        added, removed = audience_changes(audience_before, changes.get("audience", audience_before))
        comms.update_item(
            ctx, item_id, version, add_audience=added, remove_audience=removed, **values
        )
        return item_id

    def reread() -> Revision:
        now = comms.item_values(item_id)
        return Revision({f.name: f.value for f in item_fields(ctx, now, None)}, int(now["version"]))

    return EditForm(f"Edit plan item #{item_id}", fields, int(item["version"]), save, reread)


def edit_item(app: DocketApp, item_id: int) -> None:
    """Read a plan item afresh and open its edit form; a save reloads the screens."""

    async def run() -> None:
        item = await app.store.run(comms.item_values, item_id)

        def saved(result: Any) -> None:
            if result is not None:
                app.changed()
                app.notify(f"Plan item #{item_id} saved", markup=False)

        app.push_screen(edit_form(app, item), saved)

    app.run_worker(run(), group="detail", exit_on_error=False)
