"""Every third-party package the installed code imports is declared in pyproject.toml.

A package that arrives only as another one's dependency (rich through textual, say) works
until that other package stops needing it; declaring it makes the promise explicit.
"""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("tui", "models", "exports")


def _top_level_imports() -> dict[str, set[str]]:
    """Each absolute import's top-level name, with the files that import it."""
    found: dict[str, set[str]] = {}
    for folder in FOLDERS:
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text(), filename=str(path))
            for node in ast.walk(tree):
                if isinstance(node, ast.Import):
                    names = [alias.name for alias in node.names]
                elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                    names = [node.module]
                else:
                    continue
                for name in names:
                    top = name.split(".")[0]
                    found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


def _normalise(distribution: str) -> str:
    return re.sub(r"[-_.]+", "-", distribution).lower()


def _declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return {
        _normalise(re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0])
        for requirement in project["dependencies"]
    }


def test_every_third_party_import_is_declared() -> None:
    distributions = importlib.metadata.packages_distributions()
    declared = _declared()
    missing: dict[str, list[str]] = {}
    for name, files in sorted(_top_level_imports().items()):
        if name in sys.stdlib_module_names or name in ("__future__", "docket"):
            continue
        owners = {_normalise(d) for d in distributions.get(name, [])}
        assert owners, f"{name} (imported by {sorted(files)}) belongs to no installed package"
        if not owners & declared:
            missing[name] = sorted(files)
    assert missing == {}, f"imported but not in [project].dependencies: {missing}"


def test_the_scan_sees_the_known_third_party_imports() -> None:
    # guards the scan itself: an empty result would pass the test above vacuously
    imports = _top_level_imports()
    assert {"textual", "rich", "peewee", "markdown_it"} <= set(imports)
