"""Write the JSON Schemas of the hand-written formats and of the CLI's JSON output to docs/schemas/.

The schemas are generated from the pydantic models that check the files
(``iamsim._formats``) and describe the output (``iamsim.cli.payloads``), so
they cannot drift from what the loaders accept; ``tests/docs/test_schemas.py``
fails when a checked-in schema is stale. Editors use them to complete and
check suites and world files (docs/dry-run.md, "Completion in your editor").

Run: ``.venv/bin/python scripts/gen_schemas.py`` (``--check`` only compares).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from pydantic import BaseModel, TypeAdapter

from iamsim._formats.suite import SuiteFile
from iamsim._formats.world import WorldFile
from iamsim.cli.payloads import COMMAND_PAYLOADS

ROOT = Path(__file__).resolve().parents[1]
DIRECTORY = ROOT / "docs" / "schemas"
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def _schema(name: str, model: type[BaseModel] | TypeAdapter[Any], title: str) -> dict[str, Any]:
    generated = model.json_schema() if isinstance(model, TypeAdapter) else model.model_json_schema()
    return {"$schema": DIALECT, "$id": name, **generated, "title": title}


def render() -> dict[str, str]:
    """Every schema file's name and text."""
    schemas = {
        "world.schema.json": _schema("world.schema.json", WorldFile, "iamsim world file"),
        "suite.schema.json": _schema("suite.schema.json", SuiteFile, "iamsim policy test suite"),
    }
    for command, payload in COMMAND_PAYLOADS.items():
        name = f"cli-{command}.schema.json"
        schemas[name] = _schema(name, payload, f"iamsim {command} --format json")
    return {name: json.dumps(schema, indent=2, ensure_ascii=False) + "\n" for name, schema in schemas.items()}


def main(argv: list[str] | None = None) -> int:
    """Write the schemas, or with ``--check`` report whether they are up to date."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--check", action="store_true", help="exit 1 if a checked-in schema is out of date")
    args = parser.parse_args(argv)
    files = render()
    if args.check:
        stale = [
            name
            for name, text in files.items()
            if not (DIRECTORY / name).is_file() or (DIRECTORY / name).read_text(encoding="utf-8") != text
        ]
        for name in stale:
            print(f"docs/schemas/{name} is out of date: run scripts/gen_schemas.py", file=sys.stderr)
        return 1 if stale else 0
    DIRECTORY.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (DIRECTORY / name).write_text(text, encoding="utf-8")
        print(f"wrote docs/schemas/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
