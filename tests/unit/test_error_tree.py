"""One error tree (issue 12): every exception iamsim raises on purpose is defined in ``iamsim.errors``.

AWS errors keep AWS's codes; misuse of the library is a ``UsageError`` (also a ``ValueError``).
"""

from __future__ import annotations

import ast
import inspect
import pickle
import re
from pathlib import Path

import pytest

import iamsim
import iamsim.errors as errors

SRC = Path(iamsim.__file__).parent

#: Private control-flow exceptions that never leave their package: the CLI's (its click exceptions,
#: which click turns into exit codes at the process boundary, belong to click's tree) and the
#: prover's, which every check catches and answers as UNKNOWN naming the construct.
PRIVATE_SIGNALS = {("cli/validate.py", "_NotAPolicy"), ("_prover/unsupported.py", "Unsupported")}

ERROR_CLASSES = [
    obj for name in errors.__all__ if isinstance(obj := getattr(errors, name), type) and issubclass(obj, Exception)
]


def _exception_classes_outside_errors() -> list[tuple[str, str]]:
    found = []
    known = {n for n in dir(errors) if not n.startswith("_")} | {"Exception", "ValueError"}
    for path in sorted(SRC.rglob("*.py")):
        relative = path.relative_to(SRC).as_posix()
        if relative.startswith("errors/"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ClassDef):
                continue
            # Only bare names: ``click.UsageError`` and the like are other libraries' trees.
            bases = {b.id for b in node.bases if isinstance(b, ast.Name)}
            if bases & known or (bases and bases <= {c for _, c in found}):
                found.append((relative, node.name))
    return found


def test_every_exception_class_lives_in_errors() -> None:
    """No exception class is defined outside the ``iamsim/errors/`` package except the private signals."""
    assert set(_exception_classes_outside_errors()) == PRIVATE_SIGNALS


def test_the_package_modules_are_private_and_small() -> None:
    """``iamsim.errors`` is a package of private modules by regime, each under 400 lines (house rule).

    Every class says ``iamsim.errors`` as its module, whichever module defines it, so ``repr``,
    pickles and the API page name the one public path.
    """
    package = SRC / "errors"
    assert (package / "__init__.py").is_file()
    assert not (SRC / "errors.py").exists()
    for path in package.glob("*.py"):
        assert path.name == "__init__.py" or path.name.startswith("_"), path.name
        assert len(path.read_text(encoding="utf-8").splitlines()) < 400, path.name
    for cls in ERROR_CLASSES:
        assert cls.__module__ == "iamsim.errors", cls
        assert repr(cls) == f"<class 'iamsim.errors.{cls.__name__}'>"


def test_every_error_derives_from_iamsimerror_and_is_exported() -> None:
    """The tree has one root; every class in it is named in ``iamsim.errors.__all__``."""
    defined = {
        name
        for name, obj in vars(errors).items()
        if isinstance(obj, type) and issubclass(obj, BaseException) and obj.__module__ == errors.__name__
    }
    assert defined == {c.__name__ for c in ERROR_CLASSES}
    for cls in ERROR_CLASSES:
        assert issubclass(cls, errors.IamSimError), cls


def test_the_docstring_draws_every_class() -> None:
    """The tree in the module docstring names every class (it is the map readers use)."""
    drawn = set(re.findall(r"── (\w+)", errors.__doc__ or "")) | {"IamSimError"}
    assert drawn == {cls.__name__ for cls in ERROR_CLASSES}


def test_aws_errors_carry_their_own_code_and_status() -> None:
    """AWS errors: each ServiceError subclass states AWS's code and an HTTP status (§H.4)."""
    for cls in ERROR_CLASSES:
        if issubclass(cls, errors.ServiceError) and cls is not errors.ServiceError:
            assert cls.code != errors.ServiceError.code, cls
            assert 400 <= cls.status < 600, cls
    assert errors.PolicyFileError.code == "InvalidInput"


def test_usage_and_verdict_errors_are_also_the_builtin_kinds() -> None:
    """Misuse is a ValueError; a missed policy test case is an AssertionError; neither has an AWS code."""
    assert issubclass(errors.UsageError, ValueError)
    assert issubclass(errors.PolicyCaseFailed, AssertionError)
    for cls in (errors.UsageError, errors.SnapshotFormatError, errors.WireError, errors.PolicyCaseFailed):
        assert not issubclass(cls, errors.ServiceError)


@pytest.mark.parametrize(
    "error",
    [
        errors.UsageError("bad option"),
        errors.SnapshotFormatError("malformed snapshot"),
        errors.InvalidAuthenticationCodeError("Authentication code for the MFA device is not valid."),
        errors.MissingActionError(),
        errors.PolicyFileError(
            "p.json", errors.MalformedPolicyDocumentError("Syntax errors in policy.", line=1, column=2)
        ),
    ],
    ids=lambda e: type(e).__name__,
)
def test_errors_pickle(error: Exception) -> None:
    """Errors cross process boundaries (pytest-xdist, multiprocessing) intact."""
    clone = pickle.loads(pickle.dumps(error))
    assert type(clone) is type(error)
    assert str(clone) == str(error)


def test_moved_classes_keep_their_behaviour() -> None:
    """PolicyFileError still says which file, where and why (the CLI's dry-run messages rely on it)."""
    cause = errors.MalformedPolicyDocumentError("Syntax errors in policy.", pointer="/Statement", line=3, column=5)
    error = errors.PolicyFileError("policies/app.json", cause)
    assert error.message == "policies/app.json:3:5: MalformedPolicyDocument: Syntax errors in policy. (at /Statement)"
    assert error.cause is cause
    assert inspect.getmodule(error) is errors
