"""A config file docket cannot use is refused in one line that names it (never a traceback)."""

from __future__ import annotations

from pathlib import Path

import pytest

from docket.models.core.config import read_config
from docket.models.core.errors import DatabaseError


def test_a_missing_file_is_no_config(tmp_path: Path) -> None:
    assert read_config(tmp_path / "none.toml") is None


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b'timezone = "Europe/Paris', "is not valid TOML"),
        (b'timezone = "Europe/Par\xe9is"\n', "is not UTF-8 text \\(at byte 23\\)"),
        (b"db = 3\n", "db must be a path"),
    ],
)
def test_a_file_docket_cannot_use_is_named(tmp_path: Path, content: bytes, said: str) -> None:
    path = tmp_path / "docket.toml"
    path.write_bytes(content)
    with pytest.raises(DatabaseError, match=said) as caught:
        read_config(path)
    assert str(path) in str(caught.value) and "\\n" not in str(caught.value)


def test_a_directory_where_the_file_should_be_is_named(tmp_path: Path) -> None:
    with pytest.raises(DatabaseError, match=r"cannot read config file .*: Is a directory"):
        read_config(tmp_path)


def test_a_good_file_is_read(tmp_path: Path) -> None:
    path = tmp_path / "docket.toml"
    path.write_text('[docket]\ntimezone = "Europe/Paris"\ndate_order = "dmy"\n')
    found = read_config(path)
    assert found is not None and found.timezone == "Europe/Paris" and found.day_first
