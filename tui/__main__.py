"""``python -m docket.tui``: the same as the ``docket`` command."""

from __future__ import annotations

from docket.tui.start import main

raise SystemExit(main())
