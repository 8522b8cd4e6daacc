"""The demo's programs: two portfolios and their programs, with owners and a RAG status;
a portfolio shows the worst of its programs."""

from __future__ import annotations

from docket.models.core.schema import Program
from docket.models.demo.data_office import RAG_NOTES
from docket.models.demo.office import Office
from docket.models.demo.storage import STAMP, Row, insert


def programs(office: Office) -> int:
    """Portfolios and their programs, with owners and RAG; a portfolio shows its worst."""
    columns = ("id", "code", "name", "parent", "owner", "rag", "rag_note", "objective")
    managers = [p for p in office.staff if p > 3] or [2]
    rags: dict[int, str] = {}
    rows: list[Row] = []
    for pid in office.leaves:
        rags[pid] = office.rng.choices(("green", "amber", "red"), (5, 4, 1))[0]
        office.owner[pid] = office.rng.choice(managers)
    for pid, spec in enumerate(office.specs, start=1):
        if spec.parent is None:
            rag, note = _roll_up(office, pid, rags)
            office.owner[pid] = 2 if pid == 1 else 3
        else:
            rag, note = rags[pid], office.rng.choice(RAG_NOTES[rags[pid]])
        parent = office.program_id[spec.parent] if spec.parent else None
        rows.append(
            (pid, spec.code, spec.name, parent, office.owner[pid], rag, note, spec.objective)
        )
    at = office.days_ago(720, 800)
    return insert(Program, (*columns, *STAMP), [(*r, *office.stamp(at)) for r in rows])


def _roll_up(office: Office, portfolio: int, rags: dict[int, str]) -> tuple[str, str]:
    """A portfolio's RAG (its worst program's) and the note that counts them."""
    code = office.specs[portfolio - 1].code
    children = [rags[p] for p in office.leaves if office.specs[p - 1].parent == code]
    worst = max(children, key=("green", "amber", "red").index) if children else "green"
    counts = ", ".join(f"{children.count(c)} {c}" for c in ("green", "amber", "red"))
    return worst, f"Roll-up of {len(children)} programs: {counts}."
