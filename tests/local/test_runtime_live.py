"""Live updates through `tasklane dev` (no PostgreSQL): the real route handlers on the local
WebSocket API, the real live function on the table's stream, the emulated Management API.

Sync points are messages, never sleeps: a message that must not arrive is checked by the
next one the same socket must get (the fan-out posts each connection's messages in stream
order)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import jwt
import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

from tasklane.dal.aws import AwsClients
from tasklane.dal.dynamodb import items as it
from tasklane.dal.dynamodb.connections import (
    DynamoConnections,
    connection_key,
    subscription_key,
)
from tasklane.dal.dynamodb.table import Table
from tasklane.domain.models import Member, Role, format_time, utc_now
from tasklane.local.runtime import LocalStack
from tasklane.settings import AwsSettings

from .support import PASSWORD

TIMEOUT = 15


@dataclass
class User:
    id: str
    token: str


@dataclass
class Live:
    stack: LocalStack
    users: dict[str, User]

    def api(self, user: str, method: str, path: str, body: Any = None) -> httpx.Response:
        headers = {"Authorization": f"Bearer {self.users[user].token}"}
        return httpx.request(
            method, f"{self.stack.api_url}{path}", json=body, headers=headers, timeout=TIMEOUT
        )

    def socket(self, user: str) -> ClientConnection:
        url = self.stack.api_url.replace("http://", "ws://") + "/realtime"
        return connect(f"{url}?token={self.users[user].token}", open_timeout=TIMEOUT)

    @property
    def table(self) -> Table:
        config = self.stack.config
        clients = AwsClients(AwsSettings(config.region, config.endpoint_url))
        return Table(config.table_name, lambda: clients.dynamodb)

    def share(self, project_id: str, user: str, role: Role) -> None:
        """The membership an accepted invitation writes (set-up: invitations need e-mail)."""
        member = Member(
            user_id=self.users[user].id,
            email=f"{user}@example.com",
            display_name=user,
            role=role,
            added_at=format_time(utc_now()),
            added_by=self.users["alice"].id,
        )
        self.table.client.put_item(
            TableName=self.table.name, Item=it.member_to_item(project_id, member)
        )


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    with LocalStack(
        port=0, aws_port=0, state_dir=tmp_path_factory.mktemp("live"), postgres=False
    ) as stack:
        users = {}
        for name in ("alice", "bob", "dave"):
            token = stack.create_user(f"live-{name}@example.com", PASSWORD).id_token
            sub = jwt.decode(token, options={"verify_signature": False})["sub"]
            users[name] = User(sub, token)
        yield Live(stack, users)


def receive(socket: ClientConnection) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(socket.recv(timeout=TIMEOUT))
    return message


def changes(socket: ClientConnection) -> list[tuple[str, str, Any]]:
    """The next post's changes: (kind, op, version or id)."""
    post = receive(socket)
    assert post["type"] == "changes", post
    return [(c["kind"], c["op"], c["version"] or c["id"]) for c in post["changes"]]


def subscribe(socket: ClientConnection, project_id: str) -> dict[str, Any]:
    socket.send(json.dumps({"action": "subscribe", "project_id": project_id}))
    return receive(socket)


def bob_id(live: Live) -> str:
    return live.users["bob"].id


def test_config_names_the_socket(live: Live) -> None:
    config = httpx.get(f"{live.stack.api_url}/config", timeout=TIMEOUT).json()

    assert config["realtime_url"] == live.stack.api_url.replace("http", "ws", 1) + "/realtime"


