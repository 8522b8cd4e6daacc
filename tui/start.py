"""The ``docket`` command's first lines: the garbage collector paused while docket loads.

Start-up makes some hundred thousand objects (peewee's models, click's commands, the command's
own modules) that live as long as the process, so the collector's passes over them free
nothing: 3 to 4 % of a short command's instructions (issue 22, counted with cachegrind). The
root command (:func:`docket.tui.cli.main.cli`) resumes it once the command and its modules are
loaded, before any of its work.
"""

from __future__ import annotations

import gc


def main() -> int:
    """The ``docket`` console script (and ``python -m docket.tui``)."""
    gc.disable()
    try:
        from docket.tui.cli.main import main as run

        return run()
    finally:
        gc.enable()  # --help and --version end before the root command resumes it
