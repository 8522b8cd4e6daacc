"""Many writers on one database at once, and a writer killed mid-write: nothing is lost.

Real processes (forked, each with its own connection) write to one file, as several
administrators' terminals do on a shared host. Every write is either applied or refused
as a conflict; SQLite's "database is locked" never reaches anyone; the integrity check
passes; what was reported committed is there after a SIGKILL.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import signal
import time
from pathlib import Path
from typing import Any

from docket.models.actions import items as actions
from docket.models.core.context import Context
from docket.models.core.database import connect, integrity_problems
from docket.models.core.errors import ConflictError
from docket.models.core.schema import ActionItem, AuditEntry, database

WRITERS = 8
WRITES = 200
POOL = 12  # items every writer edits, so that writers really collide


def _writer(path: str, number: int, results: Any) -> None:
    """200 mixed writes as account ``w<number>``: add, rename, re-prioritise, close and
    reopen; each outcome is sent back (applied, unchanged or a conflict), and so is any other
    error."""
    database.initialize(None)
    connect(Path(path))
    ctx = Context(actor=f"w{number}")
    rng = random.Random(number)
    outcomes: list[tuple[str, Any]] = []
    try:
        for i in range(WRITES):
            kind = rng.choice(("add", "title", "title", "priority", "status"))
            token = f"w{number}-{i}"
            if kind == "add":
                item = actions.add_action(ctx, token)
                outcomes.append(("applied", ["add", item.id, token]))
                continue
            target = rng.randint(1, POOL)
            version = ActionItem.get_by_id(
                target
            ).version  # read, then write: others may come between
            change: dict[str, Any] = {
                "title": {"title": token},
                "priority": {"priority": rng.choice(("low", "normal", "high", "urgent"))},
                "status": {"status": rng.choice(("open", "in progress", "blocked"))},
            }[kind]
            try:
                saved = actions.update_action(ctx, target, version, **change)
            except ConflictError:
                outcomes.append(("conflict", [kind, target]))
            else:
                # a value equal to the stored one writes nothing (and audits nothing)
                done = "applied" if saved.version == version + 1 else "unchanged"
                outcomes.append((done, [kind, target, change]))
    except Exception as exc:  # noqa: BLE001 - any other failure is what the test looks for
        outcomes.append(("error", repr(exc)))
    results.put((number, json.dumps(outcomes)))
    database.close()


def test_eight_writers_at_once_lose_nothing_and_never_see_a_lock(
    db_path: Path, ctx: Context
) -> None:
    for n in range(POOL):
        actions.add_action(ctx, f"shared item {n}")
    database.close()
    fork = multiprocessing.get_context("fork")
    results = fork.Queue()
    workers = [
        fork.Process(target=_writer, args=(str(db_path), n, results)) for n in range(WRITERS)
    ]
    for w in workers:
        w.start()
    outcomes = dict(results.get(timeout=120) for _ in workers)
    for w in workers:
        w.join(timeout=30)
    connect(db_path)
    every = {n: json.loads(text) for n, text in outcomes.items()}
    errors = [o for rows in every.values() for o in rows if o[0] == "error"]
    assert errors == []  # no "database is locked": applied, unchanged or a conflict
    assert all(len(rows) == WRITES for rows in every.values())
    assert integrity_problems() == []
    for n, rows in every.items():
        applied = [o for o in rows if o[0] == "applied"]
        # every applied write left exactly one audit entry by its writer
        assert AuditEntry.select().where(AuditEntry.actor == f"w{n}").count() == len(applied)
        for _, (kind, ident, *rest) in applied:
            if kind == "add":
                assert ActionItem.get_by_id(ident).title == rest[0]
    # no lost update: each pooled item is at the version its audited changes say, and
    # holds the value of its newest audited change
    for ident in range(1, POOL + 1):
        item = ActionItem.get_by_id(ident)
        entries = list(
            AuditEntry.select()
            .where(AuditEntry.entity == "action_item", AuditEntry.entity_id == ident)
            .order_by(AuditEntry.id)
        )
        updates = [e for e in entries if e.action == "update"]
        assert item.version == 1 + len(updates)
        newest_title = next(
            (
                json.loads(e.changes)["title"][1]
                for e in reversed(updates)
                if "title" in json.loads(e.changes)
            ),
            f"shared item {ident - 1}",
        )
        assert item.title == newest_title
    conflicts = sum(o[0] == "conflict" for rows in every.values() for o in rows)
    assert conflicts > 0  # the writers did collide; the test tested something


def _crashing_writer(path: str, report: int, seed: int) -> None:
    """Add items for ever, writing each one's title to ``report`` once it is committed."""
    database.initialize(None)
    connect(Path(path))
    ctx = Context(actor="crasher")
    i = 0
    while True:
        title = f"s{seed}-{i}"
        actions.add_action(ctx, title, notes="x" * (i % 7) * 300)
        os.write(report, (title + "\n").encode())
        i += 1


def test_a_writer_killed_at_random_points_loses_nothing_it_reported(db_path: Path) -> None:
    database.close()
    rng = random.Random(7)
    reported: list[str] = []
    for round_ in range(50):
        reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                os.close(reader)
                _crashing_writer(str(db_path), writer, round_)
            finally:
                os._exit(0)
        os.close(writer)
        # let the writer commit a few items (however slow the machine), then kill it at a
        # random moment of its next ones
        with os.fdopen(reader, "rb", buffering=0) as pipe:
            seen = b""
            wanted = rng.randint(1, 3)
            while seen.count(b"\n") < wanted:
                chunk = pipe.read(4096)
                if not chunk:
                    break
                seen += chunk
            time.sleep(rng.uniform(0.0, 0.01))
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            seen += pipe.read()
        # a line cut short by the kill was not reported
        reported += [line for line in seen.decode().split("\n")[:-1]]
    connect(db_path)
    assert integrity_problems() == []
    present = {a.title for a in ActionItem.select(ActionItem.title)}
    missing = [t for t in reported if t not in present]
    assert missing == []
    assert len(reported) > 50  # the writers did write between kills
