"""PostgreSQL stops while the API takes writes.

DynamoDB is the system of record: task writes still succeed. The projection follows from
the stream and fails while the database is away. Two outcomes, both tested:

- a short outage (within the stream's retry budget): the failed batch is delivered again
  once PostgreSQL is back and the projection catches up by itself, zero drift;
- a long one (past the retry budget: Lambda's MaximumRetryAttempts, 5 in the CDK app, 3 in
  the local poller): the records are given up (in AWS: to the events DLQ) and the drift stays
  until ``tasklane reconcile --fix`` (docs/operations.md), after which there is none.
"""

from __future__ import annotations

import httpx

from tasklane.local.runtime import LocalStack

from .conftest import drain, new_project, new_task, reconcile_now, wait_caught_up


def _writes_while_down(client: httpx.Client, project_id: str) -> dict[str, int]:
    """Creates, updates and a delete, all acknowledged: the API needs no PostgreSQL."""
    outcomes: dict[str, int] = {}
    created = [new_task(client, project_id, f"during outage {i}") for i in range(4)]
    for task_id, etag in created[:3]:
        response = client.patch(
            f"/tasks/{task_id}", json={"status": "done"}, headers={"If-Match": etag}
        )
        outcomes[f"update {task_id}"] = response.status_code
    task_id, _ = created[3]
    outcomes[f"delete {task_id}"] = client.delete(f"/tasks/{task_id}").status_code
    return outcomes


def test_a_short_outage_is_retried_and_caught_up(stack: LocalStack, client: httpx.Client) -> None:
    poller = stack.stream_poller
    project_id = new_project(client, "short outage")
    assert wait_caught_up(stack).total == 0
    # Drive the poller by hand: one delivery attempt while the database is away.
    poller.stop()
    stack.postgres.stop()
    try:
        outcomes = _writes_while_down(client, project_id)
        assert set(outcomes.values()) == {204}, outcomes
        failed_before = poller.stats.failed_records
        poller.poll()
        assert poller.stats.failed_records > failed_before, "the events handler did not fail"
        assert poller.stats.skipped_records == 0
    finally:
        stack.postgres.start()
    # The same batch again (the shard restarts at the failed record): now it lands.
    drain(poller)
    assert poller.stats.skipped_records == 0
    report = reconcile_now(stack)
    assert report.total == 0, report.text()
    assert report.tasks.postgres == report.tasks.dynamodb


def test_a_long_outage_leaves_drift_that_reconcile_repairs(
    stack: LocalStack, client: httpx.Client
) -> None:
    poller = stack.stream_poller
    project_id = new_project(client, "long outage")
    stack.postgres.stop()
    try:
        outcomes = _writes_while_down(client, project_id)
        assert set(outcomes.values()) == {204}, outcomes
        # Past the retry budget: every record of the outage is given up, none blocks the shard.
        skipped_before = poller.stats.skipped_records
        for _ in range(50):
            poller.poll()
        assert poller.stats.skipped_records > skipped_before
    finally:
        stack.postgres.start()
    drifted = reconcile_now(stack)
    assert drifted.tasks.missing or drifted.tasks.stale, drifted.text()
    repaired = reconcile_now(stack, fix=True)
    assert repaired.fixed
    assert reconcile_now(stack).total == 0
    # And the projection works again for new writes, without help.
    new_task(client, project_id, "after the outage")
    drain(poller)
    assert reconcile_now(stack).total == 0
