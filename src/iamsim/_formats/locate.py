"""Naming a place in a hand-written file: a key path, the entity's name, and the line when the file was YAML.

YAML read with :func:`install_line_constructors`'s constructors gives
:class:`LocatedDict` and :class:`LocatedList`, plain ``dict`` and ``list``
that also remember the line of each key and item; JSON and data built in
Python carry no lines, so their places are named by key path alone.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, get_args

import yaml

from iamsim.errors import InvalidInputError

if TYPE_CHECKING:
    # Only for annotations: this module is imported by every file reader, and pydantic by the checks alone.
    from pydantic import BaseModel, ValidationError

__all__ = ["LocatedDict", "LocatedList", "install_line_constructors", "invalid_input", "place"]

Loc = Sequence[int | str]
#: Names pydantic puts in an error's place for the branch of a union (see the formats' ``Tag``s): not keys of the file.
UNION_TAGS = frozenset({"file name", "inline", "source", "check case", "request case"})


class LocatedDict(dict[Any, Any]):
    """A mapping read from YAML that knows the line (1-based) of each of its keys."""

    key_lines: dict[str, int]


class LocatedList(list[Any]):
    """A list read from YAML that knows the line (1-based) of each of its items."""

    item_lines: list[int]


def _construct_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode) -> Iterator[LocatedDict]:
    data = LocatedDict()
    data.key_lines = {}
    yield data
    loader.flatten_mapping(node)
    data.update(loader.construct_mapping(node))
    data.key_lines = {str(key.value): key.start_mark.line + 1 for key, _ in node.value if key.start_mark}


def _construct_sequence(loader: yaml.SafeLoader, node: yaml.SequenceNode) -> Iterator[LocatedList]:
    data = LocatedList()
    data.item_lines = []
    yield data
    data.extend(loader.construct_sequence(node))
    data.item_lines = [item.start_mark.line + 1 for item in node.value]


def install_line_constructors(loader: type[yaml.SafeLoader]) -> None:
    """Make ``loader`` build :class:`LocatedDict` and :class:`LocatedList` for YAML mappings and sequences."""
    loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
    loader.add_constructor("tag:yaml.org,2002:seq", _construct_sequence)


def _step(container: Any, step: int | str) -> tuple[Any, int | None]:
    """The value at ``step`` in ``container`` and its line, when both are known."""
    if isinstance(container, Mapping):
        for key, value in container.items():
            if str(key) == str(step):
                lines = getattr(container, "key_lines", {})
                return value, lines.get(str(key))
        return None, None
    if isinstance(container, list) and isinstance(step, int) and 0 <= step < len(container):
        lines = getattr(container, "item_lines", [])
        return container[step], lines[step] if step < len(lines) else None
    return None, None


def place(root: str, data: Any, loc: Loc, *, key: Any = None) -> str:
    """``loc`` as a key path (``accounts.111122223333.roles[2] (App).trust``), with its line when known.

    A list item that is a mapping with a ``name`` is followed by that name;
    ``key`` names an unknown key inside the place, whose own line is the one
    given. ``root`` names the file's top level (``world``) when ``loc`` is empty.
    """
    path = ""
    line: int | None = None
    value = data
    for step in loc:
        if step == "[key]" or step in UNION_TAGS:
            continue
        if isinstance(step, int):
            path += f"[{step}]"
        else:
            path += f".{step}" if path else str(step)
        value, step_line = _step(value, step)
        line = step_line or line
        if isinstance(step, int) and isinstance(value, Mapping) and isinstance(value.get("name"), str):
            path += f" ({value['name']})"
    if key is not None and isinstance(value, Mapping):
        line = getattr(value, "key_lines", {}).get(str(key), line)
    path = path or root
    if line is None:
        return path
    return f"{path} (line {line})" if path else f"line {line}"


def _message(error: Any) -> str:
    kind = error["type"]
    context = error.get("ctx") or {}
    if kind == "missing":
        return "is required"
    if kind == "value_error" and "error" in context:
        return str(context["error"])
    if kind == "too_short":
        return "must not be empty"
    return str(error["msg"])


def _models_in(annotation: Any) -> Iterator[type[BaseModel]]:
    from pydantic import BaseModel

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        yield annotation
    for argument in get_args(annotation):
        yield from _models_in(argument)


def _description(model: type[BaseModel], loc: Loc) -> str | None:
    """The description of the field at ``loc`` of ``model``, following nested models through lists and mappings."""
    current: type[BaseModel] | None = model
    for n, step in enumerate(loc):
        if current is None:
            return None
        field = current.model_fields.get(str(step)) if isinstance(step, str) else None
        if field is None:
            continue  # a list index or a mapping key: the same model holds on
        if n == len(loc) - 1:
            return field.description
        current = next(_models_in(field.annotation), None)
    return None


def invalid_input(
    origin: str, root: str, data: Any, error: ValidationError, model: type[BaseModel], *, base: Loc = ()
) -> InvalidInputError:
    """The first problem of ``error`` as one ``InvalidInputError``: ``origin: place: what is wrong``.

    A missing key is said with the description of its field in ``model``, so
    a newcomer learns what to write there. ``base`` is where the checked value
    sits in ``data`` when it is not the whole file.
    """
    first = error.errors(include_url=False)[0]
    loc = (*base, *first["loc"])
    context = first.get("ctx") or {}
    message = _message(first)
    if first["type"] == "missing":
        description = _description(model, first["loc"])
        if description:
            message = f"is required: {description}"
    where = place(root, data, loc, key=context.get("key"))
    if where == origin:
        # A world given as data (origin "world") with the problem at its top: say the place once.
        where = ""
    more = error.error_count() - 1
    suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return InvalidInputError(f"{origin}: {where + ': ' if where else ''}{message}{suffix}")
