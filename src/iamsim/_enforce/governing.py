"""What a request on a resource is decided with besides the caller's own policies (§F.7).

:func:`governing_inputs` reads, from ``sim.resources``, the resource-based policy that
governs a resource (an S3 object's bucket policy, a queue's policy, a DynamoDB table's
resource policy...), the account that owns it, and its tags as condition keys. The
authorizer (:mod:`.decide`) decides every call with it and :mod:`iamsim.testing`'s
assertions answer with it, so an assertion and the hook's decision on the same request
can never read different things.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping
from types import MappingProxyType

from iamsim._enforce.services import TABLES
from iamsim._policy.catalog import ServiceCatalog
from iamsim._simulator import Simulator

__all__ = ["NOTHING", "Governing", "governing_inputs", "service_tag_prefix"]

_RESOURCE_TAG = "aws:ResourceTag/"
_NO_TAGS: Mapping[str, str] = MappingProxyType({})
#: A plain dict: looked up for every request the authorizer evaluates, faster than the proxy.
_TABLES = dict(TABLES)


#: The resource-side inputs of one request: the governing resource-based policy's JSON text (or
#: ``None``), the owning account (as recorded, else the ARN's account field, or ``None``) and the
#: resource's tags under the keys the action sees them by (``aws:ResourceTag/team``...). A plain
#: tuple: the authorizer builds one for every request it evaluates.
Governing = tuple[str | None, str | None, Mapping[str, str]]

#: What governs ``*`` or a string that is not an ARN.
NOTHING: Governing = (None, None, _NO_TAGS)


def governing_inputs(sim: Simulator, action: str, resource: str) -> Governing:
    """The resource policy, owner and tag context iamsim decides ``action`` on ``resource`` with.

    The table of the resource's own service (the ARN's service field) says which resource's
    policy governs it (S3: the object's bucket) and under which prefix its tags appear (S3
    objects: ``s3:ExistingObjectTag/``); a service no table maps governs itself, with
    ``aws:ResourceTag/``. Where the service reference lists a service's own resource-tag key
    for ``action`` (``ec2:ResourceTag/``), the tags appear under it too.
    """
    fields = resource.split(":", 5)
    if len(fields) < 6 or fields[0] != "arn":
        # ``*`` or not an ARN: sim.resources only holds records under ARNs, so nothing governs it.
        return NOTHING
    table = _TABLES.get(fields[2])
    policy_arn = resource if table is None else table.policy_arn(resource)
    tags, policy, owner = sim.resources.governing(resource, policy_arn)
    if not tags:
        return policy, owner, _NO_TAGS
    prefix = _RESOURCE_TAG if table is None else table.tag_prefix(resource)
    context = {prefix + k: v for k, v in tags.items()}
    own = service_tag_prefix(action) if prefix == _RESOURCE_TAG else None
    if own is not None:
        context.update({own + k: v for k, v in tags.items()})
    return policy, owner, context


@functools.lru_cache(maxsize=512)
def service_tag_prefix(action: str) -> str | None:
    """``SERVICE:ResourceTag/`` when the bundled service reference lists that key for ``action``, else ``None``.

    EC2 and Secrets Manager document their own resource-tag keys beside ``aws:ResourceTag/*``
    (``ec2:ResourceTag/${TagKey}``, ``secretsmanager:ResourceTag/tag-key``), filled from the
    same tags; an action the reference lists without one gets none, as at AWS.
    """
    found = ServiceCatalog.load().action(action)
    if found is None:
        return None
    prefix = action.split(":", 1)[0] + ":resourcetag/"
    keys = [*found.condition_keys, *(k for r in found.resource_types for k in r.condition_keys)]
    named = next((k for k in keys if k.lower().startswith(prefix)), None)
    return None if named is None else named[: len(prefix)]
