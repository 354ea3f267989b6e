"""Which package may import which: the architecture as a test.

pipelines/ and charts/ never import Streamlit, so they run from the CLI, tests and CI alike. Inside
pipelines/, imports point one way: the shared core (settings, domain, cities, periods, store...) ->
ingestion -> lake -> access -> read -> evaluation -> workflow; the command line may use all of it,
and only the command line may reach the demo generator, which lives outside the production package.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORE = "pipelines"  # the modules directly in pipelines/ (not cli.py, __main__.py)
# What each part of the product may import besides itself and the standard/third-party libraries.
ALLOWED = {
    CORE: {CORE},
    # An upload is registered and takes the writer lock; it never publishes.
    "pipelines.ingestion": {CORE, "pipelines.lake.registry", "pipelines.lake.lock"},
    # Publish writes the evaluation's estimates into the version (pipelines/evaluation/precompute.py,
    # which imports only the statistics: test_what_publish_takes_from_the_evaluation_reads_no_lake).
    "pipelines.lake": {CORE, "pipelines.ingestion", "pipelines.evaluation.precompute"},
    "pipelines.access": {CORE},
    # The read side names the upload that brings a missing column (the source contracts).
    "pipelines.read": {CORE, "pipelines.ingestion.contracts", "pipelines.lake", "pipelines.access"},
    "pipelines.evaluation": {CORE, "pipelines.access", "pipelines.read"},
    "pipelines.workflow": {CORE, "pipelines.ingestion", "pipelines.lake", "pipelines.access", "pipelines.read"},
    "pipelines.cli": {CORE, *(f"pipelines.{p}" for p in ("ingestion", "lake", "access", "read", "evaluation"))}
    | {"pipelines.workflow", "demo"},
    "demo": {CORE, "pipelines.ingestion", "pipelines.lake", "pipelines.access"},
    "charts": {CORE, "pipelines.evaluation"},
    "ui": {CORE, *(f"pipelines.{p}" for p in ("ingestion", "lake", "access", "read", "evaluation", "workflow"))}
    | {"charts"},
}
ALLOWED["views"] = ALLOWED["ui"] | {"ui"}
PARTS = ("ingestion", "lake", "access", "read", "evaluation", "workflow")


def _is_module(dotted: str) -> bool:
    path = ROOT.joinpath(*dotted.split("."))
    return path.with_suffix(".py").exists() or (path / "__init__.py").exists()


def imported_modules(path: Path) -> set[str]:
    """Dotted names of the modules a file imports (`from a.b import c` names a.b.c when c is a module)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            for alias in node.names:
                sub = f"{node.module}.{alias.name}"
                names.add(sub if _is_module(sub) else node.module)
    return names


def allowed(own: str, module: str) -> bool:
    """May code in part `own` import `module`? An entry allows a part, or one module of a part."""
    return any(
        part_of(module) == a if a in (CORE, "demo", "charts", "ui") else module == a or module.startswith(a + ".")
        for a in ALLOWED[own]
    )


def part_of(module: str) -> str | None:
    """The architectural part a dotted module name belongs to, None for libraries."""
    head, _, rest = module.partition(".")
    if head == "pipelines":
        first = rest.split(".")[0]
        if first in PARTS:
            return f"pipelines.{first}"
        if first in ("cli", "__main__"):
            return "pipelines.cli"
        return CORE
    if head in ("demo", "charts", "ui", "views"):
        return head
    return None


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts)


SOURCES = [p for top in ("pipelines", "demo", "charts", "ui", "views") for p in (ROOT / top).rglob("*.py")]


@pytest.mark.parametrize("package", ["pipelines", "charts", "demo"])
def test_package_does_not_import_streamlit(package):
    offenders = [
        str(p.relative_to(ROOT))
        for p in (ROOT / package).rglob("*.py")
        if any(m.split(".")[0] == "streamlit" for m in imported_modules(p))
    ]
    assert offenders == []


def test_imports_point_one_way():
    offenders = []
    for path in SOURCES:
        own = part_of(module_name(path))
        for module in sorted(imported_modules(path)):
            other = part_of(module)
            if other is None or other == own or allowed(own, module):
                continue
            offenders.append(f"{path.relative_to(ROOT)} imports {module} ({own} -> {other})")
    assert offenders == []


def test_the_rule_catches_a_wrong_import(tmp_path):
    """The check itself can fail: a read-side module importing the upload workflow, or ingestion
    importing publish, is named."""
    wrong = tmp_path / "wrong.py"
    wrong.write_text(
        "from pipelines.workflow import upload\nfrom pipelines.lake.publish import publish\n", encoding="utf-8"
    )
    assert imported_modules(wrong) == {"pipelines.workflow.upload", "pipelines.lake.publish"}
    assert not allowed("pipelines.read", "pipelines.workflow.upload")
    assert not allowed("pipelines.ingestion", "pipelines.lake.publish")
    assert allowed("pipelines.ingestion", "pipelines.lake.registry")


def test_what_publish_takes_from_the_evaluation_reads_no_lake():
    """The one evaluation module the lake imports, and what it imports in turn, stay pure computation:
    nothing of the read side, access or the lake itself (which would also be an import cycle)."""
    evaluation = ROOT / "pipelines" / "evaluation"
    pure = {"pipelines.evaluation.precompute", "pipelines.evaluation.stats"}
    for module in pure:
        imported = imported_modules(evaluation / (module.rsplit(".", 1)[1] + ".py"))
        ours = {m for m in imported if part_of(m) is not None}
        assert all(part_of(m) == CORE or m in pure for m in ours), (module, sorted(ours))


def test_every_package_says_what_it_holds():
    for package in [ROOT / "pipelines", ROOT / "demo", *((ROOT / "pipelines" / p) for p in PARTS)]:
        init = package / "__init__.py"
        assert init.exists(), package
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8")))
        assert doc and len(doc) > 80, f"{init.relative_to(ROOT)} needs a paragraph saying what lives there"


def test_no_pages_folder_beside_the_entry_point():
    assert not (ROOT / "pages").exists(), "a pages/ folder runs by URL before the login gate; use views/"
