"""Sourcing in the app: a solicitation's detail (dates, criteria, checklist, committee, bids
with their conformance and the bidders' past performance, the ranking once revealed), the
acting member's sealed scoring form, commit and reveal, and the award form.

Everything goes through the operations of :mod:`docket.models.sourcing` on the database
thread; the rules (who may score, the seal, the price formula, the award) live there, and
their refusals are shown in their own words. A member scores, commits and reveals only as
themselves: no form names another member.

The detail stays open while its keys act (a form or a question opens over it), and shows
the solicitation anew after each, so an evaluation can be followed from scoring to award.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any, TypedDict

from rich.console import RenderableType
from rich.text import Text
from textual.markup import escape

from docket.models.contractors.performance import record_summary, vendor_record
from docket.models.core.context import Context
from docket.models.core.errors import ValidationError
from docket.models.core.inputs import whole_number
from docket.models.core.schema_selection import SCORE_HIGH, SCORE_LOW
from docket.models.sourcing import sealing
from docket.models.sourcing import solicitations as sol
from docket.models.sourcing.award import award
from docket.models.sourcing.bids import BidFacts, bid_facts, bids_of, conforming_bids
from docket.models.sourcing.committee import MemberFacts, member_facts
from docket.models.sourcing.criteria import CriterionFacts, ItemFacts, criterion_facts, item_facts
from docket.models.sourcing.evaluation import Evaluation, evaluate
from docket.models.sourcing.sealing import MemberState, seal_state
from docket.tui.forms.actions import date_check
from docket.tui.forms.base import Field, RecordForm
from docket.tui.keys import SOLICITATION_DETAIL_KEYS
from docket.tui.widgets.dialogs import ConfirmDialog, RecordDetail, summary_table
from docket.tui.widgets.text import lines, plain

if TYPE_CHECKING:
    from docket.tui.app import DocketApp

YES_NO = ("no", "yes")
CENTS = Decimal("0.01")


class SolicitationDetailFacts(TypedDict):
    """A solicitation as its detail shows it, read together on the database thread."""

    solicitation: sol.SolicitationFacts
    criteria: list[CriterionFacts]
    items: list[ItemFacts]
    committee: list[MemberFacts]
    states: list[MemberState]
    bids: list[BidFacts]
    # each bidder's past performance in one line, by vendor name
    records: dict[str, str]
    evaluation: Evaluation
    # the acting account, and whether it is on the committee
    actor: str
    member: bool


def load_detail(ctx: Context, code: str) -> SolicitationDetailFacts:
    """What a solicitation's detail shows (database thread)."""
    found = sol.find_solicitation(code)
    committee = member_facts(found)
    bids = bids_of(found)
    return {
        "solicitation": sol.solicitation_facts(found),
        "criteria": criterion_facts(found),
        "items": item_facts(found),
        "committee": committee,
        "states": seal_state(found),
        "bids": [bid_facts(b) for b in bids],
        "records": {b.vendor.name: record_summary(vendor_record(b.vendor)) for b in bids},
        "evaluation": evaluate(found.id),
        "actor": ctx.actor,
        "member": any(m["account"] == ctx.actor for m in committee),
    }


def _amount(value: str) -> str:
    return f"{Decimal(value):,}"


def _committee_lines(found: SolicitationDetailFacts) -> Text:
    states = {s["account"]: s for s in found["states"]}
    said: list[str] = []
    for m in found["committee"]:
        state = states.get(m["account"])
        if state is not None and state["revealed"]:
            where = "committed, revealed"
        elif m["committed"]:
            where = "committed, not yet revealed"
        else:
            where = "not yet committed"
        you = " (you)" if m["account"] == found["actor"] else ""
        said.append(f"{m['person']} ({m['account']}){you}: {where}")
        if m["conflict"]:
            said.append(f"  conflict declared: {m['conflict']}")
    return lines("\n".join(said)) if said else Text("(nobody yet)", style="dim")


