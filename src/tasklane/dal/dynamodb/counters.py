"""Quota counters: items that count what a limit bounds, raised and lowered in the same
transaction as the write they count (``tasklane.domain.ports.limits``).

=========================  ===================  =====================================
item                       key (pk / sk)        attributes
=========================  ===================  =====================================
a user's counts            USER#<id> / COUNTERS ``projects``, ``pending_invitations``
a user's day               USER#<id> / DAY#<d>  ``invitations``, ``attachments``; TTL
a project's counts         PROJECT#<id> /       ``members`` (besides the owner), ``tasks``
                           COUNTERS             (live ones: the trash does not count)
a task's comments          the task item        ``comment_count``
a released invitation      USER#<id> /          (counts a removal once); TTL
                           RELEASED#<inv id>
=========================  ===================  =====================================

Counters have no ``type``: the stream consumers pass them by. A counter that never existed
counts from zero (``if_not_exists``), so data written before the counters starts afresh.
"""

from __future__ import annotations

from typing import Any

from tasklane.dal.dynamodb import items as it
from tasklane.domain.errors import LimitReached, TooManyRequests
from tasklane.domain.ports.limits import DailyQuota, Quota


def user_counters_key(user_id: str) -> it.Key:
    return {"pk": {"S": it.user_pk(user_id)}, "sk": {"S": "COUNTERS"}}


def user_day_key(user_id: str, day: str) -> it.Key:
    return {"pk": {"S": it.user_pk(user_id)}, "sk": {"S": f"DAY#{day}"}}


def project_counters_key(project_id: str) -> it.Key:
    return {"pk": {"S": it.project_pk(project_id)}, "sk": {"S": "COUNTERS"}}


def raise_by_one(
    table: str, key: it.Key, attribute: str, maximum: int, expires_at: int | None = None
) -> dict[str, Any]:
    """The Update that counts one more, refused once the counter is at ``maximum``."""
    update = "SET #n = if_not_exists(#n, :zero) + :one"
    values: dict[str, Any] = {
        ":zero": {"N": "0"},
        ":one": {"N": "1"},
        ":max": {"N": str(maximum)},
    }
    names = {"#n": attribute}
    if expires_at is not None:
        update += ", #ttl = :ttl"
        names["#ttl"] = "expires_at"
        values[":ttl"] = {"N": str(expires_at)}
    return {
        "Update": {
            "TableName": table,
            "Key": key,
            "UpdateExpression": update,
            "ConditionExpression": "attribute_not_exists(#n) OR #n < :max",
            "ExpressionAttributeNames": names,
            "ExpressionAttributeValues": values,
        }
    }


def raise_unbounded(table: str, key: it.Key, attribute: str) -> dict[str, Any]:
    """The Update that counts one more with no limit: for what the system itself creates
    (a recurring task's next occurrence), which no quota may refuse."""
    return _step(table, key, attribute, "if_not_exists(#n, :zero) + :one", zero=True)


def lower_by_one(table: str, key: it.Key, attribute: str) -> dict[str, Any]:
    """The Update that counts one less. Unconditional: removing something counted before
    the counters existed must not fail (the counter may then go below zero, and allows that
    many more)."""
    return _step(table, key, attribute, "if_not_exists(#n, :one) - :one", zero=False)


def _step(table: str, key: it.Key, attribute: str, value: str, *, zero: bool) -> dict[str, Any]:
    values = {":one": {"N": "1"}} | ({":zero": {"N": "0"}} if zero else {})
    return {
        "Update": {
            "TableName": table,
            "Key": key,
            "UpdateExpression": f"SET #n = {value}",
            "ExpressionAttributeNames": {"#n": attribute},
            "ExpressionAttributeValues": values,
        }
    }


def raise_today(table: str, user_id: str, attribute: str, quota: DailyQuota) -> dict[str, Any]:
    """The Update that counts one more today on the user's day item (which expires)."""
    key = user_day_key(user_id, quota.day)
    return raise_by_one(table, key, attribute, quota.maximum, quota.expires_at)


#: The project counter's attribute of live tasks.
TASKS = "tasks"
#: The task item's attribute of its comments.
COMMENT_COUNT = "comment_count"


def count_task(table: str, project_id: str, quota: Quota | None) -> dict[str, Any]:
    """The Update that counts one more task in the project: under ``quota`` when given,
    unbounded otherwise (what the system creates itself, as a next occurrence)."""
    key = project_counters_key(project_id)
    if quota is None:
        return raise_unbounded(table, key, TASKS)
    return raise_by_one(table, key, TASKS, quota.maximum)


def uncount_task(table: str, project_id: str) -> dict[str, Any]:
    return lower_by_one(table, project_counters_key(project_id), TASKS)


def limit_reached(quota: Quota, what: str) -> LimitReached:
    return LimitReached(
        quota.name, quota.maximum, f"the limit of {quota.maximum} {what} is reached"
    )


def rate_limited(quota: DailyQuota, what: str) -> TooManyRequests:
    return TooManyRequests(
        quota.name,
        quota.maximum,
        quota.retry_after,
        f"at most {quota.maximum} {what} a day; try again after midnight UTC",
    )
