"""Wildcard matching in time linear in the text, without regular-expression backtracking.

The compiled evaluator describes patterns as a small, closed subset of
regular-expression syntax (built by :mod:`iamsim._engine.wildcards` and the
condition compiler): escaped literal characters, ``.`` (one character),
``.*`` (any run), ``[^:]`` (one character other than a colon), ``[^:]*`` (a run
without colons), and ``(?:...)|(?:...)`` alternation of whole patterns.
Python's :mod:`re` backtracks on such patterns (``.*a.*b.*c`` is exponential in
the number of runs on a text that almost matches: issue 11), so they are read
here and matched by one of three algorithms, cheapest first:

* literal head and tail are compared with ``startswith``/``endswith``;
* a middle whose runs and characters are unconfined, or confined but with the
  text's middle holding no colon (then confinement cannot bite), goes to a
  greedy leftmost search of its fixed-length blocks between runs. Taking each
  block's leftmost occurrence is safe because an unconfined run can absorb
  whatever a later placement would have skipped;
* anything else (confined wildcards beside literal colons or ``.``) runs a
  bit-parallel simulation of the pattern's automaton, one step per character.

Every path costs at most O(len(text) x len(pattern)) character comparisons.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum

__all__ = ["Wild", "compile_source", "parse_source"]


class Wild(Enum):
    """The wildcard elements of a pattern source."""

    #: ``.``: one character.
    CHAR = "."
    #: ``[^:]``: one character other than ``:``.
    SEGMENT_CHAR = "[^:]"
    #: ``.*``: any run of characters.
    RUN = ".*"
    #: ``[^:]*``: any run of characters without ``:``.
    SEGMENT_RUN = "[^:]*"


#: A parsed pattern: literal runs (non-empty strings) and wildcards, in order.
Tokens = tuple[str | Wild, ...]

_RUNS = frozenset({Wild.RUN, Wild.SEGMENT_RUN})
_CONFINED = frozenset({Wild.SEGMENT_CHAR, Wild.SEGMENT_RUN})
_SEGMENT_CLASS = "[^:]"


def _alternatives(source: str) -> Iterator[str]:
    """Split ``source`` at top-level ``|``; each part may be one ``(?:...)`` group (as glob sets join them)."""
    depth = 0
    start = 0
    index = 0
    while index < len(source):
        char = source[index]
        if char == "\\":
            index += 2
            continue
        if source.startswith("(?:", index):
            depth += 1
            index += 3
            continue
        if char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            yield source[start:index]
            start = index + 1
        index += 1
    yield source[start:]


def _tokens(source: str) -> Tokens:
    """Read one alternative into tokens; a ``(?:...)`` wrapping the whole of it is dropped."""
    if source.startswith("(?:") and source.endswith(")"):
        source = source[3:-1]
    out: list[str | Wild] = []
    literal: list[str] = []

    def wildcard(element: Wild) -> None:
        if literal:
            out.append("".join(literal))
            literal.clear()
        previous = out[-1] if out else None
        # Adjacent runs are one run (the wider one): the automaton then needs one closure step.
        if element in _RUNS and previous in _RUNS:
            out[-1] = Wild.RUN if Wild.RUN in (element, previous) else Wild.SEGMENT_RUN
        else:
            out.append(element)

    index = 0
    while index < len(source):
        char = source[index]
        if char == "\\" and index + 1 < len(source):
            literal.append(source[index + 1])
            index += 2
        elif char == ".":
            starred = source.startswith("*", index + 1)
            wildcard(Wild.RUN if starred else Wild.CHAR)
            index += 2 if starred else 1
        elif source.startswith(_SEGMENT_CLASS, index):
            index += len(_SEGMENT_CLASS)
            starred = source.startswith("*", index)
            wildcard(Wild.SEGMENT_RUN if starred else Wild.SEGMENT_CHAR)
            index += 1 if starred else 0
        elif char in "()[]{}?*+|^$\\":
            raise ValueError(f"unsupported syntax {char!r} at {index} in wildcard pattern source {source!r}")
        else:
            literal.append(char)
            index += 1
    if literal:
        out.append("".join(literal))
    return tuple(out)


def parse_source(source: str) -> tuple[Tokens, ...]:
    """Parse pattern ``source`` into its alternatives' tokens (``ValueError`` on syntax outside the subset)."""
    return tuple(_tokens(part) for part in _alternatives(source))


