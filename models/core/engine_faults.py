"""PostgreSQL: what docket does when its connection to the server is lost.

A server is restarted by its DBAs, and a network between a host and the server can fail.
What docket does depends on how far a write had got (engine_postgres.ServerDatabase does it):

- **Lost before the write was sent**: a connection found dead at ``BEGIN`` (the server
  restarted while this client was idle) or while the write waited for the write lock,
  before any of the change was made. Docket waits for the server (up to
  :data:`WAIT_FOR_SERVER_S`), reconnects and begins again, up to :data:`ATTEMPTS` times;
  the person sees one line saying so, and the change is saved.
- **Lost in the middle of a change**, before COMMIT was sent: the server rolls it back
  whole, so nothing of it was saved. The change is raised as :class:`ConnectionLost`
  (``saved`` False); :func:`retrying` runs an operation again that lost its connection so,
  when none of its transactions had committed yet.
- **Lost during COMMIT** (in doubt): the server may have committed it or not. Docket does
  not make it again blindly: every write transaction knows its transaction id, and once
  the server answers again ``pg_xact_status`` says whether that transaction committed.
  Committed: the change stands (one line says it was saved); aborted: as lost before
  COMMIT; no answer: :class:`CommitInDoubt`, which says to look before making it again.

So a dead link never hangs a client: :func:`connection_settings` gives every connection a
connect timeout, TCP keepalives and a TCP user timeout on the client's side, and asks the
server to use the same on its side and to end a session left idle inside a transaction, so
the server also rolls back a transaction whose client has gone and frees its locks.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any, TypeVar

import peewee

from docket.models.core.errors import DatabaseError

R = TypeVar("R")

CONNECT_TIMEOUT_S = 10  # a server that does not answer a new connection
KEEPALIVE_IDLE_S = 10  # a silent connection is probed after this long...
KEEPALIVE_INTERVAL_S = 3  # ...every this long...
KEEPALIVE_COUNT = 3  # ...and given up after this many unanswered probes (about 19 s)
TCP_USER_TIMEOUT_MS = 30_000  # sent data unacknowledged this long: the link is dead
# a docket transaction never waits on its client: one left idle this long has lost it
IDLE_IN_TRANSACTION_MS = 300_000
WAIT_FOR_SERVER_S = 60  # how long a client waits for a restarting server, each time
ATTEMPTS = 3  # how many times a write lost before COMMIT is begun or made again

# libpq's keywords for the client's side, and the server's settings for its side
CLIENT_SETTINGS: dict[str, Any] = {
    "connect_timeout": CONNECT_TIMEOUT_S,
    "keepalives": 1,
    "keepalives_idle": KEEPALIVE_IDLE_S,
    "keepalives_interval": KEEPALIVE_INTERVAL_S,
    "keepalives_count": KEEPALIVE_COUNT,
    "tcp_user_timeout": TCP_USER_TIMEOUT_MS,
}
SERVER_SETTINGS = (
    f"-c tcp_keepalives_idle={KEEPALIVE_IDLE_S} -c tcp_keepalives_interval="
    f"{KEEPALIVE_INTERVAL_S} -c tcp_keepalives_count={KEEPALIVE_COUNT} -c tcp_user_timeout="
    f"{TCP_USER_TIMEOUT_MS} -c idle_in_transaction_session_timeout={IDLE_IN_TRANSACTION_MS}"
)
# a server's words for a new connection it cannot take yet: worth waiting for
_PASSING = (
    "starting up",
    "shutting down",
    "not yet accepting connections",
    "in recovery mode",
    "connection refused",
    "no such file or directory",  # its socket, between stopping and starting
    "timeout expired",
    "network is unreachable",
    "no route to host",
    "server closed the connection",
    "terminating connection",
)


class ServerFault(DatabaseError):
    """A failure of the connection to the server, said in one line."""


class ConnectionLost(ServerFault, peewee.OperationalError):
    """The connection was lost and the change was not saved (the server rolled it back);
    still an operational error to code that expects one."""

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class CommitInDoubt(ServerFault, peewee.OperationalError):
    """The connection was lost while a change was committed, and the server could not say
    afterwards whether it was saved."""


# what the person should be told of faults docket got over (the command line prints them)
_notes: list[str] = []
_commits = 0  # transactions this process committed on a server


def note(line: str) -> None:
    """Keep one line for the person about a fault docket got over."""
    _notes.append(line)


def take_notes() -> list[str]:
    """The lines kept since last asked, once."""
    taken, _notes[:] = list(_notes), []
    return taken


def connection_settings(url: str) -> dict[str, Any]:
    """What docket adds to a URL's connection settings: the timeouts and keepalives above,
    each unless the URL gives its own, and the server's side of them in ``options`` (the
    URL's own options after, so they win)."""
    from psycopg.conninfo import conninfo_to_dict

    given = conninfo_to_dict(url)
    settings = {k: v for k, v in CLIENT_SETTINGS.items() if k not in given}
    settings["options"] = f"{SERVER_SETTINGS} {given.get('options', '')}".strip()
    return settings


