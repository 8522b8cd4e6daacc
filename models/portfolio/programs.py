"""Programs: the portfolio's units of work; everything else belongs to one."""

from __future__ import annotations

import re
from typing import Any, TypedDict

from docket.models.core import records
from docket.models.core.config import Config
from docket.models.core.context import Context
from docket.models.core.database import write
from docket.models.core.errors import NotFoundError, ValidationError
from docket.models.core.inputs import choice, shown, text
from docket.models.core.lookup import exactly_one, name_matches, words
from docket.models.core.schema import RAG, Person, Program
from docket.models.people.directory import find_person, labels

_CODE = re.compile(r"[A-Z0-9]{2,12}")


def program_code(value: str | None) -> str:
    """A program code as stored: 2 to 12 letters or digits, upper case."""
    code = (value or "").strip().lstrip("#").upper()
    if not _CODE.fullmatch(code):
        raise ValidationError(
            "code", f"expected 2 to 12 letters or digits such as ERP, got {shown(value or '')}"
        )
    return code


def get_program(code: str) -> Program:
    """The program with this code; else the one program whose name ``code`` names (the
    starts of its words, accents and case aside). Several are refused with their codes, and
    none names the known codes."""
    cleaned = (code or "").strip().lstrip("#").upper()
    program = Program.get_or_none(Program.code == cleaned)
    if program is not None:
        return program
    wanted = words(code or "")
    named = [
        p
        for p in Program.select(Program.id, Program.code, Program.name).order_by(Program.code)
        if name_matches(wanted, p.name)
    ]
    if not named:
        from docket.models.audit.as_of import not_yet  # (imported only when not found)

        later = not_yet(Program, Program.code, cleaned)  # --as-of: a code created since
        if later is not None:
            raise later
        known = ", ".join(
            p.code for p in Program.select(Program.code).order_by(Program.code).limit(12)
        )
        hint = f"; known programs: {known}" if known else "; there are no programs yet"
        raise NotFoundError(f"program: no program with code {shown(code or '')}{hint}")
    found = exactly_one(
        "program",
        code,
        named,
        noun="program",
        describe=lambda p: f"{p.code} ({p.name})",
        narrow="give its code",
    )
    return records.get(Program, found.id)


def _owner(owner: str | None) -> Person | None:
    return find_person(owner, field="owner") if owner else None


def add_program(
    ctx: Context,
    code: str,
    name: str,
    *,
    parent: str | None = None,
    owner: str | None = None,
    rag: str = "green",
    rag_note: str = "",
    objective: str = "",
) -> Program:
    """Create a program; its code must be new."""
    values = {
        "code": program_code(code),
        "name": text("name", name),
        "rag": choice("rag", rag, RAG),
        "rag_note": text("rag note", rag_note, required=False, max_length=2000, multiline=True),
        "objective": text("objective", objective, required=False, max_length=2000, multiline=True),
    }
    with write():
        if Program.get_or_none(Program.code == values["code"]):
            raise ValidationError("code", f"a program with code {values['code']} already exists")
        return records.create(
            ctx,
            Program,
            parent=get_program(parent) if parent else None,
            owner=_owner(owner),
            **values,
        )


def update_program(
    ctx: Context,
    program_id: int,
    version: int | None,
    *,
    config: Config | None = None,
    **changes: str | None,
) -> Program:
    """Change a program's name, owner, parent, RAG status and note, or objective (``version``
    None: as the program is now, for the command line, which reads and writes in one go).

    A RAG better than the evidence needs a reason in the RAG note given with it, and the
    note cannot be emptied while the RAG is still better (the thresholds of ``config``;
    see :func:`docket.models.portfolio.evidence.check_reason`); the reason goes with the
    audit entry too."""
    values: dict[str, Any] = {}
    if "name" in changes:
        values["name"] = text("name", changes["name"])
    if "rag" in changes:
        values["rag"] = choice("rag", changes["rag"], RAG)
    if "rag_note" in changes:
        values["rag_note"] = text(
            "rag note", changes["rag_note"], required=False, max_length=2000, multiline=True
        )
    if "objective" in changes:
        values["objective"] = text(
            "objective", changes["objective"], required=False, max_length=2000, multiline=True
        )
    with write():
        # a stale version is a conflict before any rule: theirs may have changed the colour
        program = records.get_current(Program, program_id, version)
        if "owner" in changes:
            values["owner"] = _owner(changes["owner"])
        if "parent" in changes:
            parent = get_program(changes["parent"]) if changes["parent"] else None
            if parent is not None and _is_descendant(parent, program):
                raise ValidationError(
                    "parent", f"{parent.code} is {program.code} itself or one of its sub-programs"
                )
            values["parent"] = parent
        note = _reason(ctx, program, values, config)
        return records.update(ctx, program, version, note=note, **values)


