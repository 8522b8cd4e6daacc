"""Faults: the server restarted under a write storm, a commit cut off, a network cut.

On a private cluster (tests/pg_cluster.py). Nothing here waits a guessed while: each test
makes the clients stop at a known point, with a lock the test holds (the write lock, or a
table lock that stops a change half-way), waits until the server shows them waiting there
(``pg_stat_activity``), and only then restarts the server or cuts the link. The time limits
are generous upper bounds on a run that ends by events.

What docket does (models/core/engine_faults.py): a write lost before it was sent begins
again once the server answers; one lost in the middle is made again by
:func:`~engine_faults.retrying` (the server rolled it back); one lost during COMMIT is settled
by asking the server whether its transaction committed. Each client says what happened in
one line. Afterwards ``docket check`` passes and the rows are exactly what the clients said
they saved.
"""

from __future__ import annotations

import queue
import secrets
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest
from pg_cluster import PYTHON, Cluster, require_cluster, run, start_cluster
from test_postgres import ok

from docket.models.core.engine import WRITE_LOCK

slow = pytest.mark.slow  # server restarts, and a network cut the keepalives notice

UPPER_BOUND_S = 300  # every wait ends by an event long before this
# a writer: saves ``before`` action items, says "paused" and waits for a line, saves
# ``after`` more, each through engine_faults.retrying; prints "saved ID TITLE" for each and,
# at its end, what docket got over, one line each, on stderr (as the command line would)
WRITER = """
import sys
from docket.models.actions.items import add_action
from docket.models.core import engine_faults as faults
from docket.models.core.context import Context
from docket.models.core.database import open_database
from docket.models.core.errors import DocketError

url, number, before, after = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
try:
    open_database(url)
    ctx = Context(actor="writer")
    for i in range(before + after):
        if i == before:
            print("paused", flush=True)
            sys.stdin.readline()
        title = f"w{number}-{i}"
        item = faults.retrying(lambda: add_action(ctx, title))
        print(f"saved {item.id} {title}", flush=True)
    status = 0
except DocketError as exc:
    print(f"docket: {exc}", file=sys.stderr)
    status = 1
for line in faults.take_notes():
    print(f"docket: {line}", file=sys.stderr)
sys.exit(status)
"""


def one_line(errors: list[str], head: str, tail: str) -> None:
    """What a client said is one line, ``head``, the server's or driver's reason, ``tail``."""
    assert len(errors) == 1, errors
    assert errors[0].startswith(head) and errors[0].endswith(tail), errors[0]
    reason = errors[0][len(head) : -len(tail)]
    assert reason and "\n" not in reason and "Traceback" not in reason


def test_every_connection_gets_the_timeouts_and_keepalives_on_both_sides() -> None:
    from docket.models.core.engine_faults import connection_settings

    settings = connection_settings("postgresql:///docket?host=/run/postgresql&port=5433")
    assert settings["connect_timeout"] == 10 and settings["keepalives"] == 1
    assert (settings["keepalives_idle"], settings["tcp_user_timeout"]) == (10, 30_000)
    assert "-c tcp_keepalives_idle=10 " in settings["options"]
    assert "-c idle_in_transaction_session_timeout=300000" in settings["options"]
    # what the URL says wins: its own timeout, and its options after docket's
    own = connection_settings("postgresql://h/d?connect_timeout=3&options=-c%20work_mem%3D8MB")
    assert "connect_timeout" not in own
    assert own["options"].endswith("-c idle_in_transaction_session_timeout=300000 -c work_mem=8MB")


def test_a_failure_is_said_in_the_servers_first_words() -> None:
    from docket.models.core.engine_faults import passing, reason_of

    lost = OSError(
        "consuming input failed: server closed the connection unexpectedly\n\tThis probably"
    )
    assert reason_of(lost) == "consuming input failed: server closed the connection unexpectedly"
    assert passing("FATAL:  the database system is starting up")
    assert passing('connection to server on socket "/tmp/.s.PGSQL.5432" failed: Connection refused')
    assert not passing('password authentication failed for user "ana"')


