"""No hostile file makes a command print a traceback or hang (issue 11, "Trust first"; docs/cli.md exit codes).

Every command is given nested JSON/YAML, huge numbers, /dev/zero, a FIFO, a
YAML alias bomb, binary garbage, non-UTF-8 text, a directory and a missing
file; Hypothesis adds generated hostile files. Each run must end with a
documented exit code (0, 2 or 3; 1 only for iamsim's own failure, never here)
and, on error, one ``error:`` line.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from iamsim.cli import cli
from iamsim.cli.exit_codes import EXIT_DENIED, EXIT_INVALID_INPUT, EXIT_OK

REQUEST = ["--principal", "arn:aws:iam::111122223333:user/a", "--action", "s3:GetObject"]
DOCUMENTED = {EXIT_OK, EXIT_DENIED, EXIT_INVALID_INPUT}


def _commands(path: str) -> dict[str, list[str]]:
    return {
        "validate": ["validate", path],
        "evaluate --identity": ["evaluate", "--identity", path, *REQUEST],
        "evaluate --context-file": [
            "evaluate",
            "--identity",
            "arn:aws:iam::aws:policy/ReadOnlyAccess",
            "--context-file",
            path,
            *REQUEST,
        ],
        "evaluate --source": ["evaluate", "--source", path, "--role", "x", *REQUEST],
        "explain": ["explain", "--trust-policy", path, *REQUEST],
        "test": ["test", path],
        "diff": ["diff", path, path, "--cases", path],
    }


def _alias_bomb() -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]" for n in range(1, 10)]
    return "\n".join(lines) + "\n"


HOSTILE: dict[str, Callable[[Path], str]] = {
    "deep.json": lambda p: "[" * 100_000 + "]" * 100_000,
    "deep-object.json": lambda p: '{"a":' * 5_000 + "1" + "}" * 5_000,
    "deep.yaml": lambda p: "[" * 100_000 + "]" * 100_000,
    "deep-block.yaml": lambda p: "".join(" " * n + "a:\n" for n in range(3_000)),
    "big-int.json": lambda p: (
        '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*",'
        '"Resource":"*","Condition":{"DateEquals":{"aws:CurrentTime":' + "9" * 5_000 + "}}}]}"
    ),
    "big-int.yaml": lambda p: "Version: '2012-10-17'\nStatement:\n  - Sid: " + "9" * 5_000 + "\n",
    "bomb.yaml": lambda p: _alias_bomb(),
    "recursive.yaml": lambda p: "a: &a [*a]\n",
    "latin1.json": lambda p: "",
}


def _make(tmp_path: Path, name: str) -> str:
    path = tmp_path / name
    if name == "latin1.json":
        path.write_bytes('{"Sid": "caf\xe9"}'.encode("latin-1"))
    else:
        path.write_text(HOSTILE[name](path), encoding="utf-8")
    return str(path)


def _check(args: list[str]) -> None:
    result = CliRunner().invoke(cli, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), (args[0], repr(result.exception))
    assert "Traceback" not in result.output
    assert result.exit_code in DOCUMENTED, (args, result.exit_code, result.output[-300:])
    if result.exit_code == EXIT_INVALID_INPUT:
        assert result.output.count("error:") >= 1


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_files_end_with_a_documented_exit_code(tmp_path: Path, name: str) -> None:
    """Issue 11: deep nesting, 5,000-digit integers, alias bombs, non-UTF-8: a one-line error, never a traceback."""
    path = _make(tmp_path, name)
    for args in _commands(path).values():
        _check(args)


def test_devices_fifos_directories_and_missing_files_are_refused_at_once(tmp_path: Path) -> None:
    """/dev/zero and a FIFO are refused without reading them (no hang, bounded memory); so are directories."""
    fifo = tmp_path / "fifo.json"
    os.mkfifo(fifo)
    empty_dir = tmp_path / "empty.json"
    empty_dir.mkdir()
    for path in ("/dev/zero", str(fifo), str(empty_dir), str(tmp_path / "missing.yaml")):
        for args in _commands(path).values():
            _check(args)


hostile_text = st.one_of(
    st.binary(max_size=200).map(lambda b: b.decode("utf-8", "replace")),
    st.text(alphabet="[]{}:,-&*!\"' \n0123456789aex.", max_size=300),
    st.integers(min_value=1, max_value=2_000).map(lambda n: "[" * n),
    st.integers(min_value=300, max_value=6_000).map(lambda n: "Statement: " + "7" * n),
)


@settings(max_examples=30, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    text=hostile_text, suffix=st.sampled_from([".json", ".yaml", ".txt"]), command=st.sampled_from(list(_commands("")))
)
def test_generated_hostile_files_never_print_a_traceback(tmp_path: Path, text: str, suffix: str, command: str) -> None:
    """Hypothesis: generated junk in each format, through each command: documented exit code, no traceback."""
    path = tmp_path / f"hostile{suffix}"
    path.write_text(text, encoding="utf-8")
    _check(_commands(str(path))[command])


@settings(max_examples=10, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.binary(min_size=1, max_size=300))
def test_binary_garbage_is_invalid_input(tmp_path: Path, data: bytes) -> None:
    """Random bytes as a policy: exit 3 with one error line, or an answer; never a traceback."""
    path = tmp_path / "garbage.json"
    path.write_bytes(data)
    _check(["validate", str(path)])
    _check(["evaluate", "--identity", str(path), *REQUEST])
