"""A private PostgreSQL 15 cluster for a test module, and real Unix accounts to use it as.

The machine's own server (tests/pg_support.py) trusts every local connection; identity as
the issue means it (peer authentication mapping the Unix account to its role) and faults
(a server restarted, a network cut) need a server of the tests' own. :func:`start_cluster`
makes one in a new directory under /tmp with ``initdb`` run as the ``postgres`` Unix
account: its own Unix socket directory, a free TCP port on 127.0.0.1, ``local all all
peer`` and SCRAM for TCP, its superuser ``postgres`` reached by the tests over TCP with a
password made for the run. It is stopped and removed after; the machine's cluster and its
configuration are never touched.

:func:`unix_account` makes a Unix account (``dkt_<role>_<hex>``), removed after;
:func:`as_account` is the command line that runs a program as it (``runuser``). Where the
virtual environment's interpreter lies below a directory others may not enter (``/root``),
the program runs in a private mount namespace that shows that one directory's tree, and
nothing else of it, to the account.

Without root, the PostgreSQL binaries, or the tools, every test here is skipped with
pg_support's :data:`~pg_support.SKIPPED` reason (failed under ``DOCKET_REQUIRE_POSTGRES=1``).
"""

from __future__ import annotations

import os
import secrets
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pg_support import REQUIRED, SKIPPED

BIN = Path(os.environ.get("DOCKET_TEST_PG_BIN", "/usr/lib/postgresql/15/bin"))
PYTHON = Path(sys.executable)
TOOLS = ("runuser", "useradd", "userdel", "unshare", "psql")
# the addresses the network-cut test gives its two ends; TCP from them is SCRAM, as 127.0.0.1
NETNS_SUBNET = "10.213.0.0/16"
HBA = f"""local all all peer
host all all 127.0.0.1/32 scram-sha-256
host all all {NETNS_SUBNET} scram-sha-256
"""
SETTINGS = """
listen_addresses = '127.0.0.1'
port = {port}
unix_socket_directories = '{sockets}'
max_connections = 60
shared_buffers = 16MB
fsync = off
full_page_writes = off
password_encryption = 'scram-sha-256'
log_min_messages = warning
"""


def why_not() -> str | None:
    """Why a private cluster cannot run here (None: it can)."""
    if os.geteuid() != 0:
        return "the private PostgreSQL cluster tests need root (initdb as postgres, useradd)"
    missing = [b for b in ("initdb", "pg_ctl", "postgres") if not (BIN / b).exists()]
    if missing:
        return f"no PostgreSQL 15 binaries in {BIN} ({', '.join(missing)} missing)"
    tools = [t for t in TOOLS if shutil.which(t) is None]
    if tools:
        return f"{', '.join(tools)} not found"
    try:
        import pwd

        pwd.getpwnam("postgres")
    except KeyError:
        return "no postgres Unix account to run initdb as"
    return None


def require_cluster() -> None:
    """Skip (or, when the PostgreSQL half is required, fail) without what a cluster needs."""
    reason = why_not()
    if reason is not None:
        if REQUIRED:
            pytest.fail(f"DOCKET_REQUIRE_POSTGRES=1, but {reason}")
        pytest.skip(f"{SKIPPED}: {reason}")


