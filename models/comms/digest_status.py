"""The digest's overall status: each program's typed RAG and note, beside the RAG its
evidence implies (:mod:`docket.models.portfolio.evidence`) and, where the typed one is
better, whether a reason is given; the evidence of every program read in a fixed number of
queries, with the thresholds of the config the scope carries."""

from __future__ import annotations

from typing import Any

from docket.models.comms.digest_scope import Scope, Section
from docket.models.core.schema import Program
from docket.models.portfolio.evidence import colours_of


def _in(column: Any, scope: Scope) -> Any:
    return True if scope.program_ids is None else column.in_(scope.program_ids)


def status_section(scope: Scope) -> Section:
    """Each program's overall RAG and its note, beside the RAG its evidence implies."""
    found = list(Program.select().where(_in(Program.id, scope)).order_by(Program.code))
    codes = [p.code for p in found]
    beside = colours_of(codes, scope.today, scope.config, scope.shared, programs=found)
    programs = [
        {"code": p.code, "name": p.name, "rag": p.rag, "note": p.rag_note, **beside[p.code]}
        for p in found
    ]
    counts = {rag: sum(1 for p in programs if p["rag"] == rag) for rag in ("red", "amber", "green")}
    return Section(
        "status",
        "Overall status",
        {"programs": programs, "counts": counts},
        "No programs in scope.",
        bool(programs),
    )
