"""What a client may send on its WebSocket (tasklane.logic.live.answer), on the fakes."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from tasklane.domain.ids import inbox_project_id
from tasklane.domain.models import Person, format_time
from tasklane.domain.ports.live import MAX_SUBSCRIPTIONS
from tasklane.logic.live import MAX_REQUEST_BYTES, answer
from tests.builders import project_model
from tests.fakes.live import InMemoryConnections
from tests.fakes.projects import InMemoryProjects
from tests.fakes.table import InMemoryTable

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
#: The connections' ID token expiry: valid at NOW.
EXP = int(NOW.timestamp()) + 3600
ALICE, DAVE = "user-alice", "user-dave"


def _world() -> tuple[InMemoryConnections, str]:
    table = InMemoryTable()
    project = project_model(ALICE, format_time(NOW))
    alice = Person(user_id=ALICE, email="a@example.com", display_name="Alice")
    projects = InMemoryProjects(table)
    projects.create_project(project, alice)
    projects.create_project(project_model(ALICE, format_time(NOW), inbox=True), alice)
    store = InMemoryConnections(table)
    store.open_connection("c-alice", ALICE, NOW, EXP)
    store.open_connection("c-dave", DAVE, NOW, EXP)
    return store, project.id


def _send(
    store: InMemoryConnections, connection: str, user: str, body: object, expires: int = EXP
) -> dict[str, Any]:
    text = body if isinstance(body, str) else json.dumps(body)
    return answer(store, connection, user, text, NOW, expires)


def test_a_member_subscribes_and_unsubscribes_with_an_acknowledgement() -> None:
    store, project_id = _world()

    subscribed = _send(store, "c-alice", ALICE, {"action": "subscribe", "project_id": project_id})
    assert subscribed == {"type": "subscribed", "project_id": project_id, "role": "owner"}
    assert [s.connection_id for s in store.subscribers(project_id)] == ["c-alice"]

    gone = _send(store, "c-alice", ALICE, {"action": "unsubscribe", "project_id": project_id})
    assert gone == {"type": "unsubscribed", "project_id": project_id}
    assert store.subscribers(project_id) == []


def test_the_inbox_alias_subscribes_to_the_users_inbox() -> None:
    store, _ = _world()

    got = _send(store, "c-alice", ALICE, {"action": "subscribe", "project_id": "inbox"})

    assert got["type"] == "subscribed"
    assert [s.user_id for s in store.subscribers(inbox_project_id(ALICE))] == [ALICE]


def test_a_non_member_is_refused_as_if_the_project_did_not_exist() -> None:
    store, project_id = _world()

    for target in (project_id, "01hzzzzzzzzzzzzzzzzzzzzzzz", "not-an-id"):
        got = _send(store, "c-dave", DAVE, {"action": "subscribe", "project_id": target})
        assert got["type"] == "error"
        assert got["error"] == {
            "code": "not_found",
            "message": "project not found",
            "details": None,
        }
        assert (got["action"], got["project_id"]) == ("subscribe", target)
    assert store.subscribers(project_id) == []


def test_anything_else_a_client_sends_gets_a_json_error_never_an_exception() -> None:
    store, _ = _world()
    cases: list[tuple[object, str]] = [
        ("{not json", "malformed_json"),
        ({"action": "subscribe"}, "validation_failed"),
        ({"action": "shout", "project_id": "x"}, "validation_failed"),
        ({"action": "subscribe", "project_id": 7}, "validation_failed"),
        ([1, 2], "validation_failed"),
        ("x" * (MAX_REQUEST_BYTES + 1), "validation_failed"),
    ]
    for body, code in cases:
        got = _send(store, "c-alice", ALICE, body)
        assert got["type"] == "error", body
        assert got["error"]["code"] == code, body
    assert answer(store, "c-alice", ALICE, None, NOW, EXP)["type"] == "error"


def test_ping_keeps_an_idle_connection_open() -> None:
    store, _ = _world()

    assert _send(store, "c-alice", ALICE, {"action": "ping"}) == {"type": "pong"}


def test_past_the_limit_a_subscription_is_refused_with_the_limit() -> None:
    store, project_id = _world()
    connection = store._table.get({"pk": {"S": "CONNECTION#c-alice"}, "sk": {"S": "CONNECTION"}})
    assert connection is not None
    connection["projects"] = {"SS": [f"p{n}" for n in range(MAX_SUBSCRIPTIONS)]}

    got = _send(store, "c-alice", ALICE, {"action": "subscribe", "project_id": project_id})

    assert got["type"] == "error"
    assert got["error"] == {
        "code": "limit_reached",
        "message": f"a connection follows at most {MAX_SUBSCRIPTIONS} projects",
        "details": {"limit": "subscriptions", "max": MAX_SUBSCRIPTIONS},
    }


def test_a_connection_whose_token_expired_is_answered_an_error_and_not_subscribed() -> None:
    store, project_id = _world()
    expired = int(NOW.timestamp())  # expires at NOW: expired from then on

    for body in ({"action": "subscribe", "project_id": project_id}, {"action": "ping"}):
        got = _send(store, "c-alice", ALICE, body, expired)
        assert got == {
            "type": "error",
            "action": body["action"],
            "project_id": body.get("project_id"),
            "error": {
                "code": "token_expired",
                "message": "the connection's ID token has expired: connect again with a new one",
                "details": None,
            },
        }
    assert store.subscribers(project_id) == []
    # A second before, it still subscribes.
    subscribed = _send(
        store, "c-alice", ALICE, {"action": "subscribe", "project_id": project_id}, expired + 1
    )
    assert subscribed["type"] == "subscribed"
    assert [s.token_expires_at for s in store.subscribers(project_id)] == [expired + 1]