def run(argv: Sequence[str], **kwargs: Any) -> subprocess.CompletedProcess[str]:
    """A command run to its end, its output kept; a failure raises with what it said."""
    done = subprocess.run(list(argv), capture_output=True, text=True, check=False, **kwargs)
    if done.returncode != 0:
        raise AssertionError(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr}")
    return done


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Cluster:
    """A running private cluster: where it lives and how to reach it."""

    root: Path
    port: int
    password: str

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def sockets(self) -> Path:
        return self.root / "sockets"

    @property
    def log(self) -> Path:
        return self.root / "server.log"

    def admin_url(self, db: str = "postgres", host: str = "127.0.0.1") -> str:
        """The superuser over TCP (SCRAM, the run's password)."""
        return f"postgresql://postgres:{self.password}@{host}:{self.port}/{db}"

    def socket_url(self, db: str) -> str:
        """The database through the Unix socket: the account running the client is who
        connects (peer authentication)."""
        return f"postgresql:///{db}?host={self.sockets}&port={self.port}"

    def sql(self, statement: str, params: Any = (), db: str = "postgres") -> list[Any]:
        """One statement as the superuser, outside a transaction; its rows."""
        import psycopg

        with psycopg.connect(self.admin_url(db), autocommit=True, connect_timeout=30) as conn:
            cursor = conn.execute(statement, params or None)
            return cursor.fetchall() if cursor.description else []

    def pg_ctl(self, *args: str) -> None:
        """``pg_ctl`` as the postgres account on this cluster, waiting for it to finish."""
        run(
            [
                "runuser", "-u", "postgres", "--", str(BIN / "pg_ctl"), "-D", str(self.data),
                "-l", str(self.log), "-w", "-t", "120", *args,
            ]
        )  # fmt: skip

    def restart(self) -> None:
        """Restart the server the way a DBA does for a change of settings: fast (every
        session ended, every open transaction rolled back)."""
        self.pg_ctl("restart", "-m", "fast")

    def create_database(self) -> str:
        """A new database in code-point order, as docket requires; its name."""
        name = f"docket_p_{secrets.token_hex(5)}"
        self.sql(f"CREATE DATABASE {name} TEMPLATE template0 ENCODING 'UTF8' LOCALE 'C'")
        return name


@contextmanager
def start_cluster() -> Iterator[Cluster]:
    """A new cluster, running; stopped and removed after."""
    require_cluster()
    root = Path(tempfile.mkdtemp(prefix="dkt_pg_"))
    root.chmod(0o755)  # the accounts reach the socket directory through it
    cluster = Cluster(root, _free_port(), secrets.token_hex(16))
    try:
        cluster.sockets.mkdir(mode=0o755)
        pwfile = root / "pw"
        pwfile.write_text(cluster.password + "\n")
        shutil.chown(pwfile, "postgres")
        shutil.chown(cluster.sockets, "postgres")
        shutil.chown(root, "postgres")
        run(
            [
                "runuser", "-u", "postgres", "--", str(BIN / "initdb"), "-D", str(cluster.data),
                "-U", "postgres", "--pwfile", str(pwfile), "--auth-local=peer",
                "--auth-host=scram-sha-256", "--encoding=UTF8", "--locale=C", "--no-sync",
            ]
        )  # fmt: skip
        pwfile.unlink()
        (cluster.data / "pg_hba.conf").write_text(HBA)
        with (cluster.data / "postgresql.conf").open("a") as conf:
            conf.write(SETTINGS.format(port=cluster.port, sockets=cluster.sockets))
        cluster.pg_ctl("start")
        yield cluster
    finally:
        with suppress(AssertionError):
            cluster.pg_ctl("stop", "-m", "immediate")
        shutil.rmtree(root, ignore_errors=True)


# --- Unix accounts ------------------------------------------------------------------------


@contextmanager
def unix_account(role: str) -> Iterator[str]:
    """A new Unix account ``dkt_<role>_<hex>`` with no home and no login shell; removed
    after (its files under /tmp with it)."""
    name = f"dkt_{role}_{secrets.token_hex(4)}"
    run(["useradd", "--no-create-home", "--shell", "/usr/sbin/nologin", name])
    try:
        yield name
    finally:
        subprocess.run(["userdel", "--force", name], capture_output=True, check=False)


def _hidden_tree(path: Path) -> tuple[Path, Path] | None:
    """The first directory above ``path`` that other accounts may not enter (``/root``) and
    its child on the way to ``path``; None when every one may be entered."""
    real = path.resolve()
    for parent in reversed(real.parents):
        if parent == Path("/"):
            continue
        if not os.stat(parent).st_mode & 0o001:
            return parent, parent / real.relative_to(parent).parts[0]
    return None


