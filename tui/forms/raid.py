"""The RAID screen's forms: add a risk, an issue, a decision or a change request; edit a
risk, an issue or a decision; decide a change request.

Each form calls the domain operations of ``docket.models.governance`` on the database
thread; the rules (scores, change requests that move forward only) live there.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from docket.models.core.context import Context
from docket.models.core.schema import CHANGE_KINDS, ISSUE_SEVERITIES, ISSUE_STATUSES, RISK_STATUSES
from docket.models.governance.changes import NEXT_STATUS, add_change, decide_change
from docket.models.governance.decisions import (
    add_decision,
    decision_facts,
    get_decision,
    update_decision,
)
from docket.models.governance.issues import add_issue, get_issue, issue_facts, update_issue
from docket.models.governance.risks import add_risk, get_risk, risk_facts, update_risk
from docket.tui.forms.actions import date_check, person_lookup, program_lookup
from docket.tui.forms.base import EditForm, Field, RecordForm, Revision

if TYPE_CHECKING:
    from docket.tui.app import DocketApp

SCALE = ("1", "2", "3", "4", "5")
# a function giving a form's fields: (context, row being edited or {}, program in scope)
FieldMaker = Callable[[Context, Mapping[str, Any], str | None], list[Field]]
# free text: blank means blank, not "no value"
TEXTS = ("title", "cause", "effect", "mitigation", "contingency", "description")


def _program(row: Mapping[str, Any], program: str | None) -> list[Field]:
    if row:
        return []
    return [
        Field(
            "program",
            "Program",
            program or "",
            placeholder="code, e.g. ERP",
            lookup=program_lookup,
        )
    ]


def _person(name: str, label: str, value: str | None) -> Field:
    return Field(
        name,
        label,
        value or "",
        placeholder="name, e-mail or account",
        lookup=person_lookup(name.replace("_", " ")),
    )


def risk_fields(ctx: Context, row: Mapping[str, Any], program: str | None) -> list[Field]:
    """A risk's fields, filled from ``row`` when editing."""
    fields = [
        Field("title", "Title", row.get("title", ""), placeholder="what might happen"),
        *_program(row, program),
        Field("probability", "Likelihood", str(row.get("probability", 3)), "choice", SCALE),
        Field("impact", "Impact", str(row.get("impact", 3)), "choice", SCALE),
        _person("owner", "Owner", row.get("owner")),
        Field(
            "response_date",
            "Review by",
            row.get("response_date") or "",
            placeholder="the response date: fri, +2w, 2026-12-01",
            check=date_check(ctx, "response date"),
        ),
    ]
    if row:
        # occurred is its own step (docket risk occurred): it makes the issue
        live = tuple(s for s in RISK_STATUSES if s != "occurred")
        fields.append(Field("status", "Status", row["status"], "choice", live))
    # labels fit the form's ten columns; the fields keep the domain's names
    for name, label in (
        ("cause", "Cause"),
        ("effect", "Effect"),
        ("mitigation", "Mitigation"),
        ("contingency", "Fallback"),
    ):
        fields.append(Field(name, label, row.get(name, ""), "multiline"))
    return fields


def issue_fields(ctx: Context, row: Mapping[str, Any], program: str | None) -> list[Field]:
    """An issue's fields, filled from ``row`` when editing."""
    fields = [
        Field("title", "Title", row.get("title", ""), placeholder="what went wrong"),
        *_program(row, program),
        Field("severity", "Severity", row.get("severity", "medium"), "choice", ISSUE_SEVERITIES),
        _person("owner", "Owner", row.get("owner")),
        Field(
            "due",
            "Due",
            row.get("due") or "",
            placeholder="fri, +3d, 2026-12-01",
            check=date_check(ctx, "due"),
        ),
    ]
    if row:
        fields.append(Field("status", "Status", row["status"], "choice", ISSUE_STATUSES))
    fields.append(Field("description", "Details", row.get("description", ""), "multiline"))
    return fields


