"""Rendering a parsed policy and parsing it again gives the same policy (render.py contract).

Equality of :class:`~iamsim._policy.model.Policy` ignores source spans and the
display name, so this checks every element the evaluators read (§A.1–§A.5).
"""

from __future__ import annotations

import json

import pytest
from hypothesis import given, note
from hypothesis import strategies as st

from iamsim._policy.model import PolicyKind
from iamsim._policy.parse import parse_policy
from iamsim._policy.render import render_policy

from .documents import Doc
from .strategies import policy_documents

_KINDS = sorted(PolicyKind)


@pytest.mark.parametrize("kind", _KINDS)
@given(data=st.data())
def test_parse_of_render_is_the_policy_a1_a5(kind: PolicyKind, data: st.DataObject) -> None:
    """§A.1–§A.5: every valid document of every kind survives render then parse unchanged,
    whatever optional forms it used (bare values, single statement object, JSON numbers and
    booleans in conditions, ``{"AWS": "*"}``)."""
    doc: Doc = data.draw(policy_documents(kind))
    policy = parse_policy(doc, kind)
    rendered = render_policy(policy)
    note(rendered)
    assert parse_policy(rendered, kind) == policy


@pytest.mark.parametrize("kind", _KINDS)
@given(data=st.data())
def test_render_is_idempotent(kind: PolicyKind, data: st.DataObject) -> None:
    """render.py contract: the rendering is canonical, so rendering the parse of a rendering
    gives the same text (and parsing text equals parsing the mapping, §A.1)."""
    doc: Doc = data.draw(policy_documents(kind))
    policy = parse_policy(doc, kind)
    rendered = render_policy(policy)
    note(rendered)
    assert render_policy(parse_policy(rendered, kind)) == rendered
    assert render_policy(parse_policy(rendered, kind), indent=2) == render_policy(policy, indent=2)
    assert parse_policy(json.dumps(doc), kind) == policy
