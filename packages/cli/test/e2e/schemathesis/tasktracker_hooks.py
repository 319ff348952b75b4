"""Schemathesis hooks for the tasktracker API: rules the OpenAPI document writes out but no parameter
schema can say, applied to the cases Schemathesis generates as valid, so that "valid" means what the
API means. Every rule here is in the operation's description; the server still enforces each one (a
broken rule is a 400 VALIDATION_ERROR, which the negative cases keep exercising).

Loaded through SCHEMATHESIS_HOOKS=tasktracker_hooks with this folder on PYTHONPATH.
"""

import hashlib
import re
from collections.abc import MutableMapping
from datetime import datetime, timezone

import schemathesis

IDEMPOTENCY_KEY = re.compile(r"^[A-Za-z0-9_.:-]{1,128}$")


def _is_positive(case) -> bool:
    meta = getattr(case, "meta", None)
    return meta is None or meta.generation.mode.is_positive


def _utc(value: str) -> str | None:
    """A due bound as the API stores it: a date as given, an instant as UTC with milliseconds."""
    if len(value) == 10:
        return value
    try:
        instant = datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(timezone.utc)
    except (ValueError, OverflowError):
        return None
    return f"{instant.year:04d}-{instant.strftime('%m-%dT%H:%M:%S')}.{instant.microsecond // 1000:03d}Z"


def _instant(value: str) -> datetime | None:
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except (ValueError, OverflowError):
        return None


def _ranges_in_order(query: MutableMapping) -> None:
    """createdAfter <= createdBefore, and dueAfter <= dueBefore (through its day): else one bound goes."""
    after, before = query.get("createdAfter"), query.get("createdBefore")
    if after and before:
        a, b = _instant(str(after)), _instant(str(before))
        if a is None or b is None or a.replace(microsecond=a.microsecond // 1000 * 1000) > b:
            del query["createdAfter"]
    after, before = query.get("dueAfter"), query.get("dueBefore")
    if after and before:
        a, b = _utc(str(after)), _utc(str(before))
        if a is None or b is None or a > f"{b}~":
            del query["dueAfter"]


@schemathesis.hook
def map_case(context, case):
    if not _is_positive(case):
        return case
    # Schemathesis may hold these in its own mapping types (headers are case-insensitive).
    query = case.query if isinstance(case.query, MutableMapping) else None
    headers = case.headers if isinstance(case.headers, MutableMapping) else None
    body = case.body if isinstance(case.body, MutableMapping) else None
    if query is not None:
        # A cursor is minted by GET /tasks for its filters; a made-up one is INVALID_CURSOR.
        query.pop("cursor", None)
        _ranges_in_order(query)
        # DELETE /categories/{id}: reassignTo and uncategorize=true exclude each other.
        if query.get("reassignTo") and str(query.get("uncategorize")) == "true":
            del query["uncategorize"]
    if headers is not None:
        expected = (query or {}).get("expectedVersion") or (body or {}).get("expectedVersion")
        # If-Match and expectedVersion name one version: given both, they must agree.
        # Otherwise a generated If-Match names a version the item is not at: a failed precondition (412)
        # is the right answer to that, not a refused valid request, so valid cases ask for any version.
        for name in [name for name in headers if name.lower() == "if-match"]:
            if expected is not None:
                del headers[name]
            else:
                headers[name] = "*"
        # An Idempotency-Key names one request: the same key with another body is 422 by design.
        for name in [name for name in headers if name.lower() == "idempotency-key"]:
            key = str(headers[name])
            if IDEMPOTENCY_KEY.match(key):
                digest = hashlib.sha256(repr((case.path, case.query, case.body)).encode()).hexdigest()[:16]
                headers[name] = f"{key[:100]}-{digest}"
    return case
