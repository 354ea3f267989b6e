"""pipelines/ and charts/ never import Streamlit, so they run from the CLI, tests and CI alike."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = [p for p in ("pipelines", "charts") if (ROOT / p).exists()]


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", PACKAGES)
def test_package_does_not_import_streamlit(package):
    offenders = [str(p.relative_to(ROOT)) for p in (ROOT / package).rglob("*.py") if "streamlit" in imported_modules(p)]
    assert offenders == []


def test_no_pages_folder_beside_the_entry_point():
    assert not (ROOT / "pages").exists(), "a pages/ folder runs by URL before the login gate; use views/"
