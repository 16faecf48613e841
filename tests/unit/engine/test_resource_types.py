"""The resource-type word rule's compile-time part (spec §B.2; UG: reference_identifiers.html).

The rule covers IAM's own ARNs (``RULED_SERVICES``): AWS's managed policies write
``arn:aws:ec2:*:*:*/*`` for other services' typed resources.

Which patterns the compiled path guards is decided once per pattern; a pattern
that cannot meet a typed resource whose word its literal start fails to spell
must stay unguarded, so its cost does not change.
"""

from __future__ import annotations

import pytest

from iamsim._engine.resource_types import request_type, spells_type_word, type_guard, type_guard_start


@pytest.mark.parametrize(
    "pattern",
    [
        "*",
        "arn:aws:ec2:*:*:*",
        "arn:aws:iam::*:*",
        "arn:aws:ec2:*:*:*/12345",  # outside the rule: EC2 is not IAM
        "arn:aws:ec2:*:*:*/*",  # as AWS's own managed policies write it
        "arn:aws:s3:::*/*",
        "arn:aws:logs:*:*:mystream",
        "arn:aws:lambda:us-east-1:*:prod",
        "arn:aws:iam::111122223333:user/alice",  # no wildcard or variable: the request's part is the pattern's
        "arn:aws:iam::111122223333:user/*",  # the word is spelled and lines up with the request's
        "arn:aws:execute-api:*:*:*/*/GET/*",  # execute-api has no type words
        "arn:aws:sqs:*:*:queue1",
        "arn:aws:s3:::bucket-a/*",
        "arn:aws:sqs",  # no resource part
    ],
)
def test_patterns_that_cannot_meet_the_rule_are_not_guarded(pattern: str) -> None:
    assert type_guard_start(pattern) is None


@pytest.mark.parametrize(
    ("pattern", "start"),
    [
        ("arn:aws:iam::111122223333:u*", "u"),
        ("arn:aws:iam::111122223333:*/alice", ""),
        # A "*" ending the region or account field may run past colons over the request's type word.
        ("arn:aws:iam::*:role/*", "role/"),
        ("arn:aws:iam::*:alice", "alice"),
        ("arn:aws:*:*:*:", ""),
        # A policy variable at the start of the resource part counts as a wildcard.
        ("arn:aws:iam::111122223333:${aws:RequestTag/k}/alice", ""),
        ("arn:aws:iam::111122223333:us${aws:RequestTag/x}er/alice", "us"),
    ],
)
def test_patterns_that_can_meet_the_rule_are_guarded_with_their_literal_start(pattern: str, start: str) -> None:
    assert type_guard_start(pattern) == start


def test_the_guard_reads_the_request_type() -> None:
    user = "arn:aws:iam::111122223333:user/alice"
    assert request_type(user) == ("iam", "user")
    assert not spells_type_word("u", user)
    assert spells_type_word("user/", user)
    assert spells_type_word("", "arn:aws:iam::111122223333:root")  # a bare name has no word
    # Other services' ARNs are outside the rule: nothing to guard.
    assert request_type("arn:aws:logs:us-east-1:111122223333:log-group:app:log-stream:s") is None
    assert request_type("arn:aws:ec2:us-east-1:111122223333:instance/i-1") is None


def test_words_belong_to_the_arn_service_not_the_listing_service() -> None:
    """STS lists IAM's role format; the word belongs to the ARN's own service field, ``iam``."""
    assert request_type("arn:aws:iam::111122223333:role/app") == ("iam", "role")
    assert request_type("arn:aws:sts::111122223333:role/app") is None


def test_a_statement_s_guarded_patterns_are_tested_together_word_by_word() -> None:
    """Each typed resource needs a pattern spelling its own word; the account ``*`` of another does not do."""
    patterns = ("arn:aws:iam::*:user/*", "arn:aws:iam::*:role/*", "arn:aws:iam::111122223333:*/app")
    guard = type_guard([(pattern, start) for pattern in patterns if (start := type_guard_start(pattern)) is not None])
    assert guard("arn:aws:iam::111122223333:user/alice")
    assert guard("arn:aws:iam::111122223333:role/app")
    assert not guard("arn:aws:iam::111122223333:group/devs")
    # A group matched only by the role pattern, its account "*" running over "group/g:": refused.
    assert not guard("arn:aws:iam::111122223333:group/g:role/x")
    # A group matched only by "*/app", whose "*" stands for the word: refused.
    assert not guard("arn:aws:iam::111122223333:group/app")
