"""A status digest as blocks: headings, paragraphs, bulleted lists and tables.

Each section of :mod:`docket.models.comms.digest` becomes a few blocks, so that every format
:mod:`docket.exports.digests.digest` writes (Markdown, text, HTML) says the same. Text from
users is kept as literal text here; each format escapes it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from contextvars import ContextVar
from datetime import date, datetime
from typing import Any, NamedTuple

from docket.models.comms.digest import Digest
from docket.models.comms.digest_scope import Section
from docket.models.governance.entries import on_behalf


class Span(NamedTuple):
    """A piece of a line: literal text, bold or not (a named tuple: a frozen dataclass
    costs a digest's start several times as much to define)."""

    text: str
    bold: bool = False


Line = list[Span]


class Block(NamedTuple):
    """A heading (level 1-3), a paragraph, a bulleted list, or a table."""

    kind: str  # heading, para, list, table
    lines: Sequence[Line] = ()
    level: int = 0
    headers: Sequence[str] = ()
    rows: Sequence[Sequence[str]] = ()


def _t(text: object) -> Span:
    return Span(str(text))


def _b(text: object) -> Span:
    return Span(str(text), bold=True)


# the year of the digest being written: a date in another year shows its year
_YEAR: ContextVar[int] = ContextVar("digest_year", default=0)


def _day(iso: str | None) -> str:
    if not iso:
        return "no date"
    day = date.fromisoformat(iso)
    return f"{day:%a %d %b}" if day.year == _YEAR.get() else f"{day:%a %d %b %Y}"


def _n(count: int, word: str) -> str:
    """``1 day``, ``3 days``."""
    return f"{count} {word}" + ("" if count == 1 else "s")


def _when(iso: str) -> str:
    return f"{datetime.fromisoformat(iso):%a %d %b %H:%M}"


def _named(r: dict[str, Any], key: str) -> str:
    """A name without the program code it starts with (the code is shown beside it)."""
    return str(r[key]).removeprefix(f"{r['program']}: ")


def _more(part: dict[str, Any]) -> list[Line]:
    hidden = part["count"] - len(part["items"])
    return [[_t(f"… and {hidden} more")]] if hidden > 0 else []


def _listed(
    title: str, part: dict[str, Any], line: Callable[[dict[str, Any]], Line]
) -> list[Block]:
    """A bold title with its count, then its items (or "none")."""
    if not part["count"]:
        return [Block("para", [[_b(title), _t(": none.")]])]
    return [
        Block("para", [[_b(f"{title} ({part['count']})")]]),
        Block("list", [line(r) for r in part["items"]] + _more(part)),
    ]


def _colour(p: dict[str, Any]) -> str:
    """The typed RAG, and beside it the evidence's where the typed one is better."""
    typed = str(p["rag"]).upper()
    return f"{typed} (evidence {str(p['evidence']).upper()})" if p.get("disagrees") else typed


def _note(p: dict[str, Any]) -> str:
    """The RAG note: the reason, where the typed RAG is better than the evidence."""
    if p.get("reason_missing"):
        return "No reason given for a RAG better than the evidence."
    return f"Reason: {p['note']}" if p.get("disagrees") else str(p["note"] or "-")


def _status(section: Section) -> list[Block]:
    programs = section.facts["programs"]
    counts = section.facts["counts"]
    summary = ", ".join(f"{n} {rag}" for rag, n in counts.items() if n)
    better = sum(1 for p in programs if p.get("disagrees"))
    beside = f" {better} coloured better than the evidence." if better else ""
    rows = [[f"{p['code']}: {p['name']}", _colour(p), _note(p)] for p in programs]
    plural = "s" if len(programs) != 1 else ""
    return [
        Block("para", [[_t(f"{len(programs)} program{plural}: {summary}.{beside}")]]),
        Block("table", headers=["Program", "RAG", "Note"], rows=rows),
    ]


def _milestones(section: Section) -> list[Block]:
    f = section.facts

    def who(r: dict[str, Any]) -> str:
        return f" ({r['owner']})" if r["owner"] else ""

    def reason(r: dict[str, Any]) -> str:
        return f"; reason: {r['reason']}" if r.get("reason") else "; no reason recorded"

    return [
        *_listed(
            "Completed",
            f["completed"],
            lambda r: [_t(f"{r['program']}: {r['title']}, done {_day(r['actual'])}")],
        ),
        *_listed(
            "Due",
            f["due"],
            lambda r: [_t(f"{r['program']}: {r['title']}, {_day(r['forecast'])}{who(r)}")],
        ),
        *_listed(
            "Slipped",
            f["slipped"],
            lambda r: [
                _t(
                    f"{r['program']}: "
                    f"{r['title']}: +{_n(r['slip_days'], 'day')}, "
                    f"now {_day(r['forecast'])}{reason(r)}"
                ),
            ],
        ),
        *_listed(
            "Late",
            f["late"],
            lambda r: [
                _t(
                    f"{r['program']}: "
                    f"{r['title']}: {_n(r['days_late'], 'day')} late "
                    f"(due {_day(r['forecast'])}){who(r)}"
                ),
            ],
        ),
    ]


def _actions(section: Section) -> list[Block]:
    f = section.facts

    def item(r: dict[str, Any]) -> Line:
        owner = r["owner"] or "nobody"
        when = (
            f"{_n(r['days_overdue'], 'day')} overdue"
            if r["days_overdue"]
            else f"due {_day(r['due'])}"
        )
        return [_t(f"{r['program'] or '-'}: {r['title']}: {owner}, {when}")]

    return [
        Block("para", [[_t(f"Opened {f['opened']}, closed {f['closed']} in the period.")]]),
        *_listed("Overdue", f["overdue"], item),
        *_listed("Due soon", f["due_soon"], item),
    ]


def _meetings(section: Section) -> list[Block]:
    f = section.facts

    def held(r: dict[str, Any]) -> Line:
        line = [_t(f"{r['program']}: {r['title']}, {_when(r['start'])}")]
        if r["decisions"]:
            line.append(_t(": decided " + "; ".join(r["decisions"])))
        return line

    return [
        *_listed("Held", f["held"], held),
        *_listed(
            "Coming",
            f["coming"],
            lambda r: [_t(f"{r['program']}: {r['title']}, {_when(r['start'])}")],
        ),
    ]


def _communications(section: Section) -> list[Block]:
    def line(r: dict[str, Any]) -> Line:
        late = f", {_n(r['overdue_days'], 'day')} overdue" if r["overdue_days"] else ""
        name = _named(r, "name")
        return [_t(f"{r['program']}: {name} ({r['channel']}): due {_day(r['due'])}{late}")]

    return _listed(
        f"Due or overdue, {section.facts['overdue']} overdue", section.facts["due"], line
    )


def _contractors(section: Section) -> list[Block]:
    f = section.facts

    def assignment(word: str) -> Callable[[dict[str, Any]], Line]:
        def line(r: dict[str, Any]) -> Line:
            role = f" ({r['role']})" if r["role"] else ""
            return [
                _t(
                    f"{r['program']}: {r['person']}{role}, {r['allocation']} %, "
                    f"{word} {_day(r['day'])}"
                ),
            ]

        return line

    def over(r: dict[str, Any]) -> Line:
        return [
            _t(
                f"{r['person']}: up to {r['peak']} % on {_n(r['days'], 'day')}, "
                f"{_day(r['from'])} to {_day(r['to'])}"
            ),
        ]

    return [
        *_listed("Starting", f["starting"], assignment("from")),
        *_listed("Ending", f["ending"], assignment("until")),
        *_listed("Over 100 %", f["overallocated"], over),
    ]


def _contracts(section: Section) -> list[Block]:
    f = section.facts

    def near(r: dict[str, Any]) -> Line:
        return [
            _t(
                f"{r['number']}: "
                f"{r['vendor']} ({r['program']}): {r['percent']} % spent, "
                f"{r['spent']} of {r['ceiling']} {r['currency']}"
            ),
        ]

    def ending(r: dict[str, Any]) -> Line:
        return [
            _t(
                f"{r['number']}: "
                f"{r['vendor']} ({r['program']}): ends {_day(r['end'])}, "
                f"in {_n(r['days_left'], 'day')}"
            ),
        ]

    return [
        *_listed("Near the ceiling", f["near_ceiling"], near),
        *_listed("Ending soon", f["ending"], ending),
    ]


def _risks(section: Section) -> list[Block]:
    f = section.facts

    def risk(r: dict[str, Any]) -> Line:
        owner = r["owner"] or "nobody"
        return [
            _t(
                f"{r['program']}: {r['title']}: score {r['score']} "
                f"({r['probability']} x {r['impact']}), {owner}"
            )
        ]

    def issue(r: dict[str, Any]) -> Line:
        due = f", due {_day(r['due'])}" if r["due"] else ""
        return [_t(f"{r['program']}: {r['title']}: {r['severity']}, {r['owner'] or 'nobody'}{due}")]

    return [*_listed("Top risks", f["risks"], risk), *_listed("Open issues", f["issues"], issue)]


def _changes(section: Section) -> list[Block]:
    f = section.facts

    def decision(r: dict[str, Any]) -> Line:
        who = on_behalf(r["decided_by"], r.get("entered_by", ""))
        by = f" ({who})" if who else ""
        return [_t(f"{r['program']}: {r['title']}, {_day(r['decided_on'])}{by}")]

    def change(r: dict[str, Any]) -> Line:
        impact = [
            x
            for x in (
                f"{r['impact_days']} days" if r["impact_days"] else "",
                r["impact_amount"] or "",
            )
            if x
        ]
        more = f", impact {' and '.join(impact)}" if impact else ""
        who = on_behalf(r["approver"], r.get("entered_by", ""))
        decided = f" by {who}" if who and r["status"] != "proposed" else ""
        return [_t(f"{r['program']}: {r['title']} ({r['kind']}): {r['status']}{decided}{more}")]

    return [
        *_listed("Decided", f["decisions"], decision),
        *_listed("Change requests", f["changes"], change),
    ]


def _budget(section: Section) -> list[Block]:
    f = section.facts
    rows = [
        [r["program"], r["budget"], r["actual"], r["estimate_at_completion"], r["variance"]]
        for r in f["budget"]
    ]
    blocks = [Block("para", [[_b(f"Fiscal year {f['year']}")]])]
    if rows:
        blocks.append(
            Block(
                "table", headers=["Program", "Budget", "Actual", "Estimate", "Variance"], rows=rows
            )
        )

    def metric(r: dict[str, Any]) -> Line:
        unit = f" {r['unit']}" if r["unit"] else ""
        owner = f" ({r['program']})" if r["program"] else ""
        value = f"{r['latest']}{unit}, target {r['target']}{unit} ({r['status']})"
        return [_t(f"{r['name']}{owner}: {value}")]

    return [*blocks, *_listed("Metrics off target", f["metrics"], metric)]


def _proposals(section: Section) -> list[Block]:
    def line(r: dict[str, Any]) -> Line:
        where = f" ({r['program']})" if r["program"] else ""
        sponsor = f", sponsor {r['sponsor']}" if r["sponsor"] else ""
        waiting = _n(r["days_waiting"], "day")
        return [_t(f"{r['code']}: {r['title']}{where}: {r['status']} since {_day(r['since'])}, "
                   f"{waiting} waiting{sponsor}")]  # fmt: skip

    return _listed("Awaiting decision, longest waiting first", section.facts["awaiting"], line)


def _selection(section: Section) -> list[Block]:
    def decided(r: dict[str, Any]) -> Line:
        where = f" ({r['program']})" if r["program"] else ""
        why = f": {r['reason']}" if r["reason"] else ""
        return [_t(f"{r['code']}: {r['title']}{where}: "), _b(r["status"]),
                _t(f" on {_day(r['on'])}{why}")]  # fmt: skip

    def became(r: dict[str, Any]) -> Line:
        where = f" ({r['program']})" if r["program"] else ""
        return [_t(f"{r['code']}: {r['title']}{where} became program {r['became']} "
                   f"on {_day(r['on'])}")]  # fmt: skip

    facts = section.facts
    return [
        *_listed("Decided", facts["decided"], decided),
        *_listed("Turned into programs", facts["became"], became),
    ]


def _solicitations(section: Section) -> list[Block]:
    said = (("questions_due", "questions due"), ("bids_due", "bids due"), ("award_by", "award by"))

    def line(r: dict[str, Any]) -> Line:
        dates = ", ".join(f"{words} {_day(r[key])}" for key, words in said if r[key])
        coming = (
            f"; next: {r['next_what'].removesuffix(' by')} in {_n(r['days_to_next'], 'day')}"
            if r["next"] is not None
            else "; no date ahead"
        )
        return [
            _t(f"{r['code']}: {r['title']} ({r['program']}, {r['kind']}, {r['status']}): "),
            _t((dates or "no dates set") + coming),
        ]

    return _listed("Open, next date first", section.facts["open"], line)


def _period(start: str, end: str) -> str:
    """A reporting period as the digest's own period is written: always with its year, at
    its end (and at its start too when that is in another year)."""
    first, last = date.fromisoformat(start), date.fromisoformat(end)
    opening = f"{first:%a %d %b}" if first.year == last.year else f"{first:%a %d %b %Y}"
    return f"{opening} to {last:%a %d %b %Y}"


def _scorecards(section: Section) -> list[Block]:
    def line(r: dict[str, Any]) -> Line:
        return [
            _t(f"{r['contract']}: {r['vendor']}, {_period(r['start'], r['end'])}: "),
            _t(r["why"]),
        ]

    return _listed("Below target", section.facts["below_target"], line)


def _generic(section: Section) -> list[Block]:
    """A section without a writer of its own: each list with its count and items."""
    blocks: list[Block] = []
    for name, value in section.facts.items():
        if isinstance(value, dict) and "items" in value:
            blocks += _listed(
                name.replace("_", " ").capitalize(),
                value,
                lambda r: [_t(", ".join(str(v) for v in r.values()))],
            )
    return blocks


WRITERS: dict[str, Callable[[Section], list[Block]]] = {
    "status": _status,
    "milestones": _milestones,
    "actions": _actions,
    "meetings": _meetings,
    "communications": _communications,
    "contractors": _contractors,
    "contracts": _contracts,
    "risks": _risks,
    "changes": _changes,
    "budget": _budget,
    "proposals": _proposals,
    "selection": _selection,
    "solicitations": _solicitations,
    "scorecards": _scorecards,
}


def _covers(digest: Digest) -> str:
    scope = digest.scope
    made = digest.made_at.astimezone(scope.tz)
    return (
        f"Made {made:%a %d %b %Y %H:%M}. The period is {scope.since:%a %d %b} to "
        f'{scope.until:%a %d %b %Y}; "coming" and "due" look ahead to '
        f"{scope.next_until:%a %d %b}."
    )


def blocks(digest: Digest) -> list[Block]:
    """The whole digest as blocks: a title, when it covers, then each section."""
    _YEAR.set(digest.scope.until.year)
    out = [
        Block("heading", [[_t(digest.title)]], level=1),
        Block("para", [[_t(_covers(digest))]]),
    ]
    for section in digest.sections:
        out.append(Block("heading", [[_t(section.title)]], level=2))
        if not section.said:
            out.append(Block("para", [[_t(section.empty)]]))
            continue
        out += WRITERS.get(section.key, _generic)(section)
    return out