@dataclass(frozen=True, slots=True)
class _Block:
    """A fixed-length run of literals and one-character wildcards: literal ``chunks`` at their offsets."""

    length: int
    chunks: tuple[tuple[int, str], ...]

    def fits(self, text: str, at: int) -> bool:
        """Whether the block matches ``text`` at ``at`` (the caller checked the length fits)."""
        for offset, chunk in self.chunks:  # noqa: SIM110 - a plain loop spares a generator per call
            if not text.startswith(chunk, at + offset):
                return False
        return True

    def leftmost(self, text: str, start: int, stop: int) -> int:
        """The first position ``p >= start`` where the block fits with ``p + length <= stop``, else -1.

        The first chunk is searched with ``find``; each candidate is then
        checked, so the scan never goes back before the last candidate.
        """
        last = stop - self.length
        if last < start:
            return -1
        if not self.chunks:
            return start
        offset, chunk = self.chunks[0]
        position = start
        while position <= last:
            found = text.find(chunk, position + offset, last + offset + len(chunk))
            if found < 0:
                return -1
            candidate = found - offset
            if self.fits(text, candidate):
                return candidate
            position = candidate + 1
        return -1


def _block(tokens: Tokens) -> _Block:
    length = 0
    chunks: list[tuple[int, str]] = []
    for token in tokens:
        if isinstance(token, str):
            chunks.append((length, token))
            length += len(token)
        else:
            length += 1
    # The longest chunk first: the rarest to find, so ``find`` skips the most text.
    chunks.sort(key=lambda chunk: -len(chunk[1]))
    return _Block(length, tuple(chunks))


@dataclass(frozen=True, slots=True)
class _Greedy:
    """``first RUN block RUN ... RUN last``, matched by leftmost placement of each middle block.

    ``first``/``last`` are anchored blocks (possibly empty); ``runs`` is the number
    of runs (0: ``first`` alone must span the text). With ``colon_free`` the
    wildcards were confined, and the matched span must hold no ``:``.
    """

    first: _Block
    middle: tuple[_Block, ...]
    last: _Block
    runs: int
    colon_free: bool

    def match(self, text: str, start: int, stop: int) -> bool:
        """Whether ``text[start:stop]`` matches (no slice is made)."""
        if self.colon_free and text.find(":", start, stop) >= 0:
            return False
        first = self.first
        if self.runs == 0:
            return stop - start == first.length and first.fits(text, start)
        last = self.last
        end = stop - last.length
        if end - start < first.length or not first.fits(text, start) or not last.fits(text, end):
            return False
        position = start + first.length
        for block in self.middle:
            found = block.leftmost(text, position, end)
            if found < 0:
                return False
            position = found + block.length
        return True


def _greedy(tokens: Tokens, colon_free: bool) -> _Greedy:
    blocks: list[list[str | Wild]] = [[]]
    for token in tokens:
        if token in _RUNS:
            blocks.append([])
        else:
            blocks[-1].append(token)
    compiled = [_block(tuple(block)) for block in blocks]
    runs = len(compiled) - 1
    if runs == 0:
        return _Greedy(compiled[0], (), compiled[0], 0, colon_free)
    return _Greedy(compiled[0], tuple(compiled[1:-1]), compiled[-1], runs, colon_free)


