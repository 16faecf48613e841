"""IAM wildcard patterns, compiled once into the cheapest test that decides them.

IAM knows two wildcards: ``*`` (any run of characters, ``/`` and ``:``
included) and ``?`` (exactly one character). Every other character, ``[``,
``]`` and ``\\`` included, is literal (spec §B.1, §B.2), so :mod:`fnmatch` is
never used. A pattern becomes an equality test, a ``startswith``/``endswith``/
``in`` test, or, only when it must, a pattern source in a small subset of
regular-expression syntax that :mod:`iamsim._engine.linear_match` matches in
time linear in the text (never Python's backtracking :mod:`re`, issue 11).

Case-insensitive matching (actions) lowercases the pattern at compile time;
the caller lowercases the text once per request.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import Enum
from functools import lru_cache, partial
from operator import methodcaller

from iamsim._engine.linear_match import compile_source

__all__ = [
    "Glob",
    "GlobKind",
    "GlobSet",
    "Matcher",
    "Segments",
    "compile_glob",
    "compile_glob_set",
    "compile_regex_source",
    "glob_regex_source",
    "has_wildcards",
    "is_match_all",
    "needs_segment_confinement",
    "resource_regex_source",
]

#: A compiled test: called with the text, truthy when it matches.
Matcher = Callable[[str], object]

_WILDCARD_RUN = re.compile(r"[*?]+")


class GlobKind(Enum):
    """The shape of a pattern, which decides how it is tested."""

    #: No wildcard: string equality.
    EXACT = "exact"
    #: Only ``*``: matches every string.
    ANY = "any"
    #: ``literal*``: ``str.startswith``.
    PREFIX = "prefix"
    #: ``*literal``: ``str.endswith``.
    SUFFIX = "suffix"
    #: ``*literal*``: substring test.
    CONTAINS = "contains"
    #: Only ``*`` wildcards, between literal runs: :class:`Segments`.
    SEGMENTS = "segments"
    #: Anything with ``?``: a linear-time matcher (:func:`compile_regex_source`).
    REGEX = "regex"


# Module-level aliases: reading an enum member through its class costs a few times a global lookup,
# and compiling a statement tests a pattern's kind a dozen times.
_EXACT = GlobKind.EXACT
_ANY = GlobKind.ANY
_PREFIX = GlobKind.PREFIX
_SUFFIX = GlobKind.SUFFIX
_CONTAINS = GlobKind.CONTAINS
_SEGMENTS = GlobKind.SEGMENTS
_REGEX = GlobKind.REGEX


def has_wildcards(pattern: str) -> bool:
    """Return whether ``pattern`` holds an IAM wildcard (``*`` or ``?``)."""
    return "*" in pattern or "?" in pattern


def is_match_all(pattern: str) -> bool:
    """Return whether ``pattern`` is one or more ``*`` and nothing else (it matches every string)."""
    return bool(pattern) and not pattern.strip("*")


def glob_regex_source(pattern: str, *, within_segment: bool = False) -> str:
    """Translate an IAM glob into regular-expression source (unanchored, for ``fullmatch``).

    Literal runs are escaped with :func:`re.escape`; a run of ``*`` becomes one
    ``.*``, ``?`` becomes ``.``. The source is read by :func:`compile_regex_source`,
    not by :mod:`re`.
    With ``within_segment`` the wildcards do not cross ``:`` (``[^:]``), which
    is how ``Arn*`` operators match each ARN field (§B.3).
    """
    star, one = ("[^:]*", "[^:]") if within_segment else (".*", ".")
    out: list[str] = []
    position = 0
    for run in _WILDCARD_RUN.finditer(pattern):
        out.append(re.escape(pattern[position : run.start()]))
        wildcards = run.group()
        # ``?`` fixes a length, ``*`` frees it: ``?*?`` is "at least two".
        out.append(one * wildcards.count("?"))
        if "*" in wildcards:
            out.append(star)
        position = run.end()
    out.append(re.escape(pattern[position:]))
    return "".join(out)


def needs_segment_confinement(pattern: str) -> bool:
    """Whether a Resource pattern has a wildcard that must stay inside its ARN segment (§B.2).

    Only a ``*`` run that ends a colon-separated segment (a colon or the end of
    the pattern follows it) may expand across colons; any other ``*`` and every
    ``?`` may not. Patterns without such wildcards match like plain globs.
    """
    if "?" in pattern:
        return True
    # After each ``*`` (empty pieces are inside a run of them): the text that follows the run, if any.
    for piece in pattern.split("*")[1:]:  # noqa: SIM110 - a plain loop spares a generator per pattern
        if piece and piece[0] != ":":
            return True
    return False


def resource_regex_source(runs: Iterable[tuple[str, bool]]) -> str:
    """Regex source for a Resource pattern given as ``(text, raw)`` runs (§B.2, §D).

    In ``raw`` runs ``*`` and ``?`` are wildcards; other runs (substituted
    variable values, ``${*}``-style literals) are literal. A ``*`` run that ends
    its ARN segment becomes ``.*``; any other ``*`` becomes ``[^:]*`` and ``?``
    becomes ``[^:]``, so they stay inside their segment.
    """
    pieces = list(runs)
    out: list[str] = []
    for index, (text, raw) in enumerate(pieces):
        if not raw:
            out.append(re.escape(text))
            continue
        following = "".join(t for t, _ in pieces[index + 1 :])
        position = 0
        for run in _WILDCARD_RUN.finditer(text):
            out.append(re.escape(text[position : run.start()]))
            wildcards = run.group()
            out.append("[^:]" * wildcards.count("?"))
            if "*" in wildcards:
                rest = text[run.end() :] + following
                # Only a ``*`` that is the segment's last character spans colons: in ``*?`` it is not.
                ends_segment = wildcards[-1] == "*" and (not rest or rest[0] == ":")
                out.append(".*" if ends_segment else "[^:]*")
            position = run.end()
        out.append(re.escape(text[position:]))
    return "".join(out)


@lru_cache(maxsize=8192)
def compile_regex_source(source: str) -> Matcher:
    """Compile pattern source from :func:`glob_regex_source` into a full-match test.

    The source is the regex subset described in :mod:`iamsim._engine.linear_match`
    (``.`` matches newlines too: IAM's ``*`` has no exception), matched in time
    linear in the text; the test returns ``True`` or ``None`` like ``re.fullmatch``.
    Used per request for patterns whose variables were just substituted, so the
    result is memoised here (one pattern per user with many principals).
    A pure function's memo, not world state.
    """
    return compile_source(source)


def _always(_text: str) -> bool:
    return True


@dataclass(frozen=True, slots=True)
class Segments:
    """A ``*``-only glob as its literal runs: ``a*b*c`` is ``first="a"``, ``middle=("b",)``, ``last="c"``.

    Matching needs no regex: ``first`` must start the text, ``last`` end it,
    and the middle runs are found left to right; taking the leftmost
    occurrence of each is always safe when the only wildcard is ``*``.
    Compiling costs nothing, unlike :func:`re.compile`.
    """

    first: str
    middle: tuple[str, ...]
    last: str

    def __call__(self, text: str) -> bool:
        """Return whether ``text`` matches."""
        first = self.first
        last = self.last
        end = len(text) - len(last)
        if end < len(first) or not text.startswith(first) or not text.endswith(last):
            return False
        position = len(first)
        for run in self.middle:
            found = text.find(run, position, end)
            if found < 0:
                return False
            position = found + len(run)
        return True


def _segments(pattern: str) -> Segments:
    runs = pattern.split("*")
    # Set directly: equal to ``Segments(...)`` without the frozen ``__init__``'s ``object.__setattr__`` calls.
    segments: Segments = _new_object(Segments)
    _set_first(segments, runs[0])
    _set_middle(segments, tuple([run for run in runs[1:-1] if run]))
    _set_last(segments, runs[-1])
    return segments


_new_object = object.__new__
_SEGMENTS_SLOTS = Segments.__dict__
_set_first = _SEGMENTS_SLOTS["first"].__set__
_set_middle = _SEGMENTS_SLOTS["middle"].__set__
_set_last = _SEGMENTS_SLOTS["last"].__set__


def _bare_test(first: str, last: str, skip: int, tail: int, text: str) -> bool:
    return len(text) - tail >= skip and text.startswith(first) and text.endswith(last)


def _open_ended_test(first: str, middle: str, skip: int, text: str) -> bool:
    return text.startswith(first) and text.find(middle, skip) >= 0


def _bounded_test(first: str, middle: str, last: str, skip: int, tail: int, text: str) -> bool:
    end = len(text) - tail
    return end >= skip and text.startswith(first) and text.endswith(last) and text.find(middle, skip, end) >= 0


def _segments_test(segments: Segments) -> Matcher:
    """A plain function deciding exactly what ``segments`` decides, for the shapes resource patterns take.

    Calling an instance's ``__call__`` costs about twice a ``partial`` of a function; resource tests run
    per candidate statement on the cold path, so the two common shapes (``first*last``,
    ``first*middle*last``) get one and the rest keep :class:`Segments`. (A ``partial`` rather than a
    closure: two objects per pattern instead of five, which the garbage collector sees at compile time.)
    """
    first = segments.first
    last = segments.last
    if not segments.middle:
        return partial(_bare_test, first, last, len(first), len(last))
    if len(segments.middle) > 1:
        return segments
    (middle,) = segments.middle
    if not last:
        return partial(_open_ended_test, first, middle, len(first))
    return partial(_bounded_test, first, middle, last, len(first), len(last))


@dataclass(frozen=True, slots=True)
class Glob:
    """One compiled IAM glob.

    ``pattern`` is the pattern as matched (lowercased for case-insensitive
    globs); ``literal`` is the fixed text an ``EXACT``/``PREFIX``/``SUFFIX``/
    ``CONTAINS`` glob tests for.
    """

    pattern: str
    kind: GlobKind
    literal: str
    test: Matcher = field(compare=False, repr=False)

    def matches(self, text: str) -> bool:
        """Return whether ``text`` matches (lowercase ``text`` first for case-insensitive globs)."""
        return bool(self.test(text))


def _shape(pattern: str) -> tuple[GlobKind, str]:
    if "?" in pattern:
        return _REGEX, ""
    if "*" not in pattern:
        return _EXACT, pattern
    inner = pattern.strip("*")
    if not inner:
        return _ANY, ""
    if "*" in inner:
        return _SEGMENTS, ""
    leading = pattern.startswith("*")
    trailing = pattern.endswith("*")
    if leading and trailing:
        return _CONTAINS, inner
    if trailing:
        return _PREFIX, inner
    return _SUFFIX, inner


def compile_glob(pattern: str, *, ignore_case: bool = False) -> Glob:
    """Compile one IAM glob.

    With ``ignore_case`` the pattern is lowercased; match it against lowercased
    text (actions, §B.1). Otherwise matching is case-sensitive (resources,
    ``StringLike``, ``ArnLike``; §B.2, §C.2).
    """
    if ignore_case:
        pattern = pattern.lower()
    kind, literal = _shape(pattern)
    test = _test_for(kind, literal, pattern)
    return Glob(pattern, kind, literal, test)


@dataclass(frozen=True, slots=True)
class GlobSet:
    """Several globs ORed, grouped by shape so one text is tested in a few C calls.

    Exact patterns are a frozenset lookup; prefixes and suffixes one
    ``startswith``/``endswith`` with a tuple; ``*``-only patterns a
    :class:`Segments` scan each; patterns with ``?`` one alternation regex.
    """

    patterns: tuple[str, ...]
    match_all: bool
    exact: frozenset[str]
    prefixes: tuple[str, ...]
    suffixes: tuple[str, ...]
    contains: tuple[str, ...]
    segments: tuple[Segments, ...]
    regex: Matcher | None = field(compare=False, repr=False)
    #: The only pattern's own test when there is one pattern (or ``*`` among them).
    single: Matcher | None = field(compare=False, repr=False, default=None)

    @property
    def test(self) -> Matcher:
        """The cheapest callable deciding the whole set: the single pattern's test, else :meth:`matches`."""
        return self.matches if self.single is None else self.single

    @property
    def is_empty(self) -> bool:
        """Whether the set has no pattern at all (it matches nothing)."""
        return not self.patterns

    def matches(self, text: str) -> bool:
        """Return whether some pattern matches ``text``."""
        if self.single is not None:
            # One pattern: its test decides alone (its ``Segments`` may not be kept, see ``_single``).
            return bool(self.single(text))
        if self.match_all or text in self.exact:
            return True
        if self.prefixes and text.startswith(self.prefixes):
            return True
        if self.suffixes and text.endswith(self.suffixes):
            return True
        for part in self.contains:
            if part in text:
                return True
        for segments in self.segments:
            if segments(text):
                return True
        return self.regex is not None and self.regex(text) is not None


def _test_for(kind: GlobKind, literal: str, pattern: str) -> Matcher:
    if kind is _EXACT:
        return literal.__eq__
    if kind is _ANY:
        return _always
    if kind is _PREFIX:
        return methodcaller("startswith", literal)
    if kind is _SUFFIX:
        return methodcaller("endswith", literal)
    if kind is _CONTAINS:
        return methodcaller("__contains__", literal)
    if kind is _SEGMENTS:
        return _segments(pattern)
    return compile_regex_source(glob_regex_source(pattern))


_NONE: tuple[str, ...] = ()
#: Shared by every set without exact patterns (CPython makes a new empty frozenset per call).
_NO_NAMES: frozenset[str] = frozenset()


def _single(pattern: str, written: tuple[str, ...] | None = None) -> GlobSet:
    """The set of one ``pattern``; ``written`` is a tuple of just it to keep (else one is built)."""
    kind, literal = _shape(pattern)
    segments: tuple[Segments, ...] = ()
    if kind is _SEGMENTS:
        # A plain-function test stands alone: no ``Segments`` is kept beside it, two objects fewer per
        # pattern for the garbage collector to track (``matches`` asks ``single`` first).
        test = _segments_test(_segments(pattern))
        if isinstance(test, Segments):
            segments = (test,)
    else:
        test = _test_for(kind, literal, pattern)
    # Equal to ``GlobSet(...)`` with these fields, built without the frozen ``__init__`` (one per pattern).
    globs: GlobSet = _new_object(GlobSet)
    _set_patterns(globs, (pattern,) if written is None else written)
    _set_match_all(globs, kind is _ANY)
    _set_exact(globs, frozenset((literal,)) if kind is _EXACT else _NO_NAMES)
    _set_prefixes(globs, (literal,) if kind is _PREFIX else _NONE)
    _set_suffixes(globs, (literal,) if kind is _SUFFIX else _NONE)
    _set_contains(globs, (literal,) if kind is _CONTAINS else _NONE)
    _set_segments(globs, segments)
    _set_regex(globs, test if kind is _REGEX else None)
    _set_single(globs, test)
    return globs


_GLOB_SET_SLOTS = GlobSet.__dict__
_set_patterns = _GLOB_SET_SLOTS["patterns"].__set__
_set_match_all = _GLOB_SET_SLOTS["match_all"].__set__
_set_exact = _GLOB_SET_SLOTS["exact"].__set__
_set_prefixes = _GLOB_SET_SLOTS["prefixes"].__set__
_set_suffixes = _GLOB_SET_SLOTS["suffixes"].__set__
_set_contains = _GLOB_SET_SLOTS["contains"].__set__
_set_segments = _GLOB_SET_SLOTS["segments"].__set__
_set_regex = _GLOB_SET_SLOTS["regex"].__set__
_set_single = _GLOB_SET_SLOTS["single"].__set__


def compile_glob_set(patterns: Iterable[str], *, ignore_case: bool = False) -> GlobSet:
    """Compile patterns into one :class:`GlobSet` (see :func:`compile_glob` for ``ignore_case``)."""
    if type(patterns) is tuple and len(patterns) == 1:
        # The common case (one pattern) skips the deduplication, and keeps the caller's tuple when it
        # already holds the pattern as matched (one object fewer per statement).
        only = patterns[0]
        if not ignore_case:
            return _single(only, patterns)
        lowered = only.lower()
        return _single(lowered, patterns if lowered == only else None)
    written = tuple(dict.fromkeys([p.lower() for p in patterns] if ignore_case else patterns))
    if len(written) == 1:
        return _single(written[0])
    exact: set[str] = set()
    prefixes: list[str] = []
    suffixes: list[str] = []
    contains: list[str] = []
    segments: list[Segments] = []
    general: list[str] = []
    match_all = False
    for pattern in written:
        kind, literal = _shape(pattern)
        if kind is _EXACT:
            exact.add(literal)
        elif kind is _ANY:
            match_all = True
        elif kind is _PREFIX:
            prefixes.append(literal)
        elif kind is _SUFFIX:
            suffixes.append(literal)
        elif kind is _CONTAINS:
            contains.append(literal)
        elif kind is _SEGMENTS:
            segments.append(_segments(pattern))
        else:
            general.append(glob_regex_source(pattern))
    regex = compile_regex_source("|".join([f"(?:{source})" for source in general])) if general else None
    return GlobSet(
        written,
        match_all,
        frozenset(exact),
        tuple(prefixes),
        tuple(suffixes),
        tuple(contains),
        tuple(segments),
        regex,
        _always if match_all else None,
    )
