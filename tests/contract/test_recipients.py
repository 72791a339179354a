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