def home_for(name: str, root: Path) -> dict[str, str]:
    """An environment for a program run as ``name``: a home of its own under ``root`` (its
    config and data directories there), the tests' fixed clock and zone."""
    home = root / f"home_{name}"
    home.mkdir(mode=0o700, exist_ok=True)
    config = home / "docket.toml"
    config.write_text('timezone = "America/Chicago"\n')
    shutil.chown(home, name)
    shutil.chown(config, name)
    env = {
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "HOME": str(home),
        "USER": name,
        "LOGNAME": name,
        "XDG_DATA_HOME": str(home / "data"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "DOCKET_CONFIG": str(config),
        "DOCKET_SYSTEM_CONFIG": str(home / "no-system-config.toml"),
        "PYTHONDONTWRITEBYTECODE": "1",
        "LANG": "C.UTF-8",
    }
    if "DOCKET_NOW" in os.environ:  # the tests' fixed clock (tests/conftest.py)
        env["DOCKET_NOW"] = os.environ["DOCKET_NOW"]
    return env


def as_account(name: str, argv: Sequence[str], env: dict[str, str]) -> list[str]:
    """The command line running ``argv`` as the Unix account ``name`` with ``env`` only, in
    ``/``. Where the interpreter, the virtual environment or docket's sources lie below a
    directory the account may not enter (``/root``; a CI's private clone), a private mount
    namespace shows it those trees there (bound over an empty tmpfs) and no more."""
    settings = [f"{k}={v}" for k, v in env.items()]
    command = ["runuser", "-u", name, "--", "env", "-i", "-C", "/", *settings, *argv]
    hidden: dict[Path, set[Path]] = {}
    for path in (PYTHON, Path(sys.prefix), Path(__file__).resolve().parents[1]):
        found = _hidden_tree(path)
        if found is not None:
            hidden.setdefault(found[0], set()).add(found[1])
    if not hidden or argv[0] != str(PYTHON):
        return command
    trees = sorted(tree for trees in hidden.values() for tree in trees)
    stages = [f"stage{n}" for n in range(len(trees))]
    script = ["set -e"]
    for stage, tree in zip(stages, trees, strict=True):
        script.append(f"{stage}=$(mktemp -d /tmp/dkt_stage.XXXXXX)")
        script.append(f'mount --bind {shlex.quote(str(tree))} "${stage}"')
    for closed in sorted(hidden):
        script.append(f"mount -t tmpfs -o mode=0711,size=64k docket {shlex.quote(str(closed))}")
    for stage, tree in zip(stages, trees, strict=True):
        quoted = shlex.quote(str(tree))
        script.append(f'mkdir -p {quoted}; mount --bind "${stage}" {quoted}')
        script.append(f'umount "${stage}"; rmdir "${stage}"')
    script.append('exec "$@"')
    return ["unshare", "--mount", "--propagation", "private", "--", "sh", "-c",
            "; ".join(script), "sh", *command]  # fmt: skip


def docket_as(
    name: str, url: str, *args: str, env: dict[str, str], timeout: float = 300
) -> subprocess.CompletedProcess[str]:
    """``docket --db URL ARGS`` run as the Unix account ``name``, to its end."""
    argv = [str(PYTHON), "-m", "docket.tui", "--db", url, *args]
    return subprocess.run(
        as_account(name, argv, env), capture_output=True, text=True, timeout=timeout, check=False
    )


def psql_as(
    name: str, cluster: Cluster, db: str, statement: str, *, env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """A hand-written statement sent by ``psql`` as the Unix account ``name`` (peer
    authentication: the role of the same name), unaligned, tuples only."""
    argv = [
        "psql", "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", str(cluster.sockets),
        "-p", str(cluster.port), "-d", db, "-c", statement,
    ]  # fmt: skip
    return subprocess.run(
        as_account(name, argv, env), capture_output=True, text=True, timeout=120, check=False
    )
