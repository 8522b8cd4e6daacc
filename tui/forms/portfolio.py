"""The Portfolio screen's forms and detail: add and edit a proposal, set a fiscal year of its
business case, move it on or decide it (with a reason), score it as the acting reviewer, and
the proposal's detail (business case table, scores, history).

Each form calls the domain operations of ``docket.models.portfolio`` on the database thread;
the rules (the way through the statuses, who may score, the arithmetic of the case) live
there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text
from textual.markup import escape

from docket.exports.tabular.lists.portfolio import CASE_YEARS, case_summary
from docket.models.audit.history import HistoryFacts, readable_history
from docket.models.core.config import load_config
from docket.models.core.context import Context
from docket.models.core.errors import ValidationError
from docket.models.core.inputs import whole_number
from docket.models.core.schema_selection import SCORE_HIGH, SCORE_LOW
from docket.models.portfolio import funding, proposals, scoring
from docket.models.portfolio.business_case import FORMULA, CaseFigures
from docket.models.portfolio.criteria import CriterionFacts, criteria_facts
from docket.models.portfolio.needs import ProposalDetail, proposal_detail
from docket.models.portfolio.proposals import DECISIONS, MOVES, ProposalFacts
from docket.models.portfolio.scoring import ScoreFacts, list_scores
from docket.models.portfolio.value import ProposalValue, proposal_values
from docket.tui.forms.actions import person_lookup, program_lookup
from docket.tui.forms.base import EditForm, Field, RecordForm, Revision
from docket.tui.keys import PROPOSAL_DETAIL_KEYS
from docket.tui.widgets.dialogs import RecordDetail, summary_table
from docket.tui.widgets.rows import history_table
from docket.tui.widgets.text import lines, plain

if TYPE_CHECKING:
    from docket.tui.app import DocketApp

YES_NO = ("no", "yes")
# the proposal's free text: blank means blank
TEXTS = ("problem", "objectives", "risks")


def discount_rate() -> Decimal:
    """The office's discount rate (the config's ``discount_rate``)."""
    return load_config().discount_rate


# --- add and edit ------------------------------------------------------------------------


def proposal_fields(row: Mapping[str, Any], program: str | None) -> list[Field]:
    """A proposal's fields, filled from ``row`` (a :class:`ProposalDetail` flattened) when
    editing; the code is given once, when adding."""
    fields = []
    if not row:
        fields.append(Field("code", "Code", placeholder="e.g. P-2027-01"))
    fields += [
        Field("title", "Title", row.get("title", ""), placeholder="what it would do"),
        Field(
            "program",
            "Program",
            row.get("program") or ("" if row else program or ""),
            placeholder="code, e.g. ERP (needed to decide it)",
            lookup=program_lookup,
        ),
        Field(
            "sponsor",
            "Sponsor",
            row.get("sponsor") or "",
            placeholder="name, e-mail or account",
            lookup=person_lookup("sponsor"),
        ),
        Field(
            "mandatory",
            "Mandatory",
            "yes" if row.get("mandatory") else "no",
            "choice",
            YES_NO,
        ),
        Field("problem", "Problem", row.get("problem", ""), "multiline"),
        Field("objectives", "Objectives", row.get("objectives", ""), "multiline"),
        Field("risks", "Risks", row.get("risks", ""), "multiline"),
    ]
    return fields


def _given(values: Mapping[str, str]) -> dict[str, Any]:
    """Form text as the domain's keyword arguments: a blank program or sponsor is none."""
    return {
        name: (value or None) if name in ("program", "sponsor") else value
        for name, value in values.items()
    }


def add_form(app: DocketApp) -> RecordForm:
    """The form that adds a proposal (in draft); dismisses with its id."""
    ctx = app.ctx

    def save(values: dict[str, str]) -> int:
        given = _given(values)
        code, title = given.pop("code"), given.pop("title")
        return int(proposals.add_proposal(ctx, code, title, **given).id)

    return RecordForm("New proposal", proposal_fields({}, app.program), save)


def editable(detail: ProposalDetail) -> dict[str, Any]:
    """A proposal's detail as the edit form's row."""
    return {
        **detail["proposal"],
        "problem": detail["problem"],
        "objectives": detail["objectives"],
        "risks": detail["risks"],
    }


