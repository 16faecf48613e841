"""The resource-type word rule's compile-time part (spec §B.2; UG: reference_identifiers.html).

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
        ("arn:aws:ec2:*:*:*/12345", ""),
        ("arn:aws:s3:::*/*", ""),  # S3 has words (accesspoint, job): a guard, though objects still match
        # A "*" ending the region or account field may run past colons over the request's type word.
        ("arn:aws:logs:*:*:mystream", "mystream"),
        ("arn:aws:lambda:us-east-1:*:prod", "prod"),
        ("arn:aws:iam::*:role/*", "role/"),
        ("arn:aws:*:*:*:", ""),
        # A policy variable at the start of the resource part counts as a wildcard.
        ("arn:aws:iam::111122223333:${aws:RequestTag/k}/alice", ""),
        ("arn:aws:iam::111122223333:us${aws:RequestTag/x}er/alice", "us"),
    ],
)
def test_patterns_that_can_meet_the_rule_are_guarded_with_their_literal_start(pattern: str, start: str) -> None:
    assert type_guard_start(pattern) == start


def test_the_guard_reads_the_request_type() -> None:
    stream = "arn:aws:logs:us-east-1:111122223333:log-group:app:log-stream:mystream"
    assert request_type(stream) == ("logs", "log-group")
    assert not spells_type_word("mystream", stream)
    assert spells_type_word("log-group:", stream)
    assert spells_type_word("anything", "arn:aws:s3:::job/key")  # an S3 object, not a batch job


def test_words_belong_to_the_arn_service_not_the_listing_service() -> None:
    """Service Catalog lists portfolios under the ARN service ``catalog``; STS lists IAM's role format."""
    assert request_type("arn:aws:catalog:us-east-1:111122223333:portfolio/port-abc") == ("catalog", "portfolio")
    assert request_type("arn:aws:sts::111122223333:role/app") is None


def test_a_statement_s_guarded_patterns_are_tested_together_word_by_word() -> None:
    """Each typed resource needs a pattern spelling its own word; the account ``*`` of another does not do."""
    patterns = ("arn:aws:ec2:*:*:instance/*", "arn:aws:ec2:*:*:volume/*", "arn:aws:ec2:*:*:*/i-1")
    guard = type_guard([(pattern, start) for pattern in patterns if (start := type_guard_start(pattern)) is not None])
    assert guard("arn:aws:ec2:us-east-1:111122223333:instance/i-9")
    assert guard("arn:aws:ec2:us-east-1:111122223333:volume/vol-1")
    assert not guard("arn:aws:ec2:us-east-1:111122223333:subnet/subnet-1")
    # A subnet matched only by the volume pattern, its account "*" running over "subnet/s-1": refused.
    assert not guard("arn:aws:ec2:us-east-1:111122223333:subnet/s-1:volume/vol-1")
    # A subnet matched only by "*/i-1", whose "*" stands for the word: refused.
    assert not guard("arn:aws:ec2:us-east-1:111122223333:subnet/i-1")
    assert guard("arn:aws:ec2:us-east-1:111122223333:not-a-type/i-1")  # untyped: the plain match stands
