"""The fan-out (tasklane.logic.live_fanout) on the fakes: who receives what, how many
Queries and posts a batch costs, removals, gone connections, replays."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from tasklane.dal.dynamodb import items as it
from tasklane.domain.live import HighWater
from tasklane.domain.models import Member, Person, Role, Task, format_time
from tasklane.logic.live_fanout import fan_out
from tasklane.logic.stream import StreamChange
from tests.builders import project_model, task_model
from tests.fakes.live import InMemoryConnections, InMemoryPoster
from tests.fakes.projects import InMemoryProjects
from tests.fakes.table import InMemoryTable

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
#: The connections' ID token expiry: valid at NOW, unless a test says otherwise.
EXP = int(NOW.timestamp()) + 3600
STAMP = format_time(NOW)
ALICE, BOB, CAROL, DAVE = "user-alice", "user-bob", "user-carol", "user-dave"
_sequence = iter(range(1_000, 1_000_000))


def change(old: it.Item | None, new: it.Item | None) -> StreamChange:
    image = new or old or {}
    return StreamChange(
        event_id="e",
        event_name="INSERT" if old is None else "REMOVE" if new is None else "MODIFY",
        sequence_number=str(next(_sequence)),
        keys=it.deserialize({"pk": image["pk"], "sk": image["sk"]}),
        old=it.deserialize(old) if old is not None else None,
        new=it.deserialize(new) if new is not None else None,
    )


class World:
    """Alice's project shared with Bob (editor) and Carol (viewer); Dave is a stranger.
    Each has one open connection named after them; all three members subscribed. Their
    tokens expire at ``expiries`` (by user), else an hour after NOW."""

    def __init__(self, expiries: dict[str, int] | None = None) -> None:
        expiries = expiries or {}
        self.table = InMemoryTable()
        self.project = project_model(ALICE, STAMP)
        InMemoryProjects(self.table).create_project(
            self.project, Person(user_id=ALICE, email="a@example.com", display_name="Alice")
        )
        self.members = {BOB: Role.editor, CAROL: Role.viewer}
        for user, role in self.members.items():
            self.table.add_member(self.project.id, user, role)
        self.store = InMemoryConnections(self.table)
        self.poster = InMemoryPoster()
        for user in (ALICE, BOB, CAROL, DAVE):
            self.store.open_connection(f"c-{user}", user, NOW, expiries.get(user, EXP))
        for user in (ALICE, BOB, CAROL):
            self.store.subscribe(f"c-{user}", user, self.project.id, NOW, expiries.get(user, EXP))
        self.store.queries.clear()

    def task(self, version: int = 1, **fields: Any) -> Task:
        values = {"id": f"{self.project.id}-01hzzzzzzzzzzzzzzzzzzzzzzz", "version": version}
        return task_model(self.project.id, BOB, STAMP, **(values | fields))

    def member_item(self, user: str, role: Role) -> it.Item:
        member = Member(
            user_id=user,
            email=f"{user}@example.com",
            display_name=user,
            role=role,
            added_at=STAMP,
            added_by=ALICE,
        )
        return it.member_to_item(self.project.id, member)

    def received(self) -> dict[str, list[dict[str, Any]]]:
        """Each connection's messages, in the order posted."""
        got: dict[str, list[dict[str, Any]]] = {}
        for connection_id, data in self.poster.posts:
            envelope = json.loads(data)
            assert envelope["type"] == "changes"
            got.setdefault(connection_id, []).extend(envelope["changes"])
        return got


def test_a_change_reaches_every_subscribed_member_and_nobody_else() -> None:
    world = World()
    item = it.task_to_item(world.task())

    result = fan_out([change(None, item)], world.store, world.poster, NOW)

    got = world.received()
    assert sorted(got) == ["c-user-alice", "c-user-bob", "c-user-carol"]  # not Dave's
    for messages in got.values():
        assert [(m["kind"], m["op"], m["version"]) for m in messages] == [("task", "created", 1)]
    # One Query for the project's subscribers; no user channel; one post per connection.
    assert world.store.queries == ["subscribers"]
    assert (result.messages, result.posts, result.gone) == (1, 3, 0)


def test_a_batch_coalesces_to_one_post_per_connection_newest_first_wins() -> None:
    world = World()
    v1, v2, v3 = (it.task_to_item(world.task(n, title=f"T{n}")) for n in (1, 2, 3))
    other = it.task_to_item(world.task(id=f"{world.project.id}-01hyyyyyyyyyyyyyyyyyyyyyyy"))
    # Reordered and replayed: v3 arrives before v2, and v2's record twice.
    batch = [change(None, v1), change(v2, v3), change(v1, v2), change(v1, v2), change(None, other)]

    result = fan_out(batch, world.store, world.poster, NOW)

    assert result.posts == 3
    for messages in world.received().values():
        assert [(m["id"].rsplit("-", 1)[1][:4], m["version"]) for m in messages] == [
            ("01hz", 3),
            ("01hy", 1),
        ]
    assert world.store.queries == ["subscribers"]


def test_a_later_batch_never_delivers_an_older_version() -> None:
    world = World()
    high_water = HighWater()
    v1, v2 = it.task_to_item(world.task(1)), it.task_to_item(world.task(2, title="New"))
    fan_out([change(v1, v2)], world.store, world.poster, NOW, high_water)
    world.poster.posts.clear()

    result = fan_out([change(None, v1)], world.store, world.poster, NOW, high_water)  # a replay

    assert (result.messages, world.poster.posts) == (0, [])