def edit_form(app: DocketApp, detail: ProposalDetail) -> EditForm:
    """Edit a proposal as read (a stale save shows the conflict dialog)."""
    ctx = app.ctx
    facts = detail["proposal"]
    code = facts["code"]

    def save(changes: dict[str, str], version: int) -> int:
        return int(proposals.update_proposal(ctx, code, version, **_given(changes)).id)

    def reread() -> Revision:
        now = editable(proposal_detail(code, discount_rate()))
        fields = proposal_fields(now, None)
        return Revision({f.name: f.value for f in fields}, int(now["version"]))

    return EditForm(
        f"Edit proposal {code}",
        proposal_fields(editable(detail), None),
        int(facts["version"]),
        save,
        reread,
    )


def year_form(app: DocketApp, code: str) -> RecordForm:
    """Set one fiscal year of a proposal's business case (amounts left blank keep theirs,
    or are 0 in a new year)."""
    ctx = app.ctx
    fields = [
        Field("fiscal_year", "Fiscal year", placeholder="e.g. 2027"),
        Field("capital", "Capital", placeholder="cost, e.g. 250000.00 (blank: unchanged)"),
        Field("operating", "Operating", placeholder="cost, e.g. 40000.00"),
        Field("savings", "Savings", placeholder="hard savings, e.g. 60000.00"),
        Field("avoidance", "Avoidance", placeholder="cost avoided, e.g. 15000.00"),
    ]

    def save(values: dict[str, str]) -> int:
        year = values.pop("fiscal_year")
        amounts = {name: typed or None for name, typed in values.items()}
        return int(proposals.set_year(ctx, code, year, **amounts).id)

    return RecordForm(f"Business case of {code}: one fiscal year", fields, save)


# --- deciding ----------------------------------------------------------------------------


def decide_form(app: DocketApp, facts: Mapping[str, Any]) -> RecordForm:
    """Move a proposal on its way (submit, review, withdraw) or decide it (approve, defer,
    reject), always with a reason; a decision is recorded in RAID citing the ranking."""
    ctx, code = app.ctx, str(facts["code"])
    steps = MOVES[facts["status"]]
    fields = [
        Field("status", "Becomes", steps[0], "choice", steps),
        Field("reason", "Reason", kind="multiline"),
    ]

    def save(values: dict[str, str]) -> int:
        status, reason = values["status"], values["reason"]
        if status in DECISIONS:
            return int(funding.decide(ctx, code, status, reason).id)
        return int(proposals.move(ctx, code, status, reason).id)

    return RecordForm(f"Decide proposal {code} ({facts['status']})", fields, save)


# --- scoring -----------------------------------------------------------------------------


class ScoringFacts(TypedDict):
    """What the scoring form needs: the active criteria and the reviewer's own scores."""

    code: str
    status: str
    criteria: list[CriterionFacts]
    mine: list[ScoreFacts]


def load_scoring(ctx: Context, code: str) -> ScoringFacts:
    """The active criteria and the acting reviewer's scores of ``code`` (database thread)."""
    proposal = proposals.get_proposal(code)
    return {
        "code": proposal.code,
        "status": proposal.status,
        "criteria": criteria_facts(),
        "mine": list_scores(reviewer=ctx.actor, proposal=code),
    }


def _score_field(criterion: CriterionFacts) -> str:
    return f"score_{criterion['id']}"


def score_check(name: str) -> Callable[[str], str]:
    """A quick check of a typed score: a whole number on the scale."""

    def check(typed: str) -> str:
        score = whole_number(name, typed, minimum=SCORE_LOW, maximum=SCORE_HIGH)
        return f"{score} of {SCORE_HIGH}: {name}"

    return check


class ScoreForm(RecordForm):
    """The scoring form, its labels as wide as the longest criterion's name (up to
    :data:`LABEL_MOST`) so that names read whole, not broken mid-word as in the usual
    narrow label column."""

    # the widest label column; a longer name wraps, between words
    LABEL_MOST = 30

    def on_mount(self) -> None:
        # Textual calls RecordForm.on_mount as well (handlers run along the class's MRO)
        width = min(max((len(f.label) for f in self.fields), default=0) + 2, self.LABEL_MOST)
        for label in self.query(".field-label"):
            label.styles.width = width
        for hint in self.query(".hint"):
            hint.styles.padding = (0, 0, 0, width)