def _bid_lines(found: SolicitationDetailFacts) -> Text:
    if not found["bids"]:
        return Text("(none yet)", style="dim")
    text = Text()
    for i, b in enumerate(found["bids"]):
        late = " (late)" if b["late"] else ""
        head = f"{b['vendor']}  {_amount(b['price'])}  received {b['received_on'] or '-'}{late}"
        text.append("\n" if i else "")
        text.append_text(plain(head, style="bold"))
        if b["conforming"]:
            text.append("\n  conforming")
        else:
            text.append("\n  non-conforming, not ranked: ", style="bold red")
            text.append_text(lines("; ".join(b["why_not"])))
        for c in b["conformance"]:
            mark = {None: "not checked", True: "pass", False: "fail"}[c["passed"]]
            note = f" ({c['note']})" if c["note"] else ""
            optional = "" if c["mandatory"] else " (optional)"
            text.append("\n")
            text.append_text(lines(f"    {mark}: {c['requirement']}{optional}{note}"))
        text.append("\n")
        text.append_text(lines(f"  past performance: {found['records'][b['vendor']]}"))
    return text


def _ranking_lines(evaluation: Evaluation) -> Text:
    if evaluation["revealed"]:
        said = [evaluation["formula"]]
        for r in evaluation["ranking"]:
            total = Decimal(r["total"]).quantize(CENTS)
            parts = ", ".join(
                f"{c['criterion']} {c['score']}"
                + (f" ({c['low']}-{c['high']})" if c["low"] is not None and c["spread"] else "")
                for c in r["criteria"]
            )
            said.append(f"{r['rank']}. {r['vendor']}  total {total}  price {_amount(r['price'])}")
            said.append(f"   {parts}")
        return lines("\n".join(said))
    waiting = [f"{a} to commit" for a in evaluation["not_committed"]]
    waiting += [f"{a} to reveal" for a in evaluation["not_revealed"]]
    return lines("Scores sealed: waiting for " + (", ".join(waiting) or "bids"))


class SolicitationDetail(RecordDetail):
    """One solicitation: dates, criteria and weights, the checklist, the committee, the bids
    with their conformance and past performance, the ranking (or who is still to commit
    or reveal); ``s`` score, ``c`` commit, ``r`` reveal, ``a`` award, ``h`` history."""

    KEYS = SOLICITATION_DETAIL_KEYS

    def __init__(self, found: SolicitationDetailFacts, saved: Callable[[Any], None]) -> None:
        super().__init__()
        self.found = found
        # told when something is saved, so the list behind shows it
        self.saved = saved

    @property
    def code(self) -> str:
        return self.found["solicitation"]["code"]

    def title_text(self) -> Text:
        s = self.found["solicitation"]
        return plain(f"{s['code']} {s['kind']} {s['title']}")

    def summary(self) -> RenderableType:
        s = self.found["solicitation"]
        rows = [
            ("Status", s["status"]),
            ("Program", s["program"]),
            ("Issued", f"{s['issued_on'] or '-'}, questions due {s['questions_due'] or '-'}"),
            ("Bids due", f"{s['bids_due'] or '-'}, award by {s['award_by'] or '-'}"),
        ]
        if s["scope"]:
            rows.append(("Scope", s["scope"]))
        if s["decision"]:
            rows.append(("Awarded", f"decision #{s['decision']}, contract {s['contract']}"))
        you = "on the committee" if self.found["member"] else "not on the committee"
        rows.append(("You", f"{self.found['actor']}, {you}"))
        return summary_table((label, plain(value)) for label, value in rows)

    def sections(self) -> Iterable[tuple[str, RenderableType]]:
        weights = [
            f"{c['name']}  weight {c['weight']} = {Decimal(c['share']) * 100:.1f} %"
            + (" (price, by formula)" if c["price"] else "")
            for c in self.found["criteria"]
        ]
        yield "Criteria", lines("\n".join(weights)) if weights else Text("(none)", style="dim")
        items = [
            f"#{i['id']} {i['requirement']}" + ("" if i["mandatory"] else " (optional)")
            for i in self.found["items"]
        ]
        yield "Conformance checklist", lines("\n".join(items)) if items else Text("(none)")
        yield "Committee", _committee_lines(self.found)
        yield "Bids", _bid_lines(self.found)
        yield "Ranking", _ranking_lines(self.found["evaluation"])

    # --- keys: each opens over the detail, which shows the solicitation anew after -------

    def action_history(self) -> None:
        from docket.tui.widgets.history_panel import show_history

        show_history(self.docket_app, "solicitation", int(self.found["solicitation"]["id"]))

    def action_score(self) -> None:
        open_scoring(self.docket_app, self.code, self.done)

    def action_commit(self) -> None:
        commit_scores(self.docket_app, self.code, self.done)

    def action_reveal(self) -> None:
        reveal_scores(self.docket_app, self.code, self.done)

    def action_award(self) -> None:
        open_award(self.docket_app, self.code, self.done)

    @property
    def docket_app(self) -> DocketApp:
        app: DocketApp = self.app  # type: ignore[assignment]
        return app

    def done(self, result: Any) -> None:
        """After a key's form or question: when something was saved, the list behind
        reloads and the detail shows the solicitation as it is now."""
        if result is None:
            return
        self.saved(result)
        app = self.docket_app

        async def run() -> None:
            self.found = await app.store.run(load_detail, app.ctx, self.code)
            await self.recompose()

        app.run_worker(run(), group="detail", exit_on_error=False)