def test_members_receive_changes_non_members_are_refused_removed_members_cut_off(
    live: Live,
) -> None:
    with live.socket("alice") as alice, live.socket("bob") as bob, live.socket("dave") as dave:
        # Their own channels need no subscription: Alice's new membership (as the owner),
        # then Bob's.
        project_id = live.api("alice", "POST", "/projects", {"name": "Live"}).json()["id"]
        assert changes(alice) == [("member", "created", live.users["alice"].id)]
        live.share(project_id, "bob", Role.viewer)
        assert changes(bob) == [("member", "created", bob_id(live))]

        assert subscribe(alice, project_id)["type"] == "subscribed"
        assert subscribe(bob, project_id) == {
            "type": "subscribed",
            "project_id": project_id,
            "role": "viewer",
        }
        refused = subscribe(dave, project_id)
        assert (refused["type"], refused["error"]["code"]) == ("error", "not_found")

        created = live.api("alice", "POST", f"/projects/{project_id}/tasks", {"title": "Ship"})
        assert created.status_code == 201
        task = created.json()
        for socket in (alice, bob):
            assert changes(socket) == [("task", "created", 1)]

        # Bob is removed: his own channel says so; nothing of the project follows.
        removed = live.api("alice", "DELETE", f"/projects/{project_id}/members/{bob_id(live)}")
        assert removed.status_code == 204
        assert changes(bob) == [("member", "deleted", bob_id(live))]
        assert changes(alice) == [("member", "deleted", bob_id(live))]
        patched = live.api("alice", "PATCH", f"/tasks/{task['id']}", {"title": "Shipped"})
        assert patched.status_code == 204
        assert changes(alice) == [("task", "updated", 2)]
        # Re-shared (his own channel): the next thing Bob gets; the rename never came.
        live.share(project_id, "bob", Role.editor)
        assert changes(bob) == [("member", "created", bob_id(live))]
        # Dave, never a member, got nothing at all: his ping's answer is his next message.
        dave.send(json.dumps({"action": "ping"}))
        assert receive(dave) == {"type": "pong"}


def test_a_gone_connection_is_cleaned_up(live: Live) -> None:
    store = DynamoConnections(live.table)
    alice_id = live.users["alice"].id
    with live.socket("alice") as alice:
        project_id = live.api("alice", "POST", "/projects", {"name": "Gone"}).json()["id"]
        # The owner's membership reaches her own channel by the stream, whenever the poller
        # gets there: wait for it, or it could arrive in place of the task below.
        assert changes(alice) == [("member", "created", alice_id)]
        # A connection API Gateway closed without $disconnect reaching us.
        store.open_connection(GONE, alice_id, utc_now(), an_hour_on())
        store.subscribe(GONE, alice_id, project_id, utc_now(), an_hour_on())
        assert subscribe(alice, project_id)["type"] == "subscribed"

        live.api("alice", "POST", f"/projects/{project_id}/tasks", {"title": "Ping"})
        assert changes(alice) == [("task", "created", 1)]
        # A later batch starts once the one before is done (one shard, one poller).
        live.api("alice", "POST", f"/projects/{project_id}/tasks", {"title": "Pong"})
        assert changes(alice) == [("task", "created", 1)]

        left = store.subscribers(project_id)
        assert [s.user_id for s in left] == [alice_id]
        assert GONE not in {s.connection_id for s in left}
        assert GONE not in {c.connection_id for c in store.user_connections(alice_id)}


def test_a_connection_whose_token_expired_is_closed_at_the_next_change(live: Live) -> None:
    store = DynamoConnections(live.table)
    alice_id = live.users["alice"].id

    def connections() -> set[str]:
        return {c.connection_id for c in store.user_connections(alice_id)}

    with live.socket("alice") as alice:
        project_id = live.api("alice", "POST", "/projects", {"name": "Expiring"}).json()["id"]
        assert changes(alice) == [("member", "created", alice_id)]
        assert subscribe(alice, project_id)["type"] == "subscribed"
        before = connections()
        with live.socket("alice") as stale:
            assert subscribe(stale, project_id)["type"] == "subscribed"
            [stale_id] = connections() - before
            # Its token's expiry, as stored, passes (the same hour, an hour sooner).
            past = {":past": {"N": str(int(utc_now().timestamp()) - 1)}}
            for key in (connection_key(stale_id), subscription_key(project_id, stale_id)):
                live.table.client.update_item(
                    TableName=live.table.name,
                    Key=key,
                    UpdateExpression="SET token_expires_at = :past",
                    ExpressionAttributeValues=past,
                )

            live.api("alice", "POST", f"/projects/{project_id}/tasks", {"title": "Fresh"})

            # The valid socket gets the change; the expired one is closed (DeleteConnection),
            # never sent it.
            assert changes(alice) == [("task", "created", 1)]
            with pytest.raises(ConnectionClosed):
                stale.recv(timeout=TIMEOUT)
        # The socket closes during the delete, before the fan-out forgets it: a later batch
        # starts once that one is done.
        live.api("alice", "POST", f"/projects/{project_id}/tasks", {"title": "Later"})
        assert changes(alice) == [("task", "created", 1)]
        assert stale_id not in connections()
        assert stale_id not in {s.connection_id for s in store.subscribers(project_id)}


def an_hour_on() -> int:
    """A token expiry an hour from now (epoch seconds)."""
    return int(utc_now().timestamp()) + 3600


GONE = "AAAAAAAAAAAAAAA="
