"""Golden files: output compared byte for byte with a file kept in tests/golden.

A missing golden file fails the test like a different one: a test that wrote its own
expectation would pass whatever the output. ``DOCKET_UPDATE_GOLDEN=1`` writes the files
(new or changed) instead; review the difference before committing it.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

UPDATE = "DOCKET_UPDATE_GOLDEN"


def matches_golden(path: Path, content: str | bytes) -> None:
    """Fail unless ``content`` is what the golden file at ``path`` holds (text compared as
    text, bytes as bytes); with ``DOCKET_UPDATE_GOLDEN`` set, write it there first."""
    if os.environ.get(UPDATE):
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    if not path.exists():
        pytest.fail(f"no golden file {path}; write it with {UPDATE}=1 and review it", pytrace=False)
    kept = path.read_bytes() if isinstance(content, bytes) else path.read_text()
    assert content == kept, f"{path.name} differs from the golden file"
