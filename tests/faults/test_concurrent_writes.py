"""20 writers PATCH one task at once, with and without If-Match.

Every acknowledged write must be reflected (its version is in the final count, its ETag is
unique) or refused with 412; none may be lost silently. The final version is 1 + the number
of acknowledged writes. The local gateway runs one invocation at a time (one Lambda
container); the race here is the real one between each client's read and its write, and
DynamoDB's conditional writes decide it, as they do across Lambda containers.
"""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor

import httpx

from tasklane.local.runtime import LocalStack
from tests.e2e.support import new_client

from .conftest import new_project, new_task

WRITERS = 20


def _race(stack: LocalStack, token: str, task_id: str, *, if_match: bool) -> list[httpx.Response]:
    start = threading.Barrier(WRITERS)

    def writer(i: int) -> httpx.Response:
        with new_client(stack.api_url, token) as http:
            etag = http.get(f"/tasks/{task_id}").headers["ETag"]
            start.wait()  # everyone has read the same version before anyone writes
            headers = {"If-Match": etag} if if_match else {}
            return http.patch(f"/tasks/{task_id}", json={"title": f"writer {i}"}, headers=headers)

    with ThreadPoolExecutor(WRITERS) as pool:
        return list(pool.map(writer, range(WRITERS)))


def _token(client: httpx.Client) -> str:
    return str(client.headers["Authorization"])


def test_with_if_match_one_wins_the_rest_get_412(stack: LocalStack, client: httpx.Client) -> None:
    task_id, _ = new_task(client, new_project(client, "race if-match"), "contended")
    responses = _race(stack, _token(client), task_id, if_match=True)
    statuses = Counter(r.status_code for r in responses)
    assert set(statuses) <= {204, 412}, statuses
    won = [r for r in responses if r.status_code == 204]
    # All read version 1 before anyone wrote: exactly one conditional write can succeed.
    assert len(won) == 1, statuses
    final = client.get(f"/tasks/{task_id}")
    assert final.json()["version"] == 1 + len(won)
    assert final.headers["ETag"] == won[0].headers["ETag"]
    winner = responses.index(won[0])
    assert final.json()["title"] == f"writer {winner}"


def test_without_if_match_every_write_lands_once(stack: LocalStack, client: httpx.Client) -> None:
    """Blind writes: each is one conditional-free increment of the version in DynamoDB (the
    API answers 204 without an ETag: it did not read the version it wrote). None is lost:
    the version counts every acknowledged one, and the title is the last writer's."""
    task_id, _ = new_task(client, new_project(client, "race blind"), "contended")
    responses = _race(stack, _token(client), task_id, if_match=False)
    statuses = Counter(r.status_code for r in responses)
    assert set(statuses) <= {204, 412}, statuses
    won = sum(1 for r in responses if r.status_code == 204)
    assert won >= 1, statuses
    final = client.get(f"/tasks/{task_id}").json()
    assert final["version"] == 1 + won, (final["version"], statuses)
    assert final["title"] in {f"writer {i}" for i in range(WRITERS)}
