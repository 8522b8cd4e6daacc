"""Issue 22's two import targets, in `make bench`: ``import csv people`` of 200,000 rows
(an office's HR export, all or nothing) under 30 s, and ``import ics`` of a 50 MB calendar
under 60 s with under 1 GiB of memory.

The files are generated here: the CSV with realistic names (accents, apostrophes, names
the large demo's people already have, a few rows without an e-mail), the calendar from the
large demo's own (``docket calendar -o``) copied over with new UIDs until it passes 50 MB,
so it has plain and repeating series, excluded dates, changed occurrences, answers and
time zones. Each import runs once, into a fresh copy of the large demo: these take tens
of seconds each, so one run is the figure (said so in the output).

    .venv/bin/python bench/import_scale_bench.py [LARGE.db]   (alone: builds the large demo)
"""

from __future__ import annotations

import csv
import os
import random
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
import unicodedata
from pathlib import Path

FIRST = (
    "Ana José Zoë Renée Łukasz Søren Ngozi Thanh Wei Chloé Björn Ayşe Mateus Aaliyah Liam "
    "Noah Olivia Emma Sofía Jürgen Maël Íñigo Siobhán Dmitri Priya Kwame Yuki Ólafur"
).split()
LAST = (
    "López García Müller Nguyễn Kowalski O'Brien Smith Tanaka Øster Dubois Çelik Brontë "
    "Ferreira Johansson Rossi Schröder Alvarez Baker Hernández Moreau Kim Patel Mensah Novák"
).split()
ORGANIZATIONS = ("City IT", "Water Utility", "Parks & Recreation", "Finance, Budget", "Police")
CSV_ROWS = 200_000
ICS_BYTES = 50 * 1024 * 1024


def people_csv(path: Path, rows: int, existing: list[str], seed: int = 22) -> None:
    """An HR export of ``rows`` new people; one in 50 has the name of someone already in
    the directory (a namesake, with an e-mail of their own), one in 97 has no e-mail."""
    rng = random.Random(seed)

    def plain(text: str) -> str:
        folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        return folded.lower().replace("'", "").replace(" ", ".")

    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["name", "email", "organization", "title", "kind", "phone", "timezone"])
        for i in range(rows):
            if existing and i % 50 == 0:
                name = rng.choice(existing)
            else:
                name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
            writer.writerow(
                [
                    name,
                    "" if i % 97 == 0 else f"{plain(name)}.{i}@hr.example.org",
                    rng.choice(ORGANIZATIONS),
                    rng.choice(("Analyst", "Clerk", "Engineer", "Records Manager", "")),
                    rng.choice(("staff", "staff", "contractor", "stakeholder")),
                    f"(312) 555-{i % 10_000:04d}" if i % 3 else "",
                    rng.choice(("", "America/Chicago", "Europe/Paris")),
                ]
            )


def edit_export(listed: str, path: Path) -> None:
    """A ``person list --format csv`` with half the titles and a seventh of the e-mails
    changed, as an office edits its export before reading it back."""
    rows = list(csv.DictReader(listed.splitlines()))
    for i, row in enumerate(rows):
        if i % 2 == 0:
            row["title"] = (row["title"] or "Staff") + " II"
        if i % 7 == 0 and row["email"]:
            row["email"] = row["email"].replace("@", ".new@")
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def big_calendar(exported: Path, path: Path, size: int) -> int:
    """The exported calendar copied over with new UIDs until the file passes ``size``
    bytes (docket's milestones left out: they are not meetings); how many events."""
    text = exported.read_bytes().decode("utf-8")
    head, _, rest = text.partition("BEGIN:VEVENT")
    body = "BEGIN:VEVENT" + rest.rpartition("END:VEVENT")[0] + "END:VEVENT\r\n"
    events = [
        "BEGIN:VEVENT" + e for e in body.split("BEGIN:VEVENT")[1:] if "UID:milestone-" not in e
    ]
    written, count = len(head), 0
    with path.open("w", encoding="utf-8", newline="") as out:
        out.write(head)
        copy = 0
        while written < size:
            for event in events:
                chunk = event.replace("\nUID:", f"\nUID:copy{copy}-", 1)
                out.write(chunk)
                written += len(chunk.encode("utf-8"))
                count += 1
            copy += 1
        out.write("END:VCALENDAR\r\n")
    return count