def wait_for(what: str, condition: Callable[[], bool]) -> None:
    """Wait until ``condition`` holds (the server shows a client where the test stopped it),
    asking again every 0.1 s; fail naming ``what`` after :data:`UPPER_BOUND_S`."""
    deadline = time.monotonic() + UPPER_BOUND_S
    while not condition():
        assert time.monotonic() < deadline, f"never happened: {what}"
        time.sleep(0.1)


@dataclass
class Writer:
    """A writer process, its saves read as they come."""

    number: int
    proc: subprocess.Popen[str]
    lines: queue.Queue[str] = field(default_factory=queue.Queue)
    saved: list[tuple[int, str]] = field(default_factory=list)

    @classmethod
    def start(cls, url: str, number: int, before: int, after: int) -> Writer:
        import os

        env = {**os.environ, "PGAPPNAME": f"dkt_w{number}"}
        argv = [str(PYTHON), "-c", WRITER, url, str(number), str(before), str(after)]
        proc = subprocess.Popen(
            argv, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True, env=env,
        )  # fmt: skip
        writer = cls(number, proc)
        threading.Thread(target=writer._read, daemon=True).start()
        return writer

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.put(line.rstrip("\n"))
        self.lines.put("")  # its end

    def until(self, word: str) -> None:
        """Read its output up to the line ``word``, keeping what it saved."""
        while True:
            line = self.lines.get(timeout=UPPER_BOUND_S)
            assert line, f"writer {self.number} ended before saying {word}"
            if line == word:
                return
            self._keep(line)

    def _keep(self, line: str) -> None:
        _, number, title = line.split(" ", 2)
        self.saved.append((int(number), title))

    def go(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.write("go\n")
        self.proc.stdin.flush()

    def finish(self) -> tuple[int, list[str]]:
        """Its exit status and what it said on stderr, once it has ended."""
        try:
            status = self.proc.wait(timeout=UPPER_BOUND_S)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            raise
        while (line := self.lines.get(timeout=UPPER_BOUND_S)) != "":
            self._keep(line)
        assert self.proc.stderr is not None
        return status, self.proc.stderr.read().splitlines()


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    require_cluster()
    with start_cluster() as made:
        yield made


@pytest.fixture
def office(cluster: Cluster) -> Iterator[str]:
    """A new docket database on the cluster (made by ``docket init`` as its superuser);
    its superuser's URL."""
    db = cluster.create_database()
    url = cluster.admin_url(db)
    ok(url, "init")
    yield url
    cluster.sql(f"DROP DATABASE {db} WITH (FORCE)")


def sessions(cluster: Cluster, where: str) -> int:
    """How many sessions the server shows matching ``where`` (pg_stat_activity's columns)."""
    return int(cluster.sql(f"SELECT count(*) FROM pg_stat_activity WHERE {where}")[0][0])


def integrity(url: str, saved: list[tuple[int, str]]) -> None:
    """The action items are exactly those the clients said they saved, each with its one
    audit entry, and ``docket check`` passes."""
    import psycopg

    with psycopg.connect(url) as conn:
        items = conn.execute("SELECT id, title FROM action_item ORDER BY id").fetchall()
        entries = conn.execute(
            "SELECT entity_id, count(*) FROM audit_entry WHERE entity = 'action_item'"
            " AND action = 'create' GROUP BY entity_id ORDER BY entity_id"
        ).fetchall()
    assert sorted(items) == sorted(saved)
    assert entries == [(i, 1) for i, _ in sorted(saved)]
    assert "ok (schema version" in ok(url, "check")


@slow
def test_a_restart_in_a_write_storm_loses_nothing_and_each_client_says_so_once(
    cluster: Cluster, office: str
) -> None:
    writers = [Writer.start(office, n, 5, 5) for n in range(4)]
    for w in writers:
        w.until("paused")
    import psycopg

    blocker = psycopg.connect(office, autocommit=True)
    blocker.execute("SELECT pg_advisory_lock(%s)", (WRITE_LOCK,))  # every writer waits on it
    for w in writers:
        w.go()
    waiting = "application_name LIKE 'dkt_w%' AND wait_event = 'advisory'"
    wait_for("every writer waits for the write lock", lambda: sessions(cluster, waiting) == 4)
    cluster.restart()
    blocker.close()
    for w in writers:
        status, errors = w.finish()
        assert status == 0, "\n".join(errors)
        # lost while waiting, before anything was sent; or, when the blocker's session ended
        # first and the lock was given just before the client's own session was ended, in
        # the middle of its change: either way it was made again, once (integrity below)
        lost = "docket: the connection to the database server was lost"
        if errors and errors[0].startswith(f"{lost} in the middle of a change ("):
            one_line(
                errors,
                f"{lost} in the middle of a change (",
                "); nothing of it had been saved, and it was made again once the server answered",
            )
        else:
            one_line(
                errors,
                f"{lost} before a change was sent (",
                "); docket connected again once it answered, and saved it",
            )
    saved = [s for w in writers for s in w.saved]
    assert len(saved) == 4 * 10 and len({t for _, t in saved}) == 40
    integrity(office, saved)


@slow
def test_a_change_cut_off_half_way_is_made_again_once(cluster: Cluster, office: str) -> None:
    writer = Writer.start(office, 7, 1, 1)
    writer.until("paused")
    import psycopg

    blocker = psycopg.connect(office)  # holds the audit log: the change stops half-way
    blocker.execute("LOCK TABLE audit_entry IN SHARE MODE")
    writer.go()
    half = "application_name = 'dkt_w7' AND wait_event = 'relation'"
    wait_for("the writer's item is in, its audit entry waits", lambda: sessions(cluster, half))
    cluster.restart()
    blocker.close()
    status, errors = writer.finish()
    assert status == 0, "\n".join(errors)
    one_line(
        errors,
        "docket: the connection to the database server was lost in the middle of a change (",
        "); nothing of it had been saved, and it was made again once the server answered",
    )
    assert [t for _, t in writer.saved] == ["w7-0", "w7-1"]
    integrity(office, writer.saved)


@slow
def test_a_commit_cut_off_is_asked_about_not_made_again(cluster: Cluster, office: str) -> None:
    # every commit now waits for a standby that never comes: the writer's COMMIT is written
    # on the server, and its answer never sent, when the server restarts
    cluster.sql("ALTER SYSTEM SET synchronous_standby_names = 'dkt_nobody'")
    cluster.restart()
    writer = Writer.start(office, 8, 0, 1)
    try:
        writer.until("paused")
        writer.go()
        committing = "application_name = 'dkt_w8' AND wait_event = 'SyncRep'"
        wait_for("the writer's COMMIT waits", lambda: sessions(cluster, committing) == 1)
    finally:
        cluster.sql("ALTER SYSTEM RESET synchronous_standby_names")
        cluster.restart()  # the commit's answer is never sent
    status, errors = writer.finish()
    assert status == 0, "\n".join(errors)
    one_line(
        errors,
        "docket: the connection to the database server was lost while a change was committed (",
        "); the server says it was saved, so it was not made again",
    )
    assert [t for _, t in writer.saved] == ["w8-0"]
    integrity(office, writer.saved)


# --- a network cut between two network namespaces ---------------------------------------


@dataclass(frozen=True)
class Link:
    """A client host (a network namespace) joined to the server's by a veth pair."""

    namespace: str
    server_side: str
    server_ip: str
    client_ip: str

    def ip(self, *args: str) -> None:
        run(["ip", *args])


@pytest.fixture
def link(cluster: Cluster) -> Iterator[Link]:
    """A namespace for the client, a veth pair to it, and the server listening on its end
    (a restart); all of it removed after."""
    tag = secrets.token_hex(4)
    net = 1 + secrets.randbelow(250)
    made = Link(f"dkt_ns_{tag}", f"dkt{tag}a", f"10.213.{net}.1", f"10.213.{net}.2")
    client_side = f"dkt{tag}b"
    made.ip("netns", "add", made.namespace)
    try:
        made.ip("link", "add", made.server_side, "type", "veth", "peer", "name", client_side)
        made.ip("link", "set", client_side, "netns", made.namespace)
        made.ip("addr", "add", f"{made.server_ip}/30", "dev", made.server_side)
        made.ip("link", "set", made.server_side, "up")
        inside = ("netns", "exec", made.namespace, "ip")
        made.ip(*inside, "addr", "add", f"{made.client_ip}/30", "dev", client_side)
        made.ip(*inside, "link", "set", client_side, "up")
        made.ip(*inside, "link", "set", "lo", "up")
        cluster.sql(f"ALTER SYSTEM SET listen_addresses = '127.0.0.1, {made.server_ip}'")
        cluster.restart()
        yield made
    finally:
        subprocess.run(["ip", "netns", "del", made.namespace], capture_output=True, check=False)
        subprocess.run(["ip", "link", "del", made.server_side], capture_output=True, check=False)
        cluster.sql("ALTER SYSTEM RESET listen_addresses")  # at its next restart


@slow
def test_a_network_cut_mid_write_ends_the_client_and_leaves_nothing_half_written(
    cluster: Cluster, office: str, link: Link
) -> None:
    import os

    import psycopg

    account, password = f"dkt_net_{secrets.token_hex(3)}", secrets.token_hex(12)
    cluster.sql(f"CREATE ROLE {account} LOGIN PASSWORD '{password}'")
    ok(office, "user", "add", account, "--role", "editor")
    db = office.rsplit("/", 1)[1]
    remote = f"postgresql://{account}:{password}@{link.server_ip}:{cluster.port}/{db}"
    audit_before = cluster.sql("SELECT count(*) FROM audit_entry", db=db)

    def client(title: str) -> subprocess.Popen[str]:
        argv = ["ip", "netns", "exec", link.namespace, str(PYTHON), "-m", "docket.tui"]
        return subprocess.Popen(
            [*argv, "--db", remote, "action", "add", title],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            env={**os.environ, "PGAPPNAME": "dkt_net"},
        )  # fmt: skip

    blocker = psycopg.connect(office)  # holds the audit log: the change stops half-way
    blocker.execute("LOCK TABLE audit_entry IN SHARE MODE")
    proc = client("Across the cut")
    half = (
        f"application_name = 'dkt_net' AND wait_event = 'relation' AND client_addr ="
        f" '{link.client_ip}'"
    )
    wait_for("the client's item is in, its audit entry waits", lambda: sessions(cluster, half))
    link.ip("link", "set", link.server_side, "down")
    blocker.rollback()  # the server's side goes on, and answers into the cut
    out, err = proc.communicate(timeout=UPPER_BOUND_S)  # no hang: the keepalives notice
    assert (proc.returncode, out) == (1, "")
    shown = remote.replace(password, "***")
    assert err.startswith(f"docket: lost the connection to the database server at {shown} (")
    assert err.endswith(
        ") in the middle of a change; nothing of it was saved (the server rolls back a change"
        " it was not told to commit)\n"
    )
    assert err.count("\n") == 1 and "Traceback" not in err
    # the server finds its side dead too (its keepalives, docket's settings) and rolls back
    wait_for(
        "the server ends the cut session",
        lambda: not sessions(cluster, "application_name = 'dkt_net'"),
    )
    blocker.close()
    assert cluster.sql(
        "SELECT count(*) FROM action_item WHERE title = 'Across the cut'", db=db
    ) == [(0,)]
    assert cluster.sql("SELECT count(*) FROM audit_entry", db=db) == audit_before
    assert "ok (schema version" in ok(office, "check")
    link.ip("link", "set", link.server_side, "up")  # mended: the same client writes again
    again = client("After the cut")
    out, err = again.communicate(timeout=UPPER_BOUND_S)
    assert again.returncode == 0, err
    cluster.sql(f"DROP OWNED BY {account}", db=db)
