"""The repository reads nothing outside itself (issue 11, "the spec lives in the project").

A user's clone holds only the repository: code, tests, benchmarks, scripts and examples
must not reach for files beside or above the checkout (the behaviour spec once lived at
a workspace path next to it). Two checks cover this:

* no text file names a path outside the repository: the old workspace, the spec's old
  location, or the absolute path of this very checkout;
* no Python file climbs from ``__file__`` above the repository root, however it climbs
  (``.parent`` chains, ``parents[n]``, ``os.path.dirname``, ``".."`` segments, or a
  variable holding one of these).

Each detector is itself tested on snippets it must flag and snippets it must pass, so
the checks cannot pass by finding nothing.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCANNED = ("src", "tests", "benchmarks", "scripts", "examples")
_SKIPPED_DIRS = {"__pycache__", ".pytest_cache", ".mypy_cache", ".ruff_cache", ".hypothesis"}

# Written in pieces so that this file does not contain, and flag, the strings it forbids.
_OLD_HOME = "sha" + "red"  # the folder beside the checkout the spec used to live in
_FORBIDDEN_TEXT = (
    "/" + "work" + "/",  # the workspace that folder was in
    _OLD_HOME + "/spec",  # the spec's old home beside the checkout
    ".." + "/" + _OLD_HOME,
    "aws-iam-sts" + ".md",  # the old spec file's name: the spec is docs/spec/ now
    "IAMSIM" + "_SPEC",  # the environment variable that pointed outside the checkout
)


def _checkout_paths(repo: Path) -> tuple[str, ...]:
    """The checkout's absolute path, when it is specific enough to mean it: hard-coding it is not portable.

    Its parent is not checked: a clone in ``/tmp/x`` would flag every legitimate ``/tmp`` in a
    test, and the climbing check below catches code that reaches beside the checkout.
    """
    return (str(repo),) if len(repo.parts) > 2 else ()


def _scanned_files(repo: Path) -> Iterator[Path]:
    for top in SCANNED:
        for path in sorted((repo / top).rglob("*")):
            if path.is_file() and not _SKIPPED_DIRS.intersection(path.relative_to(repo).parts):
                yield path


def _text_of(path: Path) -> str | None:
    """The file's text, or None for binary files (compressed data, images)."""
    data = path.read_bytes()
    if b"\0" in data:
        return None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return None


def forbidden_mentions(text: str, extra: Sequence[str] = ()) -> list[str]:
    """The forbidden path fragments that ``text`` contains."""
    return [fragment for fragment in (*_FORBIDDEN_TEXT, *extra) if fragment in text]


class _Climb(ast.NodeVisitor):
    """Follows path expressions that start at ``__file__`` and records how high they climb.

    Heights count directory levels above the file: the file itself is 0, its directory 1,
    and the repository root ``len(relative_path.parts)``.
    """

    def __init__(self) -> None:
        self.peak = 0
        self.peak_line = 0
        self.names: dict[str, int] = {}

    def _reach(self, height: int, node: ast.AST) -> int:
        if height > self.peak:
            self.peak, self.peak_line = height, getattr(node, "lineno", 0)
        return height

    def _walk_parts(self, height: int, parts: Sequence[ast.expr], node: ast.AST) -> int:
        for part in parts:
            if not (isinstance(part, ast.Constant) and isinstance(part.value, str)):
                return height  # an unknown part: stop following, never guess upward
            for segment in part.value.split("/"):
                if segment == "..":
                    height = self._reach(height + 1, node)
                elif segment not in ("", "."):
                    height -= 1
        return height

    def height(self, node: ast.expr) -> int | None:
        """The height ``node`` points at, or None when it does not derive from ``__file__``."""
        if isinstance(node, ast.Name):
            return 0 if node.id == "__file__" else self.names.get(node.id)
        if isinstance(node, ast.Attribute) and node.attr == "parent":
            base = self.height(node.value)
            return None if base is None else self._reach(base + 1, node)
        if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Attribute):
            if node.value.attr == "parents" and isinstance(node.slice, ast.Constant):
                base = self.height(node.value.value)
                index = node.slice.value
                if base is not None and isinstance(index, int):
                    return self._reach(base + index + 1, node)
            return None
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div):
            base = self.height(node.left)
            return None if base is None else self._walk_parts(base, [node.right], node)
        if isinstance(node, ast.Call):
            return self._call_height(node)
        return None

    def _call_height(self, node: ast.Call) -> int | None:
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else func.id if isinstance(func, ast.Name) else ""
        if name in ("Path", "PurePath", "abspath", "realpath", "normpath", "fspath", "str") and node.args:
            return self.height(node.args[0])
        if name == "dirname" and node.args:
            base = self.height(node.args[0])
            return None if base is None else self._reach(base + 1, node)
        if name == "join" and node.args:
            base = self.height(node.args[0])
            return None if base is None else self._walk_parts(base, node.args[1:], node)
        if isinstance(func, ast.Attribute) and name in ("resolve", "absolute", "expanduser"):
            return self.height(func.value)
        if isinstance(func, ast.Attribute) and name == "joinpath":
            base = self.height(func.value)
            return None if base is None else self._walk_parts(base, node.args, node)
        return None

    def generic_visit(self, node: ast.AST) -> None:
        if isinstance(node, ast.expr):
            self.height(node)
        super().generic_visit(node)

    def visit_Assign(self, node: ast.Assign) -> None:
        self.generic_visit(node)
        found = self.height(node.value)
        for target in node.targets:
            if isinstance(target, ast.Name) and found is not None:
                self.names[target.id] = found

    def visit_AnnAssign(self, node: ast.AnnAssign) -> None:
        self.generic_visit(node)
        found = None if node.value is None else self.height(node.value)
        if isinstance(node.target, ast.Name) and found is not None:
            self.names[node.target.id] = found


