"""The program form: a program's RAG status and note, objective, owner, name and parent,
as the weekly routine changes them. Reached with ``e`` on the program picker (``p``) or
"Edit a program" in the command palette; every rule is in ``docket.models.portfolio.programs``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docket.models.core.config import load_config
from docket.models.core.context import Context
from docket.models.core.schema import RAG
from docket.models.portfolio import evidence, programs
from docket.models.portfolio.programs import ProgramDetailFacts
from docket.tui.forms.actions import person_lookup, program_lookup
from docket.tui.forms.base import Check, EditForm, Field, Revision

if TYPE_CHECKING:
    from docket.tui.app import DocketApp


def evidence_lookup(ctx: Context, code: str) -> Check:
    """A look-up for the RAG field: the colour the program's evidence implies and its worst
    line, so that a colour better than it is given with a reason."""

    def look(_typed: str) -> str:
        facts = evidence.derived_status(code, ctx.today(), load_config())
        line = evidence.worst_line(facts)
        return f"evidence {facts['derived'].upper()}" + (f" ({line['fact']})" if line else "")

    return look


def program_fields(row: ProgramDetailFacts, ctx: Context | None = None) -> list[Field]:
    """The fields of the program form, filled from ``row`` (a program's detail); with
    ``ctx``, the RAG field shows the evidence's colour under it."""
    beside = evidence_lookup(ctx, str(row["code"])) if ctx is not None else None
    return [
        Field("rag", "RAG", str(row["rag"]), "choice", RAG, lookup=beside),
        Field("rag_note", "RAG note", str(row["rag_note"] or ""), kind="multiline"),
        Field("objective", "Objective", str(row["objective"] or ""), kind="multiline"),
        Field(
            "owner",
            "Owner",
            str(row["owner_label"] or ""),
            placeholder="name, e-mail or account; blank: nobody",
            lookup=person_lookup("owner"),
        ),
        Field("name", "Name", str(row["name"])),
        Field(
            "parent",
            "Parent",
            str(row["parent"] or ""),
            placeholder="code of the program above it; blank: none",
            lookup=program_lookup,
        ),
    ]


def edit_program_form(app: DocketApp, row: ProgramDetailFacts) -> EditForm:
    """The form that edits a program read at ``row['version']``; only the fields changed
    are sent, and a save refused as stale shows theirs and yours. Dismisses with the code."""
    ctx, code = app.ctx, str(row["code"])

    def save(changes: dict[str, str], version: int) -> str:
        # a RAG better than the evidence needs a reason (the config's thresholds): refused
        # on the RAG note field, what was typed kept
        config = load_config()
        updated = programs.update_program(ctx, int(row["id"]), version, config=config, **changes)
        return str(updated.code)

    def reread() -> Revision:
        now = programs.program_detail(code)
        return Revision({f.name: f.value for f in program_fields(now)}, int(now["version"]))

    title = f"Edit program {code}: {row['name']}"
    return EditForm(title, program_fields(row, ctx), int(row["version"]), save, reread)
