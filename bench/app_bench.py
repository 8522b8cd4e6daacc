"""The app's figures for ``make bench``: launch to Today drawn, memory, filter keystroke.

Launch and memory are measured on the real command in a real pseudo-terminal (80x24,
xterm-256color), as a user starts it; the keystroke is measured in-process with Textual's
Pilot, from the key press to the list showing the new rows.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import pty
import select
import signal
import statistics
import struct
import sys
import termios
import time
from pathlib import Path

# Today's first heading: when it is on the screen, Today is drawn
DRAWN = b"overdue actions"


def _rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def launch(
    db: Path,
    *,
    size: tuple[int, int] = (80, 24),
    timeout: float = 20.0,
    command: list[str] | None = None,
) -> tuple[float, float]:
    """Start ``docket`` (or ``command``) in a pseudo-terminal; seconds until Today is
    drawn (until the words of :data:`DRAWN` are on the screen), and its RSS."""
    env = dict(os.environ, TERM="xterm-256color")
    env.pop("NO_COLOR", None)
    argv = command or [sys.executable, "-m", "docket.tui", "--db", str(db)]
    started = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:  # the child: the pty is its terminal
        fcntl.ioctl(0, termios.TIOCSWINSZ, struct.pack("HHHH", size[1], size[0], 0, 0))
        os.execve(argv[0], argv, env)
    seen = b""
    drawn = float("nan")
    try:
        while time.perf_counter() - started < timeout:
            ready, _, _ = select.select([fd], [], [], 0.05)
            if not ready:
                continue
            try:
                chunk = os.read(fd, 65536)
            except OSError:
                break
            seen = (seen + chunk)[-8192:]
            if DRAWN in seen:
                drawn = time.perf_counter() - started
                break
        time.sleep(0.3)  # let the first frame settle before reading memory
        rss = _rss_mib(pid)
    finally:
        os.kill(pid, signal.SIGTERM)
        os.waitpid(pid, 0)
        os.close(fd)
    return drawn, rss


def filter_keystrokes(db: Path, word: str = "budget") -> list[float]:
    """Seconds from each key typed into the action filter to the list showing its rows."""
    from docket.tui.app import DocketApp

    async def run() -> list[float]:
        app = DocketApp(db)
        timings: list[float] = []
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("2")
            await app.workers.wait_for_complete()
            await pilot.pause()
            await pilot.press("slash")
            screen = app.screen
            shown_at: list[float] = []
            show = screen.show

            def timed_show(data: object) -> None:
                show(data)
                shown_at.append(time.perf_counter())

            # the moment the new rows are in the table (Pilot's own waits after a key press
            # are not the app's time, so the clock stops here, not when press returns)
            screen.show = timed_show  # type: ignore[method-assign]
            for key in word:
                started = time.perf_counter()
                await pilot.press(key)
                await app.workers.wait_for_complete()
                timings.append(shown_at[-1] - started)
        return timings

    return asyncio.run(run())


def report(db: Path, runs: int) -> None:
    """Print the app's figures as medians."""
    launches = [launch(db) for _ in range(runs)]
    startup = statistics.median(t for t, _ in launches)
    memory = statistics.median(m for _, m in launches)
    keys = filter_keystrokes(db)
    keystroke = statistics.median(keys)
    print(
        f"{'app: launch to Today drawn (80x24 pty)':48} {startup:7.3f} s   median of {runs} "
        f"(target < 0.7 s) {'ok' if startup < 0.7 else 'SLOW'}"
    )
    print(
        f"{'app: memory with Today drawn (RSS)':48} {memory:7.1f} MiB median of {runs} "
        f"(target < 150 MiB) {'ok' if memory < 150 else 'BIG'}"
    )
    print(
        f"{'app: filter keystroke to list updated':48} {keystroke * 1000:7.1f} ms  median of "
        f"{len(keys)} keys (max {max(keys) * 1000:.1f} ms; target < 50 ms) "
        f"{'ok' if keystroke < 0.05 else 'SLOW'}"
    )
