"""Issues: problems the program has now, by severity, with an owner and a due day."""

from __future__ import annotations

from datetime import date
from typing import Any, TypedDict

from peewee import JOIN

from docket.models.actions.items import get_action
from docket.models.core import records
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.errors import ValidationError
from docket.models.core.inputs import choice, text
from docket.models.core.schema import (
    ISSUE_SEVERITIES,
    ISSUE_STATUSES,
    Issue,
    IssueLink,
    Person,
    Program,
)
from docket.models.governance.entries import entry_day, person_named
from docket.models.portfolio.programs import get_program, program_and_children


def add_issue(
    ctx: Context,
    title: str,
    *,
    program: str,
    severity: str = "medium",
    owner: str | None = None,
    due: str | None = None,
    description: str = "",
) -> Issue:
    values: dict[str, Any] = {
        "title": text("title", title),
        "severity": choice("severity", severity, ISSUE_SEVERITIES),
        "due": entry_day(ctx, "due", due),
        "description": text(
            "description", description, required=False, max_length=4000, multiline=True
        ),
    }
    with write():
        return records.create(
            ctx, Issue, program=get_program(program), owner=person_named(owner, "owner"), **values
        )


def update_issue(ctx: Context, issue_id: int, version: int | None = None, **changes: Any) -> Issue:
    known = {"title", "severity", "owner", "due", "status", "description", "link_action"}
    unknown = set(changes) - known
    if unknown:
        raise ValidationError(sorted(unknown)[0], "is not a field of an issue")
    with write():
        issue = records.get_current(Issue, issue_id, version)
        values: dict[str, Any] = {}
        if "title" in changes:
            values["title"] = text("title", changes["title"])
        if "severity" in changes:
            values["severity"] = choice("severity", changes["severity"], ISSUE_SEVERITIES)
        if "status" in changes:
            values["status"] = choice("status", changes["status"], ISSUE_STATUSES)
        if "due" in changes:
            values["due"] = entry_day(ctx, "due", changes["due"])
        if "description" in changes:
            values["description"] = text(
                "description",
                changes["description"],
                required=False,
                max_length=4000,
                multiline=True,
            )
        if "owner" in changes:
            values["owner"] = person_named(changes["owner"], "owner")
        updated = records.update(ctx, issue, issue.version, **values) if values else issue
        if changes.get("link_action"):
            records.create(
                ctx, IssueLink, issue=updated, action=get_action(int(changes["link_action"]))
            )
        return updated


def get_issue(issue_id: int) -> Issue:
    """One issue by id."""
    issue: Issue = records.get(Issue, issue_id)
    return issue


class IssueFacts(TypedDict):
    """One issue as plain data (``docket issue list --format json``)."""

    id: int
    program: str
    title: str
    severity: str
    owner: str | None
    due: str | None
    status: str
    # the risk it came from, when one occurred
    risk: int | None
    description: str
    version: int


def issue_facts(issue: Issue) -> IssueFacts:
    """One issue as plain data: its stable JSON form."""
    owner = issue.owner if issue.__data__.get("owner") else None
    return {
        "id": issue.id,
        "program": issue.program.code,
        "title": issue.title,
        "severity": issue.severity,
        "owner": owner.name if owner else None,
        "due": issue.due.isoformat() if issue.due else None,
        "status": issue.status,
        "risk": issue.__data__.get("risk"),
        "description": issue.description,
        "version": issue.version,
    }


def list_issues(program: str | None = None, status: str | None = None) -> list[Issue]:
    """Issues, most severe first, then by due day."""
    order = {s: i for i, s in enumerate(reversed(ISSUE_SEVERITIES))}
    query = (
        Issue.select(Issue, Program, Person).join(Program).join_from(Issue, Person, JOIN.LEFT_OUTER)
    )
    if program:
        query = query.where(Issue.program.in_(program_and_children(program)))
    if status:
        query = query.where(Issue.status == choice("status", status, ISSUE_STATUSES))
    return sorted(query, key=lambda i: (order[i.severity], i.due or date.max, i.id))