def _reason(ctx: Context, program: Program, values: dict[str, Any], config: Config | None) -> str:
    """Refuse a RAG better than the evidence without a reason; the audit entry's note (the
    reason, when the RAG changes with one)."""
    # evidence reads milestones, budget, risks ... which all look programs up here: imported
    # when a program is written, never when this module loads
    from docket.models.portfolio.evidence import check_reason

    rag = str(values.get("rag", program.rag))
    note = str(values.get("rag_note", program.rag_note) or "")
    rag_changed, note_given = rag != program.rag, "rag_note" in values
    check_reason(
        program,
        rag,
        note,
        rag_changed=rag_changed,
        note_given=note_given,
        today=ctx.today(),
        config=config,
    )
    return note.strip() if rag_changed and note_given else ""


def _is_descendant(candidate: Program, ancestor: Program) -> bool:
    seen: set[int] = set()
    node: Program | None = candidate
    while node is not None and node.id not in seen:
        if node.id == ancestor.id:
            return True
        seen.add(node.id)
        node = (
            Program.get_or_none(Program.id == node.__data__.get("parent"))
            if node.__data__.get("parent")
            else None
        )
    return False


def list_programs() -> list[Program]:
    """Every program, by code."""
    return list(Program.select().order_by(Program.code))


def delete_program(ctx: Context, program_id: int, version: int) -> None:
    """Delete a program that nothing belongs to any more."""
    with write():
        records.delete(ctx, records.get(Program, program_id), version)


class ProgramFacts(TypedDict):
    """One program as plain data (``docket program list --format json``)."""

    code: str
    name: str
    parent: str | None
    owner: str | None
    rag: str
    rag_note: str
    objective: str


def program_facts(program: Program) -> ProgramFacts:
    """The facts of one program as plain data: its stable JSON form."""
    parent = program.parent if program.__data__.get("parent") else None
    owner = program.owner if program.__data__.get("owner") else None
    return {
        "code": program.code,
        "name": program.name,
        "parent": parent.code if parent else None,
        "owner": owner.name if owner else None,
        "rag": program.rag,
        "rag_note": program.rag_note,
        "objective": program.objective,
    }


def program_and_children(code: str) -> list[int]:
    """The ids of the program ``code`` names and of every program under it, at any depth:
    what scoping a list, a total or a count to a parent program takes in (the program's
    own id first). One query for the whole tree."""
    wanted = (code or "").strip().lstrip("#").upper()
    query: Any = Program.select(Program.id, Program.parent, Program.code).tuples()
    rows: list[tuple[int, int | None, str]] = list(query)
    top = next((pid for pid, _, known in rows if known == wanted), None)
    if top is None:
        top = get_program(code).id  # refused, naming the known codes
    parents = {pid: parent for pid, parent, _ in rows}
    ids = [top]
    for pid in sorted(parents):
        walk, seen = parents.get(pid), {pid}
        while walk is not None and walk not in seen:
            if walk == top:
                ids.append(pid)
                break
            seen.add(walk)
            walk = parents.get(walk)
    return ids


class ProgramDetailFacts(ProgramFacts):
    """One program as a form shows it: its facts, id, version and owner as typed back."""

    id: int
    version: int
    owner_label: str | None


def program_detail(code: str) -> ProgramDetailFacts:
    """One program as a form shows it: its facts, id and version, and its owner as typed
    back into a form (the name, or ``Name <e-mail>`` where another person has that name)."""
    program = get_program(code)
    owner_id = program.__data__.get("owner")
    return {
        **program_facts(program),
        "id": program.id,
        "version": program.version,
        "owner_label": labels([owner_id])[owner_id] if owner_id else None,
    }
