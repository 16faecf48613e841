"""Field types shared by the hand-written formats, each refusing a wrong value in words a newcomer reads.

pydantic's own messages ("Input should be a valid string") name the type in
Python's terms; these validators say what the file should hold instead
("must be a non-empty string, not a list") and never repeat the value, which
may be huge.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, BeforeValidator, ConfigDict, GetJsonSchemaHandler, WithJsonSchema, model_validator
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError

__all__ = [
    "Document",
    "FileModel",
    "Names",
    "OneOrList",
    "OptionalText",
    "Seconds",
    "Tags",
    "Text",
    "keys_as_text",
    "kind_of",
    "one_or_many",
    "refuse_empty",
]


def kind_of(value: Any) -> str:
    """What a wrong value is, in the file's words (never the value itself: it may be huge)."""
    if value is None:
        return "empty"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, (int, float)):
        return "a number"
    return "a string" if isinstance(value, str) else type(value).__name__


class FileModel(BaseModel):
    """A mapping of a hand-written file: unknown keys are refused by name, with the keys it may hold."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    #: Whether an empty value (``key:`` with nothing after it in YAML) means an empty mapping.
    empty_is_mapping: ClassVar[bool] = False

    @model_validator(mode="before")
    @classmethod
    def _a_mapping_of_known_keys(cls, data: Any) -> Any:
        if data is None and cls.empty_is_mapping:
            return {}
        if not isinstance(data, Mapping):
            raise PydanticCustomError("not_a_mapping", "must be a mapping, not {kind}", {"kind": kind_of(data)})
        known = set(cls.model_fields)
        unknown = [key for key in data if not isinstance(key, str) or key not in known]
        if unknown:
            names = ", ".join(sorted(map(str, unknown)))
            raise PydanticCustomError(
                "unknown_keys",
                "unknown key(s) {names}; expected some of {known}",
                {"names": names, "known": ", ".join(sorted(known)), "key": unknown[0]},
            )
        cls.check_keys(data)
        return data

    @classmethod
    def check_keys(cls, data: Mapping[Any, Any]) -> None:
        """Rules about which keys go together, checked before any value; raise ``ValueError`` to refuse."""


class OneOrList:
    """Marks a list field that also takes a single item: its schema says "an item, or a list of items"."""

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: GetJsonSchemaHandler) -> JsonSchemaValue:
        """The list's schema, and its item's schema beside it."""
        schema = handler(core_schema)
        return {"anyOf": [schema["items"], schema]}


def _text(value: Any) -> str:
    # A whole number is taken as its digits: YAML reads an unquoted account id as one.
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str) or not value:
        raise ValueError(f"must be a non-empty string, not {kind_of(value)}" if value != "" else "must not be empty")
    return value


def _optional_text(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"must be a string, not {kind_of(value)}")
    return value


def one_or_many(value: Any) -> Any:
    """A list as it is; one item as a list of it; nothing as an empty list."""
    if value is None:
        return ()
    return value if isinstance(value, list) else [value]


def _document(value: Any) -> Any:
    if isinstance(value, Mapping):
        return dict(value)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"a policy document must be a mapping, JSON text or a file name, not {kind_of(value)}")
    return value


def _tag_value(value: Any) -> str:
    if isinstance(value, (Mapping, list)):
        raise ValueError(f"a tag value must be a string, not {kind_of(value)}")
    return "" if value is None else str(value)


def _seconds(value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"must be a whole number of seconds, not {kind_of(value)}")
    if value.bit_length() > 64:
        raise ValueError("must be a whole number of seconds, not a number this large")
    return value


def keys_as_text(expected: str) -> Callable[[Any], Any]:
    """A validator of a mapping whose keys are read as text (``None`` is empty); else "must be ``expected``"."""

    def validate(value: Any) -> Any:
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            raise ValueError(f"must be {expected}, not {kind_of(value)}")
        return {str(key): item for key, item in value.items()}

    return validate


def refuse_empty(message: str) -> Callable[[Any], Any]:
    """A validator refusing an empty list or mapping with ``message``; other values go on to their type's check."""

    def validate(value: Any) -> Any:
        if isinstance(value, list | dict) and not value:
            raise ValueError(message)
        return value

    return validate


#: A non-empty string (a whole number is taken as its digits).
Text = Annotated[str, BeforeValidator(_text), WithJsonSchema({"type": "string", "minLength": 1})]
#: A string that may be empty (a path, a description).
OptionalText = Annotated[str, BeforeValidator(_optional_text)]
#: One name or a list of names.
Names = Annotated[tuple[Text, ...], BeforeValidator(one_or_many), OneOrList()]
#: A policy document: a mapping, JSON text, or the name of a file relative to the file that names it.
Document = Annotated[
    dict[str, Any] | str,
    BeforeValidator(_document),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "object", "description": "the policy itself (Version, Statement)"},
                {"type": "string", "minLength": 1, "description": "a JSON or YAML file, or JSON text"},
            ]
        }
    ),
]
#: Tags: keys to string values (a number or true/false is taken as its text; an empty value is "").
Tags = Annotated[
    dict[str, Annotated[str, BeforeValidator(_tag_value)]],
    BeforeValidator(keys_as_text("a mapping")),
    WithJsonSchema({"type": "object", "additionalProperties": {"type": ["string", "number", "boolean", "null"]}}),
]
#: A whole number of seconds (the operation that takes it checks its range).
Seconds = Annotated[int, BeforeValidator(_seconds), WithJsonSchema({"type": "integer"})]