def test_a_removed_member_receives_nothing_after_the_removal() -> None:
    world = World()
    before = it.task_to_item(world.task(1))
    after = it.task_to_item(world.task(2, title="Renamed"))
    batch = [change(None, before)]
    batch.append(change(world.member_item(BOB, Role.editor), None))  # stream order = seq
    batch.append(change(before, after))

    fan_out(batch, world.store, world.poster, NOW)

    got = world.received()
    # Bob's socket: the task before his removal, and the removal itself (his own channel).
    assert [(m["kind"], m["op"]) for m in got["c-user-bob"]] == [
        ("task", "created"),
        ("member", "deleted"),
    ]
    assert [(m["kind"], m.get("version")) for m in got["c-user-carol"]] == [
        ("member", None),
        ("task", 2),
    ]
    assert [s.user_id for s in world.store.subscribers(world.project.id)] == [ALICE, CAROL]
    # A later batch: nothing for Bob at all.
    world.poster.posts.clear()
    newer = it.task_to_item(world.task(3, title="Again"))
    fan_out([change(after, newer)], world.store, world.poster, NOW)
    assert "c-user-bob" not in world.received()


def test_a_membership_reaches_the_members_own_channel_without_a_subscription() -> None:
    world = World()
    added = world.member_item(DAVE, Role.viewer)

    fan_out([change(None, added)], world.store, world.poster, NOW)

    got = world.received()
    assert [(m["kind"], m["op"], m["id"]) for m in got["c-user-dave"]] == [
        ("member", "created", DAVE)
    ]
    assert sorted(world.store.queries) == ["subscribers", "user_connections"]


def test_a_gone_connection_is_forgotten_and_the_others_still_get_theirs() -> None:
    world = World()
    world.poster.gone.add("c-user-carol")

    result = fan_out([change(None, it.task_to_item(world.task()))], world.store, world.poster, NOW)

    assert result.gone == 1
    assert sorted(world.received()) == ["c-user-alice", "c-user-bob"]
    assert [s.user_id for s in world.store.subscribers(world.project.id)] == [ALICE, BOB]
    assert world.store.user_connections(CAROL) == []
    assert world.poster.closed == []


def test_a_subscriber_whose_token_expired_gets_nothing_and_is_closed() -> None:
    # Carol's token expires at NOW (expired from then on); Bob's a second later (valid).
    world = World({CAROL: int(NOW.timestamp()), BOB: int(NOW.timestamp()) + 1})

    result = fan_out([change(None, it.task_to_item(world.task()))], world.store, world.poster, NOW)

    assert sorted(world.received()) == ["c-user-alice", "c-user-bob"]
    assert world.poster.closed == ["c-user-carol"]
    assert (result.messages, result.posts, result.gone, result.expired) == (1, 2, 0, 1)
    # Forgotten with its subscriptions, like a gone one; the expiry came with the Query.
    assert [s.user_id for s in world.store.subscribers(world.project.id)] == [ALICE, BOB]
    assert world.store.user_connections(CAROL) == []
    assert world.store.queries == ["subscribers", "subscribers", "user_connections"]
    # A later batch: nothing more to close.
    world.poster.closed.clear()
    newer = it.task_to_item(world.task(2, title="Later"))
    assert fan_out([change(None, newer)], world.store, world.poster, NOW).expired == 0
    assert world.poster.closed == []


def test_an_own_channel_connection_whose_token_expired_gets_nothing_and_is_closed() -> None:
    # Dave has two connections: one opened with a token now expired, one with a fresh one.
    world = World({DAVE: int(NOW.timestamp()) - 60})
    world.store.open_connection("c-dave-new", DAVE, NOW, EXP)

    result = fan_out(
        [change(None, world.member_item(DAVE, Role.viewer))], world.store, world.poster, NOW
    )

    got = world.received()
    assert "c-user-dave" not in got
    assert [(m["kind"], m["op"]) for m in got["c-dave-new"]] == [("member", "created")]
    assert world.poster.closed == ["c-user-dave"]
    assert result.expired == 1
    assert [c.connection_id for c in world.store.user_connections(DAVE)] == ["c-dave-new"]


def test_a_connection_expired_on_either_listing_gets_nothing() -> None:
    # Bob's subscription still valid, his connection item expired (an item rewritten by
    # hand, or read across a deploy): his own channel lists him expired, so no post at all.
    world = World()
    connection = world.table.get({"pk": {"S": "CONNECTION#c-user-bob"}, "sk": {"S": "CONNECTION"}})
    assert connection is not None
    connection["token_expires_at"] = {"N": str(int(NOW.timestamp()))}
    # Bob's new role: to the project's subscribers (his valid subscription among them) and
    # to his own channel (his expired connection).
    role_change = change(world.member_item(BOB, Role.editor), world.member_item(BOB, Role.viewer))

    fan_out([role_change], world.store, world.poster, NOW)

    assert sorted(world.received()) == ["c-user-alice", "c-user-carol"]
    assert world.poster.closed == ["c-user-bob"]


def test_a_connection_stored_without_an_expiry_is_not_closed() -> None:
    world = World()
    subscription = world.table.get(
        {"pk": {"S": f"LIVE#{world.project.id}"}, "sk": {"S": "c-user-carol"}}
    )
    assert subscription is not None
    del subscription["token_expires_at"]  # written before expiries were stored

    result = fan_out([change(None, it.task_to_item(world.task()))], world.store, world.poster, NOW)

    assert "c-user-carol" in world.received()
    assert (result.expired, world.poster.closed) == (0, [])


def test_items_of_no_reader_cost_nothing() -> None:
    world = World()
    connection = world.table.get({"pk": {"S": "CONNECTION#c-user-bob"}, "sk": {"S": "CONNECTION"}})

    result = fan_out([change(None, connection)], world.store, world.poster, NOW)

    assert (result.messages, world.store.queries, world.poster.posts) == (0, [], [])
