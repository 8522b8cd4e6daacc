"""Many writers on one database at once, and a writer killed mid-write: nothing is lost.

Real processes (forked, each with its own connection) write to one file, as several
administrators' terminals do on a shared host. Every write is either applied or refused
as a conflict; SQLite's "database is locked" never reaches anyone; the integrity check
passes; what was reported committed is there after a SIGKILL.

Nothing here depends on the machine's speed: a writer waits for the write lock as long as
it takes (a loaded machine only makes the run longer), and the killed writer is killed once
it has reported its commits, wherever it then is in the next one. Both runs are marked
``slow``: ``make test`` runs them, ``pytest -m "not slow"`` leaves them out.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import random
import signal
from pathlib import Path
from typing import Any

import pytest

from docket.models.actions import items as actions
from docket.models.core.context import Context
from docket.models.core.database import connect, integrity_problems
from docket.models.core.errors import ConflictError
from docket.models.core.schema import ActionItem, AuditEntry, database

WRITERS = 8
WRITES = 200
POOL = 12  # items every writer edits, so that writers really collide
# how long a writer here waits for the write lock: docket's ten seconds are ample for people
# at terminals, but eight processes hammering one file on a loaded machine can starve one
# for longer; waiting (not failing at once) is what is tested, not how long
LOCK_WAIT_MS = 10 * 60 * 1000
ROUNDS = 50  # writers killed, one after another

pytestmark = pytest.mark.slow


def _connect_patiently(path: str) -> None:
    """Bind the models to the file in this (forked) process, waiting for the lock at will."""
    database.initialize(None)
    connect(Path(path))
    database.execute_sql(f"PRAGMA busy_timeout = {LOCK_WAIT_MS}")


def _update(
    ctx: Context, kind: str, target: int, version: int, change: dict[str, Any]
) -> tuple[str, Any]:
    """One change to a pooled item read at ``version``: its outcome."""
    try:
        saved = actions.update_action(ctx, target, version, **change)
    except ConflictError:
        return ("conflict", [kind, target])
    # a value equal to the stored one writes nothing (and audits nothing)
    done = "applied" if saved.version == version + 1 else "unchanged"
    return (done, [kind, target, change])


def _writer(path: str, number: int, results: Any, clash: Any) -> None:
    """A clash, then 200 mixed writes as account ``w<number>``: add, rename, re-prioritise,
    close and reopen; each outcome is sent back (applied, unchanged or a conflict), and so is
    any other error. The clash: every writer reads the first item, waits for the others at
    the barrier ``clash``, then renames it, so that the writers collide however the machine
    schedules them (one rename applies, the others are conflicts)."""
    _connect_patiently(path)
    ctx = Context(actor=f"w{number}")
    rng = random.Random(number)
    outcomes: list[tuple[str, Any]] = []
    try:
        version = ActionItem.get_by_id(1).version
        clash.wait()
        outcomes.append(_update(ctx, "title", 1, version, {"title": f"w{number}-clash"}))
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
            outcomes.append(_update(ctx, kind, target, version, change))
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
    clash = fork.Barrier(WRITERS)
    workers = [
        fork.Process(target=_writer, args=(str(db_path), n, results, clash)) for n in range(WRITERS)
    ]
    for w in workers:
        w.start()
    # the timeout only keeps a hung writer from hanging the run; it decides nothing
    outcomes = dict(results.get(timeout=LOCK_WAIT_MS / 1000) for _ in workers)
    for w in workers:
        w.join()
    connect(db_path)
    every = {n: json.loads(text) for n, text in outcomes.items()}
    errors = [o for rows in every.values() for o in rows if o[0] == "error"]
    assert errors == []  # no "database is locked": applied, unchanged or a conflict
    assert all(len(rows) == 1 + WRITES for rows in every.values())
    clashed = [rows[0][0] for rows in every.values()]
    assert sorted(clashed) == ["applied"] + ["conflict"] * (WRITERS - 1)
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
    # the writers collided at the clash at least (the test tested something), and most
    # likely in their mixed writes too
    conflicts = sum(o[0] == "conflict" for rows in every.values() for o in rows)
    assert conflicts >= WRITERS - 1


def _crashing_writer(path: str, report: int, seed: int) -> None:
    """Add items for ever, writing each one's title to ``report`` once it is committed."""
    _connect_patiently(path)
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
    wanted_in_all = 0
    for round_ in range(ROUNDS):
        reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:
            try:
                os.close(reader)
                _crashing_writer(str(db_path), writer, round_)
            finally:
                os._exit(0)
        os.close(writer)
        # wait for the writer to report a few commits (however slow the machine), then kill
        # it at once: wherever it is in its next one, which is what varies, not the test
        with os.fdopen(reader, "rb", buffering=0) as pipe:
            seen = b""
            wanted = rng.randint(1, 3)
            wanted_in_all += wanted
            while seen.count(b"\n") < wanted:
                chunk = pipe.read(4096)
                assert chunk, f"round {round_}: the writer stopped before its {wanted} commits"
                seen += chunk
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
    assert len(reported) >= wanted_in_all  # every writer wrote what it was waited for