def open_solicitation(app: DocketApp, code: str, saved: Callable[[Any], None]) -> None:
    """Show a solicitation; its keys score, commit, reveal, award, show its history."""

    async def run() -> None:
        found = await app.store.run(load_detail, app.ctx, code)
        app.push_screen(SolicitationDetail(found, saved))

    app.run_worker(run(), group="detail", exit_on_error=False)


# --- scoring ---------------------------------------------------------------------------


class Scored(TypedDict):
    """One score the acting member gives: a conforming bid on a criterion but price, and
    what they gave so far (None: owed)."""

    vendor_id: int
    vendor: str
    criterion_id: int
    criterion: str
    score: int | None
    comment: str


def load_scoring(ctx: Context, code: str) -> list[Scored]:
    """What the acting member scores and has scored (database thread); refused in the
    domain's words when the solicitation is not being evaluated or they are not a member,
    and when they have committed."""
    found = sealing.may_score(ctx, code)
    criteria = [c for c in sol.criteria_of(found) if not c.price]
    pairs = [(b, c) for b in conforming_bids(found) for c in criteria]
    mine = sealing.own_scores(ctx, found.id)
    return [
        {
            "vendor_id": bid.vendor.id,
            "vendor": bid.vendor.name,
            "criterion_id": criterion.id,
            "criterion": criterion.name,
            "score": given["score"],
            "comment": given["comment"],
        }
        for (bid, criterion), given in zip(pairs, mine, strict=True)
    ]


# a form's labels are this wide: a vendor's name is cut to fit (the hint names it whole)
LABEL = 10


def short(name: str) -> str:
    """A vendor's name as a form's label: cut to fit, with "…"."""
    return name if len(name) <= LABEL else name[: LABEL - 1] + "…"


def score_check(label: str) -> Callable[[str], str]:
    """A quick check of a typed score: a whole number on the scale, said with what it
    scores (the label is cut, the placeholder gone once typed)."""

    def check(typed: str) -> str:
        score = whole_number(label, typed, minimum=SCORE_LOW, maximum=SCORE_HIGH)
        return f"{score} of {SCORE_HIGH}: {label}"

    return check


def score_form(app: DocketApp, code: str, rows: list[Scored]) -> RecordForm:
    """The acting member's sealed scores of one solicitation: for each conforming bid and
    criterion but price a score (0 to 10; blank: not yet) and a comment. Saving seals the
    scores given in the member's own file; nothing goes to the shared database."""
    ctx = app.ctx
    fields: list[Field] = []
    for i, row in enumerate(rows):
        label = f"{row['vendor']} · {row['criterion']}"
        fields.append(
            Field(
                f"score_{i}",
                escape(short(row["vendor"])),
                "" if row["score"] is None else str(row["score"]),
                placeholder=f"{row['criterion']}: {SCORE_LOW} to {SCORE_HIGH}",
                check=score_check(label),
            )
        )
        fields.append(
            Field(
                f"comment_{i}",
                "  comment",
                row["comment"],
                placeholder=f"on {label} (optional)",
            )
        )

    def save(values: dict[str, str]) -> int:
        given: list[tuple[Scored, int, str]] = []
        for i, row in enumerate(rows):
            typed = values[f"score_{i}"].strip()
            if not typed:
                continue
            label = f"{row['vendor']} · {row['criterion']}"
            try:
                score = whole_number(label, typed, minimum=SCORE_LOW, maximum=SCORE_HIGH)
            except ValidationError as exc:
                exc.field = f"score_{i}"  # shown under its own field
                raise
            given.append((row, score, values[f"comment_{i}"]))
        if not given:
            refused = ValidationError("score", "give at least one score")
            refused.field = "score_0"  # shown under the first score
            raise refused
        for row, score, comment in given:
            if (row["score"], row["comment"]) != (score, comment):
                sealing.give_score(
                    ctx, code, str(row["vendor_id"]), str(row["criterion_id"]), score, comment
                )
        return len(given)

    title = f"Score {code} as {ctx.actor} (sealed: only you see them)"
    if not rows:
        title = f"{code}: nothing to score (no conforming bid, or price alone); commit with c"
    return RecordForm(title, fields, save)


