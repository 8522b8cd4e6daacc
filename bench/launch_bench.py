"""The app's launch beside its anchor (issue 22): docket to Today drawn, and a bare Textual
app (one list, no database) to its first frame, each in a real pseudo-terminal (80x24), in
the same run, alternating, so both meet the same machine. The ratio is docket / bare.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
from pathlib import Path

from app_bench import DRAWN, launch

# the anchor: Textual's own start-up cost, a list showing the words docket waits for
BARE_APP = f"""
from textual.app import App
from textual.widgets import OptionList


class Bare(App[None]):
    def compose(self):
        yield OptionList({DRAWN.decode()!r}, "nothing")


Bare().run()
"""

TARGET_S = 0.7
# docket's launch within this many times the bare app's
TARGET_RATIO = 3.0


def bare_launch(workdir: Path) -> float:
    """Seconds until the bare Textual app has drawn its list."""
    script = workdir / "bare_textual_app.py"
    if not script.exists():
        script.write_text(BARE_APP)
    return launch(script, command=[sys.executable, str(script)])[0]


def report(db: Path, workdir: Path, runs: int, label: str) -> float:
    """Print docket's launch to Today drawn and the bare app's, medians of ``runs`` each;
    docket's median."""
    subprocess.run([sys.executable, "-c", "import textual.app"], check=True)  # warm
    bare: list[float] = []
    docket: list[float] = []
    for _ in range(runs + 1):  # the first of each warms the page cache
        bare.append(bare_launch(workdir))
        docket.append(launch(db)[0])
    bare, docket = sorted(bare[1:]), sorted(docket[1:])
    anchor, ours = statistics.median(bare), statistics.median(docket)
    ratio = ours / anchor
    verdict = "ok" if ours < TARGET_S and ratio <= TARGET_RATIO else "SLOW"
    print(
        f"{f'app: launch to Today drawn ({label}, 80x24 pty)':72} {ours:7.3f} s   median of "
        f"{runs} (min {docket[0]:.3f}, max {docket[-1]:.3f}; target < {TARGET_S} s and within "
        f"{TARGET_RATIO:.0f}x the bare app) {verdict}"
    )
    print(
        f"{'  bare Textual app, launch to first frame (same run)':72} {anchor:7.3f} s   median "
        f"of {runs} (min {bare[0]:.3f}, max {bare[-1]:.3f}); docket / bare {ratio:.2f}"
    )
    return ours
