"""The app in a real pseudo-terminal at 80x24, under the terminals administrators use.

Each case starts the real ``docket`` command with a TERM (and once with NO_COLOR), waits
for Today to be drawn, and, once drawn, checks that nothing more is sent while nothing
changes: no cursor blink, no animation, and the poll for others' changes repaints nothing.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time
from pathlib import Path

import pytest

# in the first heading of Today ("My overdue actions", or "Overdue actions" for an
# account that is nobody in the directory): when it has arrived, Today is drawn
DRAWN = b"verdue actions"
# the greys of the 256-colour palette: black, white and the grey ramp
GREYS = {0, 7, 8, 15, 16, 231, *range(232, 256)}
# longer than the app's poll for others' changes (2 s), so a poll that repainted would show
IDLE_S = 2.6


def _read(fd: int, seconds: float, until: bytes | None = None) -> bytes:
    """What the terminal receives in ``seconds`` (stopping early once ``until`` arrives)."""
    seen = b""
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        ready, _, _ = select.select([fd], [], [], min(left, 0.05))
        if ready:
            try:
                seen += os.read(fd, 65536)
            except OSError:
                break
            if until is not None and until in seen:
                break
    return seen


def _rest(fd: int, quiet: float = 0.5, longest: float = 10.0) -> bytes:
    """What the terminal receives until it has received nothing for ``quiet`` seconds (or
    for ``longest``, should it never stop): the rest of a frame and the updates that follow
    it, however late a loaded machine sends them (a read can stop inside an escape
    sequence)."""
    seen = b""
    deadline = time.monotonic() + longest
    while time.monotonic() < deadline and (more := _read(fd, quiet)):
        seen += more
    return seen


@pytest.mark.parametrize(
    ("term", "no_color", "idle"),
    [
        ("xterm-256color", False, True),
        ("screen-256color", False, False),
        ("tmux-256color", False, False),
        ("linux", False, False),
        ("xterm-256color", True, False),
    ],
    ids=["xterm-256color", "screen-256color", "tmux-256color", "linux", "NO_COLOR"],
)
def test_today_is_drawn_at_80x24_and_nothing_redraws_when_nothing_changed(
    demo_db: Path, term: str, no_color: bool, idle: bool
) -> None:
    env = dict(os.environ, TERM=term)
    env.pop("NO_COLOR", None)
    if no_color:
        env["NO_COLOR"] = "1"
    pid, fd = pty.fork()
    if pid == 0:  # the child: the pty is its terminal, 80 columns by 24 rows
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        os.execve(sys.executable, [sys.executable, "-m", "docket.tui", "--db", str(demo_db)], env)
    try:
        # the wait only keeps an app that never draws from hanging the run
        first = _read(fd, 120.0, until=DRAWN)
        assert DRAWN in first, re.sub(rb"\x1b\[[0-9;?<>=$]*[a-zA-Z]", b"", first)[-600:]
        first += _rest(fd)
        if idle:
            quiet = _read(fd, IDLE_S)
            assert quiet == b"", f"{len(quiet)} bytes sent while nothing changed: {quiet[:200]!r}"
        if no_color:
            # no colour, only shades of grey (Textual's NO_COLOR is monochrome): every
            # 256-colour index is a grey, and no true colour is sent
            used = {int(n) for n in re.findall(rb"[34]8;5;(\d+)[;m]", first)}
            assert used and used <= GREYS, sorted(used - GREYS)
            assert b"8;2;" not in first
    finally:
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
        os.close(fd)