@dataclass(frozen=True, slots=True)
class _Automaton:
    """A bit-parallel simulation of the pattern's automaton: bit ``i`` is "the first ``i`` elements matched".

    Per character one dictionary look-up and a few integer operations; runs are
    never adjacent (parsing merged them), so one closure step per character suffices.
    """

    #: Per literal character (and ``:``): (elements it advances, runs it stays in).
    table: dict[str, tuple[int, int]]
    #: The same for any other character.
    default: tuple[int, int]
    runs: int
    accept: int

    def match(self, text: str, start: int, stop: int) -> bool:
        """Whether ``text[start:stop]`` matches (no slice is made)."""
        runs = self.runs
        state = 1 | ((1 & runs) << 1)
        table = self.table
        default = self.default
        for index in range(start, stop):
            advance, stay = table.get(text[index], default)
            state = ((state & advance) << 1) | (state & stay)
            if not state:
                return False
            state |= (state & runs) << 1
        return bool(state & self.accept)


def _automaton(tokens: Tokens) -> _Automaton:
    elements: list[str | Wild] = []
    for token in tokens:
        elements.extend(token if isinstance(token, str) else (token,))
    literal: dict[str, int] = {}
    any_char = segment_char = any_run = segment_run = 0
    for index, element in enumerate(elements):
        bit = 1 << index
        if element is Wild.CHAR:
            any_char |= bit
        elif element is Wild.SEGMENT_CHAR:
            segment_char |= bit
        elif element is Wild.RUN:
            any_run |= bit
        elif element is Wild.SEGMENT_RUN:
            segment_run |= bit
        else:
            assert isinstance(element, str)
            literal[element] = literal.get(element, 0) | bit
    table = {
        char: (bits | any_char | (0 if char == ":" else segment_char), any_run | (0 if char == ":" else segment_run))
        for char, bits in {**literal, ":": literal.get(":", 0)}.items()
    }
    default = (any_char | segment_char, any_run | segment_run)
    return _Automaton(table, default, any_run | segment_run, 1 << len(elements))


MatchFunction = Callable[[str, int, int], bool]


@dataclass(frozen=True, slots=True)
class _Alternative:
    """One alternative: a literal ``head`` and ``tail`` around a middle decided by ``middle``."""

    head: str
    tail: str
    minimum: int
    middle: MatchFunction | None

    def __call__(self, text: str) -> bool:
        start = len(self.head)
        stop = len(text) - len(self.tail)
        if stop - start < self.minimum or not text.startswith(self.head) or not text.endswith(self.tail):
            return False
        if self.middle is None:
            return stop == start
        return self.middle(text, start, stop)


def _alternative(tokens: Tokens) -> _Alternative:
    head = tokens[0] if tokens and isinstance(tokens[0], str) else ""
    body = tokens[1:] if head else tokens
    tail = body[-1] if body and isinstance(body[-1], str) else ""
    middle = body[:-1] if tail else body
    minimum = sum(len(t) if isinstance(t, str) else 0 if t in _RUNS else 1 for t in middle)
    if not middle:
        return _Alternative(head, tail, 0, None)
    confined = any(token in _CONFINED for token in middle)
    unconfined = not confined or not any(
        token in (Wild.CHAR, Wild.RUN) or (isinstance(token, str) and ":" in token) for token in middle
    )
    if unconfined:
        # Confined wildcards in a middle with no colon of its own can only match colon-free text,
        # and on colon-free text they are the unconfined ones.
        return _Alternative(head, tail, minimum, _greedy(middle, confined).match)
    return _Alternative(head, tail, minimum, _automaton(middle).match)


def compile_source(source: str) -> Callable[[str], bool | None]:
    """Compile pattern ``source`` into a full-match test returning ``True`` or ``None`` (like ``re.fullmatch``).

    ``None`` rather than ``False`` for a miss keeps callers that test ``is not None`` correct.
    """
    alternatives = tuple(_alternative(tokens) for tokens in parse_source(source))
    if len(alternatives) == 1:
        (only,) = alternatives

        def single(text: str) -> bool | None:
            return True if only(text) else None

        return single

    def any_of(text: str) -> bool | None:
        for alternative in alternatives:
            if alternative(text):
                return True
        return None

    return any_of
