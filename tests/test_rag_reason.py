"""A typed RAG better than the evidence needs a reason (the RAG note), given in the same
change; emptying it while the colour is still better is refused. Both colours and the
reason show in ``program status``, ``program list``, Today and the digest, and the app's
program form refuses the same way, on the field, keeping what was typed."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from pg_demo import demo_on_both, pytest_generate_tests  # noqa: F401 (fixture, hook: both engines)
from sql_trace import statements
from textual.widgets import OptionList, Select, Static, TextArea
from tui_support import settle, shown

from docket.models.comms.digest import build_digest
from docket.models.core.context import Context
from docket.models.core.database import open_database
from docket.models.core.errors import ValidationError
from docket.models.core.schema import AuditEntry, Program, database
from docket.models.governance.issues import add_issue, update_issue
from docket.models.overview.today import build_today, sections, today_facts
from docket.models.portfolio.evidence import derived_status, derived_statuses, disputed
from docket.models.portfolio.programs import add_program, get_program, update_program
from docket.tui.app import DocketApp
from docket.tui.forms.base import EditForm

pytestmark = pytest.mark.both_engines

TODAY = date(2026, 11, 23)
MakeApp = Callable[[Path], DocketApp]


@pytest.fixture
def office(db_path: Path, ctx: Context) -> Context:
    """ERP typed red with a critical issue (evidence red); WEB typed red with no evidence."""
    add_program(ctx, "ERP", "ERP replacement", rag="red", rag_note="Payroll down")
    add_program(ctx, "HR", "HR module", parent="ERP")
    add_program(ctx, "WEB", "Web site", rag="red")
    add_issue(ctx, "Payroll broken", program="HR", severity="critical")
    return ctx


def _edit(ctx: Context, code: str = "ERP", **changes: str) -> Program:
    return update_program(ctx, get_program(code).id, None, **changes)


def _refused(ctx: Context, **changes: str) -> str:
    with pytest.raises(ValidationError) as caught:
        _edit(ctx, **changes)
    assert caught.value.field == "rag note"
    return str(caught.value)


# --- the rule, in the models ------------------------------------------------------------


@pytest.mark.parametrize("rag", ["green", "amber"])
def test_a_better_colour_without_a_reason_is_refused(office: Context, rag: str) -> None:
    message = _refused(office, rag=rag)
    assert message == (
        "rag note: a reason is needed when the RAG is better than the evidence: "
        f"{rag.upper()}, evidence RED (#1 Payroll broken: critical, open)"
    )
    assert get_program("ERP").rag == "red"


def test_the_old_note_is_not_the_reason_for_a_new_colour(office: Context) -> None:
    # ERP's note says why it was red; going green needs a reason given with the change
    _refused(office, rag="green")
    _refused(office, rag="green", rag_note="   ")


def test_equal_or_worse_needs_no_reason(office: Context) -> None:
    _edit(office, rag="red", rag_note="")  # equal to the evidence
    assert get_program("ERP").rag_note == ""
    _edit(office, "WEB", rag="amber")  # worse than the evidence (green)
    _edit(office, "WEB", rag="green")  # equal
    assert derived_status("WEB", TODAY)["disagrees"] is False


def test_a_better_colour_with_a_reason_is_kept_with_the_audit_entry(office: Context) -> None:
    updated = _edit(office, rag="green", rag_note="Manual payroll run agreed with HR")
    assert (updated.rag, updated.rag_note) == ("green", "Manual payroll run agreed with HR")
    entry = AuditEntry.select().order_by(AuditEntry.id.desc()).first()
    assert (entry.entity, entry.note) == ("program", "Manual payroll run agreed with HR")
    facts = derived_status("ERP", TODAY)
    assert (facts["typed"], facts["derived"], facts["disagrees"]) == ("green", "red", True)
    assert (facts["reason"], facts["reason_missing"]) == (
        "Manual payroll run agreed with HR",
        False,
    )


def test_emptying_the_reason_while_still_better_is_refused(office: Context) -> None:
    _edit(office, rag="green", rag_note="Manual payroll run agreed with HR")
    message = _refused(office, rag_note="")
    assert message.startswith("rag note: a reason is needed while the RAG is better")
    _refused(office, rag_note=" \n ")
    # another reason, and other fields, are fine
    _edit(office, rag_note="Payroll fixed in test; release Friday")
    _edit(office, name="ERP replacement programme")
    # once the evidence is gone, the note may go too
    update_issue(office, 1, None, status="closed")
    _edit(office, rag_note="")
    assert get_program("ERP").rag_note == ""


def test_a_better_colour_and_an_emptied_note_together_are_refused(office: Context) -> None:
    _edit(office, rag="amber", rag_note="Workaround in place")
    _refused(office, rag="green", rag_note="")


def test_adding_a_program_needs_no_reason(office: Context) -> None:
    # a new program has no records yet: its evidence is green, no colour is better than it
    added = add_program(office, "GIS", "Mapping", rag="green")
    assert derived_status(added.code, TODAY)["derived"] == "green"


@pytest.mark.parametrize("note", [".", " - ", "?!", "123"])
def test_a_reason_without_a_word_is_no_reason(office: Context, note: str) -> None:
    _refused(office, rag="green", rag_note=note)


def test_the_thresholds_of_the_config_decide(office: Context, tmp_path: Path) -> None:
    from docket.models.core.config import read_config

    path = tmp_path / "docket.toml"
    path.write_text("evidence_risk_score = 25\n")
    config = read_config(path)
    update_issue(office, 1, None, status="closed")
    from docket.models.governance.risks import add_risk

    add_risk(office, "Vendor fails", program="ERP", probability=4, impact=4)
    with pytest.raises(ValidationError):
        update_program(office, get_program("ERP").id, None, rag="green")
    update_program(office, get_program("ERP").id, None, config=config, rag="green")


# --- the evidence of every program, in a fixed number of queries -------------------------


def _queries(run: Callable[[], object]) -> int:
    with statements() as seen:
        run()
    return len(seen)


def test_the_evidence_of_all_programs_reads_the_same_queries_however_many(
    office: Context,
) -> None:
    few = _queries(lambda: derived_statuses(TODAY))
    for n in range(10):
        add_program(office, f"P{n}", f"Program {n}", parent="ERP" if n % 2 else None)
        add_issue(office, f"Outage {n}", program=f"P{n}", severity="critical")
    assert _queries(lambda: derived_statuses(TODAY)) == few
    # HR (green under a critical issue) and each new one, green against its own
    assert len(disputed(TODAY)) == 11


# --- the command line --------------------------------------------------------------------


def test_the_command_refuses_in_one_line_and_accepts_with_a_note(office: Context, cli: Any) -> None:
    result = cli("program", "edit", "ERP", "--rag", "green")
    assert result.status == 2
    assert result.out == ""
    assert result.err.splitlines() == [
        "docket: rag note: a reason is needed when the RAG is better than the evidence: "
        "GREEN, evidence RED (#1 Payroll broken: critical, open)"
    ]
    result = cli("program", "edit", "ERP", "--rag", "green", "--note", "Manual payroll run")
    assert result.status == 0, result.err
    result = cli("program", "edit", "ERP", "--note", "")
    assert result.status == 2
    assert len(result.err.splitlines()) == 1
    result = cli("program", "status", "ERP")
    assert result.out.splitlines()[0] == (
        "ERP: typed GREEN, evidence RED, reason: Manual payroll run"
    )


def test_status_says_no_reason_given(office: Context, cli: Any) -> None:
    # a colour typed before the evidence came (the rule binds writes, not the data)
    add_program(office, "CRM", "CRM", rag="green")
    add_issue(office, "Data loss", program="CRM", severity="critical")
    result = cli("program", "status", "CRM")
    assert result.out.splitlines()[0] == "CRM: typed GREEN, evidence RED, no reason given"
    result = cli("program", "status", "CRM", "--format", "json")
    facts = json.loads(result.out)[0]
    assert (facts["reason"], facts["reason_missing"]) == ("", True)


def test_the_program_list_has_the_evidence_column(office: Context, cli: Any) -> None:
    result = cli("program", "list")
    lines = result.out.splitlines()
    assert lines[0].split() == ["code", "name", "parent", "owner", "rag", "evidence", "rag_note"]
    assert lines[1].split()[:5] == ["ERP", "ERP", "replacement", "red", "red"]
    rows = json.loads(cli("program", "list", "--format", "json").out)
    assert [(r["code"], r["rag"], r["evidence"]) for r in rows] == [
        ("ERP", "red", "red"),
        ("HR", "green", "red"),
        ("WEB", "red", "green"),
    ]


# --- Today ---------------------------------------------------------------------------------


def test_today_lists_the_programs_better_than_their_evidence(office: Context, cli: Any) -> None:
    _edit(office, rag="amber", rag_note="Manual payroll run")
    facts = today_facts(build_today(office))
    assert facts["status_disputes"] == [
        {
            "kind": "status",
            "text": "ERP: typed AMBER, evidence RED, reason: Manual payroll run; "
            "worst: #1 Payroll broken: critical, open",
            "days": 0,
            "program": "ERP",
            "typed": "amber",
            "evidence": "red",
            "reason": "Manual payroll run",
        },
        {
            "kind": "status",
            "text": "HR: typed GREEN, evidence RED, no reason given; "
            "worst: #1 Payroll broken: critical, open",
            "days": 0,
            "program": "HR",
            "typed": "green",
            "evidence": "red",
            "reason": "",
        },
    ]
    assert facts["counts"]["status_disputes"] == 2
    assert sections(facts)[-1].title == "Programs coloured better than the evidence"
    # scoped to a program: it and those under it
    scoped = today_facts(build_today(office, program="HR"))
    assert [a["text"][:3] for a in scoped["status_disputes"]] == ["HR:"]
    out = cli("today").out
    assert "Programs coloured better than the evidence: 2" in out
    assert "HR: typed GREEN, evidence RED, no reason given" in out


def test_today_without_a_disagreement_has_no_such_section(office: Context) -> None:
    update_issue(office, 1, None, status="closed")
    facts = today_facts(build_today(office))
    assert "status_disputes" not in facts
    assert "status_disputes" not in facts["counts"]


# --- the digest ----------------------------------------------------------------------------


def test_the_digest_shows_both_colours_and_the_reason(office: Context) -> None:
    from docket.exports.digests.digest import render

    _edit(office, rag="amber", rag_note="Manual payroll run")
    made = build_digest(office, period="week")
    status = made.sections[0]
    assert [
        (p["code"], p["rag"], p["evidence"], p["disagrees"], p["reason_missing"])
        for p in status.facts["programs"]
    ] == [
        ("ERP", "amber", "red", True, False),
        ("HR", "green", "red", True, True),
        ("WEB", "red", "green", False, False),
    ]
    text = " ".join(render(made, "txt").split())  # wrapped at 72 columns
    assert "3 programs: 1 red, 1 amber, 1 green. 2 coloured better than the evidence." in text
    assert "- ERP: ERP replacement: AMBER (evidence RED). Reason: Manual payroll run" in text
    assert "- HR: HR module: GREEN (evidence RED). No reason given for a RAG better" in text
    assert "- WEB: Web site: RED. -" in text
    markdown = render(made, "md")
    assert "| ERP: ERP replacement | AMBER (evidence RED) | Reason: Manual payroll run |" in (
        markdown
    )


def test_the_digest_reads_the_evidence_with_the_config_thresholds(
    office: Context, tmp_path: Path
) -> None:
    from docket.models.core.config import read_config
    from docket.models.governance.risks import add_risk

    update_issue(office, 1, None, status="closed")
    add_risk(office, "Vendor fails", program="WEB", probability=4, impact=4)  # score 16
    path = tmp_path / "docket.toml"
    path.write_text("evidence_risk_score = 25\n")

    def web(config: Any) -> tuple[str, bool]:
        made = build_digest(office, period="week", config=config)
        row = next(p for p in made.sections[0].facts["programs"] if p["code"] == "WEB")
        return row["evidence"], row["disagrees"]

    # the default (15) counts the risk; the office's 25 does not
    assert web(None) == ("amber", False)
    assert web(read_config(path)) == ("green", False)


# --- the app's program form ----------------------------------------------------------------


async def _open_form(pilot: Any, code: str) -> EditForm:
    pilot.app.action_edit_program(code)
    await settle(pilot)
    form = pilot.app.screen
    assert isinstance(form, EditForm)
    return form


async def test_the_form_refuses_on_the_note_field_and_keeps_what_was_typed(
    demo_db: Path, make_app: MakeApp
) -> None:
    # the demo's ERP: typed green, its evidence red, with a note
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        form = await _open_form(pilot, "ERP")
        # the evidence's colour under the RAG, from the start
        assert shown(form.query_one("#hint-rag", Static)).startswith("→ evidence RED (")
        form.query_one("#field-rag_note", TextArea).text = ""
        form.query_one("#field-objective", TextArea).text = "Kept as typed"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is form
        hint = shown(form.query_one("#hint-rag_note", Static))
        assert hint.startswith("rag note: a reason is needed while the RAG is better")
        assert "GREEN, evidence RED" in hint
        assert form.values()["objective"] == "Kept as typed"
        assert form.query_one("#field-rag_note", TextArea).has_focus
        # a new colour, still better, with a reason typed: saved
        form.query_one("#field-rag", Select).value = "amber"
        form.query_one("#field-rag_note", TextArea).text = "Recovery plan agreed"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(pilot.app.screen, EditForm)
    open_database(demo_db)
    saved = get_program("ERP")
    assert (saved.rag, saved.rag_note, saved.objective) == (
        "amber",
        "Recovery plan agreed",
        "Kept as typed",
    )


async def test_the_form_refuses_a_new_better_colour_without_a_new_reason(
    demo_db: Path, make_app: MakeApp
) -> None:
    open_database(demo_db)
    facts = derived_status("NET", TODAY)
    database.close()
    assert (facts["typed"], facts["derived"]) == ("amber", "red")
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        form = await _open_form(pilot, "NET")
        form.query_one("#field-rag", Select).value = "green"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert pilot.app.screen is form
        hint = shown(form.query_one("#hint-rag_note", Static))
        assert hint.startswith("rag note: a reason is needed when the RAG is better")
        assert form.values()["rag"] == "green"


async def test_todays_section_in_the_app_leads_to_the_program_form(
    demo_db: Path, make_app: MakeApp
) -> None:
    async with make_app(demo_db).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        listing = pilot.app.screen.query_one(OptionList)
        ids = [o.id or "" for o in listing.options]
        rows = [i for i in ids if i.endswith(":status_disputes") and i.startswith("alert:")]
        assert rows
        first = listing.get_option(rows[0])
        assert "evidence RED" in str(first.prompt)
        listing.highlighted = ids.index(rows[0])
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, EditForm)