def score_form(app: DocketApp, found: ScoringFacts) -> RecordForm:
    """The acting reviewer's scores of one proposal: one field per active criterion (0 to
    10; blank leaves it unscored) and a comment. Saving records them under the reviewer's
    own account, all or none."""
    ctx, code = app.ctx, found["code"]
    mine = {s["criterion"]: s for s in found["mine"]}
    fields: list[Field] = []
    for criterion in found["criteria"]:
        name = criterion["name"]
        given = mine.get(name)
        share = Decimal(criterion["share"]) * 100
        fields.append(
            Field(
                _score_field(criterion),
                escape(name),
                str(given["score"]) if given else "",
                placeholder=f"{SCORE_LOW} to {SCORE_HIGH} (weighs {share:.0f} %)",
                check=score_check(name),
            )
        )
    comment = next((s["comment"] for s in found["mine"] if s["comment"]), "")
    fields.append(Field("comment", "Comment", comment, "multiline"))
    names = {_score_field(c): c["name"] for c in found["criteria"]}

    def save(values: dict[str, str]) -> int:
        scores: dict[str, int] = {}
        for field, name in names.items():
            typed = values[field].strip()
            if typed:
                scores[name] = whole_number(name, typed, minimum=SCORE_LOW, maximum=SCORE_HIGH)
        if not scores:
            raise ValidationError(next(iter(names.values()), "score"), "give at least one score")
        return len(scoring.score_all(ctx, code, scores, values["comment"]))

    title = f"Score {code} as {ctx.actor}"
    if not found["criteria"]:
        title += ": there are no active criteria (docket criteria add)"
    return ScoreForm(title, fields, save)


# --- the detail --------------------------------------------------------------------------


class DetailFacts(TypedDict):
    """A proposal's detail, its value and its history, read together."""

    detail: ProposalDetail
    value: ProposalValue | None
    changes: list[HistoryFacts]


def load_detail(code: str) -> DetailFacts:
    """A proposal's detail, its value and its history (database thread)."""
    detail = proposal_detail(code, discount_rate())
    pid = detail["proposal"]["id"]
    value = next((v for v in proposal_values() if v["id"] == pid), None)
    return {"detail": detail, "value": value, "changes": readable_history("proposal", pid)}


# the year-by-year columns, by how much they matter when the table must be narrow
CASE_KEYS = ("fiscal_year", "costs", "benefits", "net", "factor", "pv", "cumulative_pv", "t")


class CaseTable:
    """The business case year by year, as a reader checks it by hand (the columns of
    ``docket proposal show``, as many as fit), its figures and the formulas."""

    def __init__(self, case: CaseFigures) -> None:
        self.case = case

    def table(self, room: int) -> Table:
        """The year-by-year table with the columns that fit in ``room`` cells."""
        columns = {c.key: c for c in CASE_YEARS.cli}
        rows = [dict(y) for y in self.case["years"]]
        keys = list(CASE_KEYS)
        while len(keys) > 4:
            shown = [columns[k] for k in keys]
            widths = [max(len(c.heading), *(len(c.shown(r)) for r in rows)) + 1 for c in shown]
            if sum(widths) <= room:
                break
            keys.pop()
        shown = [c for c in CASE_YEARS.cli if c.key in keys]
        table = Table(box=None, padding=(0, 1, 0, 0), header_style="bold")
        for column in shown:
            table.add_column(column.heading, justify="right" if column.right else "left")
        for row in rows:
            table.add_row(*(plain(c.shown(row)) for c in shown))
        return table

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        if not self.case["years"]:
            yield Text("No fiscal years yet (y sets one).", style="dim")
            return
        yield self.table(options.max_width)
        yield Text("")
        yield summary_table((label, plain(text)) for label, text in case_summary(self.case))
        yield Text("")
        yield Text("\n".join(FORMULA), style="dim")