def broken(conn: Any) -> bool:
    """Whether a psycopg connection is gone (closed, or found broken)."""
    return conn is None or bool(getattr(conn, "closed", True) or getattr(conn, "broken", False))


def reason_of(exc: BaseException) -> str:
    """The driver's or server's words for a failure, first line only."""
    cause: BaseException | None = exc
    while cause is not None:
        if type(cause).__module__.startswith("psycopg"):
            break
        cause = cause.__cause__ or cause.__context__
    text = str(cause if cause is not None else exc).strip()
    for line in text.splitlines():
        line = line.strip().removeprefix("FATAL:").strip()
        if line and not line.startswith(("WARNING:", "DETAIL:", "HINT:")):
            return line.rstrip(".")
    return type(exc).__name__


def passing(reason: str) -> bool:
    """Whether a failure to connect is one to wait out (the server restarting, the network
    down), not one that waiting would not mend (a password, a missing role)."""
    lowered = reason.lower()
    return any(p in lowered for p in _PASSING)


def wait_for_server(url: str, *, seconds: float = WAIT_FOR_SERVER_S) -> str | None:
    """Wait until the server at ``url`` takes a new connection again, up to ``seconds``;
    None once it does, else why it did not (waiting less as it fails, then every 2 s)."""
    import psycopg

    deadline = time.monotonic() + seconds
    pause = 0.05
    while True:
        left = deadline - time.monotonic()
        try:
            settings = {**connection_settings(url), "connect_timeout": max(2, min(10, int(left)))}
            with psycopg.connect(url, **settings):
                return None
        except psycopg.Error as exc:
            reason = reason_of(exc)
            if not passing(reason) or time.monotonic() + pause > deadline:
                return reason
        time.sleep(pause)
        pause = min(2.0, pause * 2)


def transaction_status(url: str, xid: int, *, seconds: float = WAIT_FOR_SERVER_S) -> str | None:
    """What the server says became of transaction ``xid``: ``committed`` or ``aborted``;
    None when it cannot say within ``seconds`` (unreachable, or the transaction still in
    progress on a session the server has not yet found dead)."""
    import psycopg

    deadline = time.monotonic() + seconds
    while wait_for_server(url, seconds=max(0.0, deadline - time.monotonic())) is None:
        try:
            with psycopg.connect(url, **connection_settings(url)) as conn:
                while True:
                    row = conn.execute("SELECT pg_xact_status(%s::text::xid8)", (xid,)).fetchone()
                    status = None if row is None else row[0]
                    if status in ("committed", "aborted"):
                        return str(status)
                    if status is None or time.monotonic() + 1 > deadline:
                        return None
                    time.sleep(1)  # in progress: its session is not yet found dead
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                return None
    return None


def committed() -> None:
    """Count one commit on the server (engine_postgres.ServerDatabase)."""
    global _commits
    _commits += 1


def commits() -> int:
    """How many transactions this process has committed on a server."""
    return _commits


def retrying(operation: Callable[[], R], *, attempts: int = ATTEMPTS) -> R:
    """Run ``operation`` (its own write transactions on the bound database), again when the
    connection was lost before it committed anything (:class:`ConnectionLost`): the server
    rolled that back, so making it again makes it once. An operation lost after one of its
    transactions committed is not run again (that part stands): its failure is raised as
    it is, as it is when the server does not answer again within :data:`WAIT_FOR_SERVER_S`."""
    from docket.models.core.schema import database

    for attempt in range(1, attempts + 1):
        before = commits()
        try:
            return operation()
        except ConnectionLost as exc:
            if commits() != before or attempt == attempts:
                raise
            waited = wait_for_server(str(database.database))
            if waited is not None:
                raise ConnectionLost(
                    f"{exc}; the server did not answer again within {WAIT_FOR_SERVER_S} s "
                    f"({waited}): try again when it is back",
                    reason=exc.reason,
                ) from exc
            note(
                f"the connection to the database server was lost in the middle of a change "
                f"({exc.reason}); nothing of it had been saved, and it was made again once "
                "the server answered"
            )
    raise AssertionError("unreachable")  # pragma: no cover
