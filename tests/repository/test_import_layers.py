"""The import contract: the layering of ``docs/architecture.md`` ("Layers"), checked on every run.

Lowest first, a module imports only from its own layer or below; imports under
``if TYPE_CHECKING:`` are for the type checker and do not count. Besides the
order: the store never imports the evaluator, and the reference evaluator
imports none of the compiled path's modules (so the two evaluators cannot
share a bug). Imports are read with ``ast``: nothing is imported to check them.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator, Mapping
from pathlib import Path

import iamsim

SRC = Path(iamsim.__file__).parent

#: Layer of each top-level part of the package, lowest first (docs/architecture.md, "Layers").
LAYERS: dict[str, int] = {
    # base
    "errors": 0,
    "_arn": 0,
    "_clock": 0,
    "_formats": 0,
    "_shown": 0,
    # language
    "_policy": 1,
    # evaluation
    "_engine": 2,
    "_matrix": 2,
    # world
    "_store": 3,
    "_sts": 3,
    "_simulator": 3,
    # facade
    "__init__": 4,
    "_evaluate": 4,
    "_explain": 4,
    "_bundle": 4,
    "_prover": 4,
    # integrations
    "_wire": 5,
    "_handlers": 5,
    "_serve": 5,
    "_enforce": 5,
    "boto3": 5,
    "testing": 5,
    # tools
    "_sources": 6,
    "policytests": 6,
    "_walkthrough": 6,
    "cli": 6,
    "pytest_plugin": 6,
}
LAYER_NAMES = ("base", "language", "evaluation", "world", "facade", "integrations", "tools")

#: Leaf modules that import nothing of iamsim above the base layer: they count as base, so any
#: layer may use them. IAM's wildcard matching is the policy language's meaning of ``*`` and
#: ``?``; the language layer's service catalog matches action names with it.
#: The bounded JSON/YAML reader is one too: snapshots and world files are read with its limits.
LEAVES = frozenset({"iamsim._engine.wildcards", "iamsim._engine.linear_match", "iamsim._sources.documents"})

#: Policy validation lives in ``_policy/`` but checks resources with the evaluator's resource-type
#: matching, so it sits in the evaluation layer (nothing below imports it).
VALIDATION = ("iamsim._policy.validate", "iamsim._policy.sarif", "iamsim._policy.lint_")

#: Imports that break the contract today, each with the reason and who removes it. A stale entry fails.
KNOWN_EXCEPTIONS: dict[tuple[str, str], str] = {}

#: The evaluator modules the reference evaluator may use: the data it reads and writes, not the
#: compiled path's matching (``compiled``, ``wildcards``, ``variables``, ``conditions``...).
REFERENCE_MAY_USE = frozenset(
    {
        "iamsim._engine.policy_set",
        "iamsim._engine.request",
        "iamsim._engine.result",
        "iamsim._engine.standing_rules",
        "iamsim._engine.resource_types",
    }
)

#: Parts of the world layer that must not import one another, importer -> forbidden.
WORLD_ORDER: dict[str, frozenset[str]] = {
    "_store": frozenset({"_engine", "_sts", "_simulator"}),
    "_sts": frozenset({"_simulator"}),
}


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _sources() -> dict[str, str]:
    return {_module_name(p): p.read_text(encoding="utf-8") for p in sorted(SRC.rglob("*.py"))}


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


def _runtime_imports(module: str, source: str, known: Mapping[str, str]) -> Iterator[tuple[int, str]]:
    """(line, imported iamsim module) for every import that runs, at import time or inside a function."""
    is_package = f"{module}.__init__" in known or any(k.startswith(f"{module}.") for k in known)
    stack: list[ast.AST] = [ast.parse(source)]
    while stack:
        node = stack.pop()
        if isinstance(node, ast.If) and _is_type_checking(node.test):
            stack.extend(node.orelse)
            continue
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = module.split(".") if is_package else module.split(".")[:-1]
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, *([base] if base else [])])
            for alias in node.names:
                # ``from package import submodule`` imports the submodule.
                candidate = f"{base}.{alias.name}"
                yield node.lineno, candidate if candidate in known else base
        stack.extend(ast.iter_child_nodes(node))


def _part(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


def _layer(module: str) -> int:
    if module in LEAVES:
        return 0
    if module.startswith(VALIDATION):
        return LAYERS["_engine"]
    return LAYERS[_part(module)]


def violations(sources: Mapping[str, str]) -> list[str]:
    """Every import in ``sources`` (module name -> text) that breaks the contract, as readable lines."""
    found: list[str] = []
    for module, source in sources.items():
        if not module.startswith("iamsim"):
            continue
        for line, imported in sorted(set(_runtime_imports(module, source, sources))):
            outside = imported != "iamsim" and not imported.startswith("iamsim.")
            if outside or (module, imported) in KNOWN_EXCEPTIONS:
                continue
            where = f"{module}:{line} imports {imported}"
            if _layer(imported) > _layer(module):
                found.append(
                    f"{where}: {LAYER_NAMES[_layer(module)]} layer importing {LAYER_NAMES[_layer(imported)]} layer"
                )
            if _part(imported) in WORLD_ORDER.get(_part(module), frozenset()) and imported not in LEAVES:
                found.append(f"{where}: {_part(module)} must not import {_part(imported)}")
            if (
                module.startswith("iamsim._engine.reference")
                and imported.startswith("iamsim._engine.")
                and not imported.startswith("iamsim._engine.reference")
                and imported not in REFERENCE_MAY_USE
            ):
                found.append(f"{where}: the reference evaluator must not use the compiled path")
    return found


def test_every_part_of_the_package_has_a_layer() -> None:
    """A new top-level module or package must be placed in the table (and in docs/architecture.md)."""
    assert {_part(m) for m in _sources()} <= LAYERS.keys()


def test_the_package_keeps_its_layers() -> None:
    """No runtime import goes up a layer, across the world's order, or from reference to compiled."""
    assert violations(_sources()) == []


