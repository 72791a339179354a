"""The ``RecipientDirectory`` contract (tasklane.domain.ports.recipients), on every
implementation: profiles as recipients, and the names a notification mentions."""

from __future__ import annotations

from tasklane.domain.profiles import Identity
from tasklane.domain.projection import ProjectRow
from tests.builders import task_row

from .conftest import Backend


def test_recipients_names_and_the_people_of_a_task(backend: Backend) -> None:
    with backend.database().transaction() as tx:
        tx.profiles.upsert(Identity(sub="user-ada", email="ada@example.com", name="Ada"))
        tx.profiles.update(
            "user-ada",
            {"time_zone": "Europe/Berlin", "notifications": {"events": {"task_due": False}}},
        )
        tx.projection.upsert_project(ProjectRow("p1", "Launch", False, "user-ada", 1))
        tx.projection.upsert_task(task_row("t1", assignee_id="user-bob"))
    directory = backend.recipients()
    found = directory.recipients(["user-ada", "user-bob"])
    assert set(found) == {"user-ada"}  # Bob has no profile
    ada = found["user-ada"]
    assert (ada.email, ada.display_name, ada.time_zone) == (
        "ada@example.com",
        "Ada",
        "Europe/Berlin",
    )
    assert ada.preferences["task_due"] is False
    assert ada.preferences["task_assigned"] is True
    assert directory.recipients([]) == {}
    assert directory.project_name("p1") == "Launch"
    assert directory.project_name("p9") is None
    people = directory.task_people("t1")
    assert people is not None
    assert (people.project_id, people.title, people.created_by, people.assignee_id) == (
        "p1",
        "Write the post",
        "user-ada",
        "user-bob",
    )
    assert directory.task_people("t9") is None


def test_a_recipient_by_verified_address_and_current_members(backend: Backend) -> None:
    from tasklane.domain.projection import MemberRow

    with backend.database().transaction() as tx:
        tx.profiles.upsert(Identity(sub="user-ada", email="Ada@example.com", name="Ada"))
        tx.profiles.upsert(Identity(sub="user-eve", email="", name="Eve"))
        tx.projection.upsert_project(ProjectRow("p1", "Launch", False, "user-ada", 1))
        tx.projection.upsert_member(MemberRow("p1", "user-ada", "owner", 1))
        tx.projection.upsert_member(MemberRow("p1", "user-bob", "editor", 2))
    directory = backend.recipients()
    found = directory.recipient_by_email(" ada@EXAMPLE.com")
    assert found is not None
    assert found.user_id == "user-ada"
    assert directory.recipient_by_email("") is None
    assert directory.recipient_by_email("eve@example.com") is None
    assert directory.members("p1", ["user-ada", "user-bob", "user-eve"]) == {
        "user-ada",
        "user-bob",
    }
    assert directory.members("p1", []) == set()
    assert directory.members("p2", ["user-ada"]) == set()