class ProposalDetailScreen(RecordDetail):
    """One proposal: status and reason, the case and its figures, value and scores, people
    needed, dependencies and history; ``e`` edit, ``y`` a fiscal year, ``s`` score, ``d``
    decide."""

    KEYS = PROPOSAL_DETAIL_KEYS

    def __init__(self, found: DetailFacts) -> None:
        super().__init__()
        self.found = found

    def title_text(self) -> Text:
        p = self.found["detail"]["proposal"]
        return plain(f"{p['code']} {p['title']}")

    def summary(self) -> RenderableType:
        p: ProposalFacts = self.found["detail"]["proposal"]
        value = self.found["value"]
        status = p["status"] + (f": {p['reason']}" if p["reason"] else "")
        rows = [
            ("Status", status),
            ("Program", p["program"] or "none"),
            ("Sponsor", p["sponsor"] or "nobody"),
            ("Mandatory", "yes" if p["mandatory"] else "no"),
        ]
        if value is not None:
            scored = f"value {value['value']:.2f} of 10, spread {value['spread']}, "
            scored += f"{value['reviewers']} reviewer(s)"
            if value["unscored"]:
                scored += f"; unscored on {', '.join(value['unscored'])}"
            rows.append(("Scores", scored))
        if p["decision"]:
            rows.append(("Decision", f"RAID decision #{p['decision']}"))
        if p["became"]:
            rows.append(("Became", f"program {p['became']}"))
        return summary_table((label, plain(text)) for label, text in rows)

    def sections(self) -> Iterable[tuple[str, RenderableType]]:
        d = self.found["detail"]
        for heading, key in (("Problem", "problem"), ("Objectives", "objectives")):
            text = d[key]  # type: ignore[literal-required]
            yield heading, lines(text) if text else Text("(none)", style="dim")
        yield "Business case", CaseTable(d["case"])
        value = self.found["value"]
        if value is not None and value["means"]:
            means = "  ".join(f"{name} {mean}" for name, mean in value["means"].items())
            yield "Mean score by criterion", plain(means)
        needs = [f"{n['role']} {n['month']}: {n['people']}" for n in d["needs"]]
        yield "People needed", plain("; ".join(needs) or "(none)")
        depends = ", ".join(d["depends_on"]) or "nothing"
        needed = ", ".join(d["needed_by"]) or "nothing"
        yield "Dependencies", plain(f"needs {depends}; needed by {needed}")
        if d["risks"]:
            yield "Risks", lines(d["risks"])
        yield "History", history_table(self.found["changes"])


def open_proposal(app: DocketApp, code: str, saved: Callable[[Any], None]) -> None:
    """Show a proposal; its keys edit it, set a year of its case, score or decide it."""

    async def run() -> None:
        found = await app.store.run(load_detail, code)

        def chosen(what: str | None) -> None:
            if what == "edit":
                app.push_screen(edit_form(app, found["detail"]), saved)
            elif what == "year":
                app.push_screen(year_form(app, code), saved)
            elif what == "decide":
                open_decide(app, found["detail"]["proposal"], saved)
            elif what == "score":
                open_scoring(app, code, saved)

        app.push_screen(ProposalDetailScreen(found), chosen)

    app.run_worker(run(), group="detail", exit_on_error=False)


def open_decide(app: DocketApp, facts: Mapping[str, Any], saved: Callable[[Any], None]) -> None:
    """The decide form, or a word when the proposal's status is final."""
    if not MOVES[facts["status"]]:
        app.notify(f"Proposal {facts['code']} is {facts['status']}: that is final.", markup=False)
        return
    app.push_screen(decide_form(app, facts), saved)


def open_scoring(app: DocketApp, code: str, saved: Callable[[Any], None]) -> None:
    """The acting reviewer's scoring form for one proposal."""

    async def run() -> None:
        found = await app.store.run(load_scoring, app.ctx, code)
        if found["status"] not in scoring.SCORED:
            app.notify(
                f"Proposal {code} is {found['status']}: proposals are scored while submitted "
                "or in review.",
                markup=False,
            )
            return
        app.push_screen(score_form(app, found), saved)

    app.run_worker(run(), group="detail", exit_on_error=False)


def open_edit(app: DocketApp, code: str, saved: Callable[[Any], None]) -> None:
    """The edit form of one proposal, as it is now."""

    async def run() -> None:
        detail = await app.store.run(proposal_detail, code, discount_rate())
        app.push_screen(edit_form(app, detail), saved)

    app.run_worker(run(), group="detail", exit_on_error=False)