def test_known_exceptions_are_still_needed() -> None:
    """An exception whose import is gone must leave the list, so the list only shrinks."""
    sources = _sources()
    for module, imported in KNOWN_EXCEPTIONS:
        assert (module, imported) in {(module, i) for _, i in _runtime_imports(module, sources[module], sources)}


def test_leaves_import_only_the_base_layer() -> None:
    """A leaf may be used from any layer only while it stays a leaf."""
    sources = _sources()
    for leaf in LEAVES:
        for _, imported in _runtime_imports(leaf, sources[leaf], sources):
            if imported == "iamsim.errors":
                continue
            if imported.startswith("iamsim"):
                assert imported in LEAVES or LAYERS[_part(imported)] == 0, (leaf, imported)


def test_a_violating_import_is_reported() -> None:
    """The contract is not vacuous: each rule catches its own kind of import."""
    sources = {
        "iamsim._policy.bad": "from iamsim._simulator import Simulator\n",
        "iamsim._store.bad": "def f():\n    from iamsim._engine import compiled\n",
        "iamsim._engine.reference.bad": "from iamsim._engine.compiled import compile_policy_set\n",
        "iamsim._engine.compiled": "",
        "iamsim._sts.bad": "import iamsim._simulator.world\n",
        "iamsim.errors": "if TYPE_CHECKING:\n    from iamsim._engine.result import EvaluationResult\n",
        "iamsim._policy.ok": "from iamsim._engine.wildcards import compile_glob\nfrom iamsim.errors import X\n",
    }
    assert violations(sources) == [
        "iamsim._policy.bad:1 imports iamsim._simulator: language layer importing world layer",
        "iamsim._store.bad:2 imports iamsim._engine.compiled: _store must not import _engine",
        "iamsim._engine.reference.bad:1 imports iamsim._engine.compiled: the reference evaluator must not use the "
        "compiled path",
        "iamsim._sts.bad:1 imports iamsim._simulator.world: _sts must not import _simulator",
    ]


def test_the_docs_table_names_every_layer() -> None:
    """docs/architecture.md's table and this contract list the same parts."""
    page = (SRC.parents[1] / "docs" / "architecture.md").read_text(encoding="utf-8")
    table = page.split("## Layers", 1)[1].split("\n## ", 1)[0]
    for part in LAYERS:
        name = "iamsim/__init__.py" if part == "__init__" else part
        assert f"`{name}" in table, part
