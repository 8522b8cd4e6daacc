"""Guards on the package layout the design card fixes."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = {"tui": "docket.tui", "models": "docket.models", "exports": "docket.exports"}


def _pyproject() -> dict[str, object]:
    return tomllib.loads((ROOT / "pyproject.toml").read_text())


def test_every_subpackage_is_listed_in_pyproject() -> None:
    setuptools = _pyproject()["tool"]["setuptools"]  # type: ignore[index]
    listed = set(setuptools["packages"])
    found = set()
    for folder, package in FOLDERS.items():
        for init in (ROOT / folder).rglob("__init__.py"):
            relative = init.parent.relative_to(ROOT / folder).parts
            found.add(".".join((package, *relative)))
    assert found == listed
    assert setuptools["package-dir"] == {package: folder for folder, package in FOLDERS.items()}


def _fresh(code: str) -> subprocess.CompletedProcess[str]:
    # from / so the repository's own folders are not on sys.path
    return subprocess.run(
        [sys.executable, "-c", code], cwd="/", capture_output=True, text=True, check=False
    )


def test_models_and_exports_import_without_textual_or_rich() -> None:
    code = (
        "import sys, pkgutil, importlib\n"
        "import docket.models, docket.exports\n"
        "for pkg in (docket.models, docket.exports):\n"
        "    for m in pkgutil.walk_packages(pkg.__path__, pkg.__name__ + '.'):\n"
        "        importlib.import_module(m.name)\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(bad)\n"
    )
    result = _fresh(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_docket_is_a_namespace_and_the_folders_are_not_top_level_packages() -> None:
    code = (
        "import importlib.util, docket\n"
        "print(getattr(docket, '__file__', None))\n"
        "print([importlib.util.find_spec(n) is None for n in ('models', 'tui', 'exports')])\n"
    )
    result = _fresh(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split("\n")[:2] == ["None", "[True, True, True]"]


def test_command_line_commands_do_not_import_textual(tmp_path: Path) -> None:
    code = (
        "import sys\n"
        "from docket.tui.cli.main import run\n"
        f"run(['--db', {str(tmp_path / 'x.db')!r}, 'init'], sys.stdout, sys.stderr)\n"
        f"run(['--db', {str(tmp_path / 'x.db')!r}, 'action', 'list'], sys.stdout, sys.stderr)\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & {'textual', 'rich', 'icalendar'}))\n"
    )
    result = _fresh(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "[]"