def decision_fields(ctx: Context, row: Mapping[str, Any], program: str | None) -> list[Field]:
    """A decision's fields, filled from ``row`` when editing (naming someone other than you
    as the one who decided records that you entered it)."""
    return [
        Field("title", "Decision", row.get("title", ""), placeholder="what was decided"),
        *_program(row, program),
        Field("rationale", "Why", row.get("rationale", ""), kind="multiline"),
        _person("decided_by", "Decided by", row.get("decided_by")),
        Field(
            "decided_on",
            "Decided on",
            row.get("decided_on", ""),
            placeholder="blank for today; mon, 2026-11-20",
            check=date_check(ctx, "decided on"),
        ),
    ]


def change_fields(ctx: Context, row: Mapping[str, Any], program: str | None) -> list[Field]:
    return [
        Field("title", "Change", placeholder="what would change"),
        *_program(row, program),
        Field("kind", "Kind", "schedule", "choice", CHANGE_KINDS),
        Field("reason", "Why", kind="multiline"),
        Field("impact_days", "Delay days", placeholder="schedule impact in days, e.g. 14"),
        Field("impact_amount", "Cost", placeholder="cost impact, e.g. 42000.00"),
        _person("requested_by", "Asked by", None),
    ]


def _blank_is_none(values: dict[str, str], keep: tuple[str, ...]) -> dict[str, Any]:
    """Form text as keyword arguments: blanks are None, except the free-text ``keep``."""
    return {name: value if name in keep or value else None for name, value in values.items()}


def add_form(app: DocketApp, tab: str) -> RecordForm:
    """The form that adds a record to one of the lists; dismisses with its id."""
    ctx, program = app.ctx, app.program
    makers: dict[str, tuple[str, Callable[..., Any], FieldMaker]] = {
        "risks": ("New risk", add_risk, risk_fields),
        "issues": ("New issue", add_issue, issue_fields),
        "decisions": ("New decision", add_decision, decision_fields),
        "changes": ("New change request", add_change, change_fields),
    }
    title, make, fields = makers[tab]

    def save(values: dict[str, str]) -> int:
        given = _blank_is_none(values, (*TEXTS, "program", "rationale", "reason"))
        named = given.pop("title")
        return int(make(ctx, named, **{k: v for k, v in given.items() if v is not None}).id)

    return RecordForm(title, fields(ctx, {}, program), save)


def edit_form(app: DocketApp, tab: str, row: Mapping[str, Any]) -> EditForm | RecordForm:
    """Edit a risk or an issue as the list read it (a stale save shows the conflict
    dialog); a change request is decided instead: approved, rejected or implemented."""
    ctx, record_id = app.ctx, int(row["id"])
    if tab == "changes":
        return decide_form(app, row)
    kinds: dict[str, tuple[Callable[[], Mapping[str, Any]], Callable[..., Any], FieldMaker]] = {
        "risks": (
            lambda: risk_facts(get_risk(record_id)),
            update_risk,
            risk_fields,
        ),
        "issues": (
            lambda: issue_facts(get_issue(record_id)),
            update_issue,
            issue_fields,
        ),
        "decisions": (
            lambda: decision_facts(get_decision(record_id)),
            update_decision,
            decision_fields,
        ),
    }
    reload, update, fields = kinds[tab]

    def save(changes: dict[str, str], version: int) -> int:
        given = _blank_is_none(changes, (*TEXTS, "rationale"))
        return int(update(ctx, record_id, version, **given).id)

    def reread() -> Revision:
        now = reload()
        return Revision({f.name: f.value for f in fields(ctx, now, None)}, int(now["version"]))

    noun = {"risks": "risk", "issues": "issue", "decisions": "decision"}[tab]
    return EditForm(
        f"Edit {noun} #{record_id}", fields(ctx, row, None), row["version"], save, reread
    )


def decide_form(app: DocketApp, row: Mapping[str, Any]) -> RecordForm:
    """Move a change request on (never back): approve or reject it, naming who decided,
    or mark an approved one implemented."""
    ctx, change_id = app.ctx, int(row["id"])
    steps = NEXT_STATUS[row["status"]] or (row["status"],)
    fields = [
        Field("status", "Becomes", steps[0], "choice", tuple(steps)),
        _person("approver", "Decided by", None),
    ]

    def save(values: dict[str, str]) -> int:
        decided = decide_change(
            ctx, change_id, values["status"], approver=values["approver"] or None
        )
        return int(decided.id)

    return RecordForm(f"Decide change request #{change_id} ({row['status']})", fields, save)
