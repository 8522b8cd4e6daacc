"""The program form: a program's RAG status and note, objective, owner, name and parent,
as the weekly routine changes them. Reached with ``e`` on the program picker (``p``) or
"Edit a program" in the command palette; every rule is in ``docket.models.portfolio.programs``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from docket.models.core.schema import RAG
from docket.models.portfolio import programs
from docket.models.portfolio.programs import ProgramDetailFacts
from docket.tui.forms.actions import person_lookup, program_lookup
from docket.tui.forms.base import EditForm, Field, Revision

if TYPE_CHECKING:
    from docket.tui.app import DocketApp


def program_fields(row: ProgramDetailFacts) -> list[Field]:
    """The fields of the program form, filled from ``row`` (a program's detail)."""
    return [
        Field("rag", "RAG", str(row["rag"]), "choice", RAG),
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
        updated = programs.update_program(ctx, int(row["id"]), version, **changes)
        return str(updated.code)

    def reread() -> Revision:
        now = programs.program_detail(code)
        return Revision({f.name: f.value for f in program_fields(now)}, int(now["version"]))

    title = f"Edit program {code}: {row['name']}"
    return EditForm(title, program_fields(row), int(row["version"]), save, reread)