def open_scoring(app: DocketApp, code: str, saved: Callable[[Any], None]) -> None:
    """The acting member's scoring form for one solicitation (refusals in a dialog)."""

    async def run() -> None:
        rows = await app.store.run(load_scoring, app.ctx, code)
        app.push_screen(score_form(app, code, rows), saved)

    app.run_worker(run(), group="sourcing", exit_on_error=False)


# --- commit and reveal -------------------------------------------------------------------

COMMIT_QUESTION = (
    "Commit your scores for {code}? This is final: their hash is recorded, and they "
    "cannot change after. They are revealed once every member has committed."
)


def commit_scores(app: DocketApp, code: str, saved: Callable[[Any], None]) -> None:
    """Ask, then commit the acting member's sealed scores (refusals in a dialog)."""

    def answered(yes: bool | None) -> None:
        if not yes:
            return

        async def run() -> None:
            digest = await app.store.run(sealing.commit, app.ctx, code)
            app.notify(f"Committed your scores for {code}: {digest[:12]}…", markup=False)
            saved(digest)

        app.run_worker(run(), group="sourcing", exit_on_error=False)

    app.push_screen(ConfirmDialog(COMMIT_QUESTION.format(code=code)), answered)


def reveal_scores(app: DocketApp, code: str, saved: Callable[[Any], None]) -> None:
    """Reveal the acting member's scores (refusals in a dialog)."""

    async def run() -> None:
        count = await app.store.run(sealing.reveal, app.ctx, code)
        plural = "" if count == 1 else "s"
        app.notify(
            f"Revealed {count} score{plural} for {code}, matching your commitment", markup=False
        )
        saved(count)

    app.run_worker(run(), group="sourcing", exit_on_error=False)


# --- award -------------------------------------------------------------------------------


def award_vendors(code: str) -> list[str]:
    """Whom a solicitation may be awarded to, the top-ranked first: the ranking's vendors
    once revealed, else the conforming bids' (the award then says why not yet)."""
    found = sol.find_solicitation(code)
    sol.require_status(found, "evaluating", "award it")
    ranking = evaluate(found.id)["ranking"]
    if ranking:
        return [r["vendor"] for r in ranking]
    return [b.vendor.name for b in conforming_bids(found)]


def award_form(app: DocketApp, code: str, vendors: list[str]) -> RecordForm:
    """Award a solicitation: the vendor (the top-ranked first), the reason, the contract's
    number, dates and ceiling (blank: the bid's price), and whether it is not the top bid."""
    ctx = app.ctx
    choices = tuple(vendors)
    fields = [
        Field("vendor", "Vendor", choices[0] if choices else "", "choice", choices),
        Field("reason", "Reason", kind="multiline"),
        Field("contract", "Contract", placeholder="its number, e.g. C-2027-0101"),
        Field("start", "Start", check=date_check(ctx, "start"), placeholder="e.g. 2027-01-01"),
        Field("end", "End", check=date_check(ctx, "end"), placeholder="e.g. 2027-12-31"),
        Field("ceiling", "Ceiling", placeholder="blank: the bid's price"),
        Field("not_top", "Not top", "no", "choice", YES_NO),
    ]

    def save(values: dict[str, str]) -> int:
        if not values["vendor"]:
            raise ValidationError("vendor", "choose the vendor whose bid is awarded")
        done = award(
            ctx, code, values["vendor"], reason=values["reason"], contract=values["contract"],
            start=values["start"], end=values["end"], ceiling=values["ceiling"] or None,
            not_top=values["not_top"] == "yes",
        )  # fmt: skip
        return done.contract

    return RecordForm(f"Award {code}", fields, save)


def open_award(app: DocketApp, code: str, saved: Callable[[Any], None]) -> None:
    """The award form of a solicitation being evaluated (refusals in a dialog)."""

    async def run() -> None:
        vendors = await app.store.run(award_vendors, code)

        def awarded(result: Any) -> None:
            if result is not None:
                app.notify(f"{code} awarded; the contract is made", markup=False)
            saved(result)

        app.push_screen(award_form(app, code, vendors), awarded)

    app.run_worker(run(), group="sourcing", exit_on_error=False)