def _timed(db: Path, *args: str) -> tuple[float, float, int, str]:
    """One docket command in a fresh process: wall seconds, its peak RSS (MiB, from
    wait4: this child's alone), exit status and the last line it printed (with its CPU
    seconds, which say more than the wall time on a busy machine)."""
    command = [sys.executable, "-m", "docket.tui", "--db", str(db), *args]
    with tempfile.TemporaryFile("w+") as out:
        started = time.perf_counter()
        child = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT, text=True)
        _, waited, usage = os.wait4(child.pid, 0)
        took = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(waited)
        out.seek(0)
        lines = out.read().strip().splitlines()
    said = f"cpu {usage.ru_utime + usage.ru_stime:.1f} s; " + (lines[-1] if lines else "")
    return took, usage.ru_maxrss / 1024, child.returncode, said[:100]


def report(large: Path, workdir: Path) -> None:
    """Both imports, each once into a fresh copy of the large demo, against the targets."""
    print("imports at scale (issue 22), one run each (each takes tens of seconds):", flush=True)
    names = [n for (n,) in sqlite3.connect(large).execute("SELECT name FROM person")]
    people = workdir / "hr-export.csv"
    people_csv(people, CSV_ROWS, names)
    copy = workdir / "import-csv.db"
    shutil.copyfile(large, copy)
    took, peak, status, said = _timed(copy, "import", "csv", "people", str(people))
    verdict = "ok" if status == 0 and took < 30 else "SLOW"
    print(
        f"{'import csv people, 200,000 rows':48} {took:7.2f} s   1 run, peak {peak:.0f} MiB "
        f"(target < 30 s) {verdict}: {said}"
    )
    # the same export read back with half the titles and a seventh of the e-mails changed:
    # every row names a person, so it updates (the case that took over 11 minutes)
    listed = subprocess.run(
        [
            sys.executable,
            "-m",
            "docket.tui",
            "--db",
            str(copy),
            "person",
            "list",
            "--format",
            "csv",
        ],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    edited = workdir / "hr-export-edited.csv"
    edit_export(listed, edited)
    took, peak, status, said = _timed(copy, "import", "csv", "people", str(edited))
    verdict = "ok" if status == 0 and took < 30 else "SLOW"
    print(
        f"{'import csv people, 200,000 rows updating':48} {took:7.2f} s   1 run, peak "
        f"{peak:.0f} MiB (target < 30 s) {verdict}: {said}"
    )
    exported = workdir / "large-calendar.ics"
    _timed(large, "calendar", "-o", str(exported), "--force")
    calendar = workdir / "big-calendar.ics"
    events = big_calendar(exported, calendar, ICS_BYTES)
    megabytes = calendar.stat().st_size / 1_000_000
    copy = workdir / "import-ics.db"
    shutil.copyfile(large, copy)
    program = sqlite3.connect(large).execute("SELECT code FROM program LIMIT 1").fetchone()[0]
    took, peak, status, said = _timed(copy, "import", "ics", str(calendar), "--program", program)
    verdict = "ok" if status in (0, 1) and took < 60 and peak < 1024 else "SLOW"
    print(
        f"{f'import ics, {megabytes:.0f} MB, {events:,} events':48} {took:7.2f} s   1 run, "
        f"peak {peak:.0f} MiB (target < 60 s, < 1024 MiB) {verdict}: {said}"
    )


def main() -> int:
    workdir = Path(tempfile.mkdtemp(prefix="docket-import-bench-"))
    if len(sys.argv) > 1:
        large = Path(sys.argv[1])
    else:
        large = workdir / "large.db"
        subprocess.run(
            [sys.executable, "-m", "docket.tui", "--db", str(large), "demo", "--size", "large"],
            check=True,
            stdout=subprocess.DEVNULL,
        )
    os.environ.setdefault("DOCKET_CONFIG", os.devnull)
    report(large, workdir)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
