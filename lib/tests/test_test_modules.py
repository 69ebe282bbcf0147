"""Test modules stand alone: none imports another; what they share lives in testing/.

Importing a test module runs its module-level code and copies its fixtures into the importer
(pytest then sees them twice), and it ties one app's tests to another's. Shared helpers go
in the `testing` package, shared fixtures in conftest.py.
"""

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIP_DIRS = {".venv", ".git", "node_modules", "migrations", "staticfiles", "media"}


def _is_test_module(dotted: str) -> bool:
    return dotted.rsplit(".", 1)[-1].startswith("test_")


def imported_test_modules(source: str) -> list[str]:
    """Return the test modules (test_*.py) that Python source imports, anywhere in it."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [a.name for a in node.names if _is_test_module(a.name)]
        elif isinstance(node, ast.ImportFrom):
            module = "." * node.level + (node.module or "")
            if _is_test_module(module):
                found.append(module)
            # `from app.tests import test_x` imports the module test_x itself.
            found += [f"{module}.{a.name}" for a in node.names if _is_test_module(a.name)]
    return found


def project_test_modules() -> Iterator[Path]:
    """Yield every test_*.py of the project (not of the virtualenv)."""
    for path in ROOT.rglob("test_*.py"):
        if not SKIP_DIRS.intersection(path.relative_to(ROOT).parts):
            yield path


def test_the_check_sees_each_way_of_importing_a_test_module() -> None:
    source = """
import stats.tests.test_report
from documents.tests.test_slips import vn
from .test_book import history
from backoffice.tests import test_browser
def late():
    from documents.tests.test_book import bearer
from testing.clock import vn
from conftest import World
import test_tools_outside_tests
"""
    assert sorted(imported_test_modules(source)) == [
        ".test_book",
        "backoffice.tests.test_browser",
        "documents.tests.test_book",
        "documents.tests.test_slips",
        "stats.tests.test_report",
        "test_tools_outside_tests",
    ]


def test_no_test_module_imports_another() -> None:
    paths = list(project_test_modules())
    assert len(paths) > 30  # the walk found the project's tests
    offenders = {
        str(path.relative_to(ROOT)): imported
        for path in paths
        if (imported := imported_test_modules(path.read_text(encoding="utf-8")))
    }
    assert offenders == {}, "import shared helpers from testing/, not from test modules"