def climbs_out(source: str, relative_path: Path) -> int | None:
    """The line on which the code climbs above the repository root, or None if it never does."""
    climb = _Climb()
    climb.visit(ast.parse(source))
    return climb.peak_line if climb.peak > len(relative_path.parts) else None


def test_no_file_names_a_path_outside_the_repository() -> None:
    """No source, test, benchmark, script or example mentions a path beside or above the checkout."""
    extra = _checkout_paths(REPO)
    scanned = 0
    offenders: list[str] = []
    for path in _scanned_files(REPO):
        text = _text_of(path)
        if text is None:
            continue
        scanned += 1
        for fragment in forbidden_mentions(text, extra):
            offenders.append(f"{path.relative_to(REPO)}: {fragment!r}")
    assert scanned > 300  # the walk really covered the tree
    assert offenders == []


def test_no_python_file_climbs_above_the_repository_root() -> None:
    """Paths built from ``__file__`` stay inside the repository."""
    checked = 0
    offenders: list[str] = []
    for path in _scanned_files(REPO):
        if path.suffix != ".py":
            continue
        relative = path.relative_to(REPO)
        line = climbs_out(path.read_text(encoding="utf-8"), relative)
        checked += 1
        if line is not None:
            offenders.append(f"{relative}:{line}")
    assert checked > 100
    assert offenders == []


def test_the_spec_is_read_from_inside_the_repository() -> None:
    """The corpus reads its spec headings from ``docs/spec/`` in this checkout."""
    from corpus.spec import SPEC_DIR, spec_pages

    assert SPEC_DIR == REPO / "docs" / "spec"
    assert {page.name for page in spec_pages()} >= {"index.md", "a-policy-grammar.md", "k-open-questions.md"}


FILE = Path("tests", "corpus", "test_x.py")  # the repository root is 3 levels above this file


@pytest.mark.parametrize(
    "source",
    [
        "from pathlib import Path\nX = Path(__file__).resolve().parents[3] / 'y'\n",
        "from pathlib import Path\nX = Path(__file__).resolve().parents[2].parent / 'outside'\n",
        "from pathlib import Path\nX = Path(__file__).parent.parent.parent.parent\n",
        "import os\nX = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(__file__))))\n",
        "import os\nX = os.path.join(os.path.dirname(__file__), '..', '..', '..')\n",
        "import os\nX = os.path.join(os.path.dirname(__file__), '../../../spec')\n",
        "from pathlib import Path\nROOT = Path(__file__).resolve().parents[2]\nX = ROOT.parent / 'outside'\n",
        "from pathlib import Path\nROOT: Path = Path(__file__).parents[2]\nX = ROOT / '..' / 'spec'\n",
        "from pathlib import Path\ndef f() -> Path:\n    return Path(__file__).resolve().joinpath('../../../..')\n",
    ],
)
def test_climb_detector_flags_escapes(source: str) -> None:
    """Every way of climbing above the root that the detector knows is flagged."""
    assert climbs_out(source, FILE) is not None


@pytest.mark.parametrize(
    "source",
    [
        "from pathlib import Path\nX = Path(__file__).resolve().parents[2] / 'docs' / 'spec'\n",
        "from pathlib import Path\nX = Path(__file__).parent.parent.parent\n",
        "import os\nX = os.path.join(os.path.dirname(__file__), '..', '..')\n",
        "from pathlib import Path\nROOT = Path(__file__).resolve().parents[2]\nX = ROOT / 'docs' / '..' / 'src'\n",
        "from pathlib import Path\nX = Path('data').parent.parent.parent.parent\n",
        "import os\nX = os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname('/tmp/a/b/c'))))\n",
    ],
)
def test_climb_detector_passes_paths_inside(source: str) -> None:
    """Paths that stay in the repository, or do not start at ``__file__``, are not flagged."""
    assert climbs_out(source, FILE) is None


def test_text_detector_flags_outside_paths() -> None:
    """The forbidden fragments and the checkout's own absolute path are found in text."""
    workspace = "/" + "work" + "/" + _OLD_HOME + "/x"
    assert forbidden_mentions(f"open('{workspace}')") != []
    assert forbidden_mentions(f"Path('..' '/{_OLD_HOME}')") == []  # split literals are the Python check's job
    assert forbidden_mentions("x = '.." + "/" + _OLD_HOME + "/spec/y'") != []
    checkout = "/home/ci/checkouts/iamsim"
    assert forbidden_mentions(f"x = '{checkout}/docs/spec'", (checkout,)) != []
    assert forbidden_mentions("arn:aws:s3:::home-dirs/home/alice/cv.pdf", (checkout,)) == []
