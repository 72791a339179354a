"""The ``ArchiveStore`` contract, and what an archived project refuses, on every
implementation."""

from __future__ import annotations

import pytest

from tasklane.domain.board import Placement
from tasklane.domain.checklists import ChecklistItem
from tasklane.domain.errors import Conflict, Forbidden, NotFound
from tasklane.domain.ids import new_ulid
from tasklane.domain.invitations import InvitationStatus
from tasklane.domain.models import Comment, Role, Status, TaskQuery, format_time
from tasklane.logic.access import OWNERS, READERS, TASK_WRITERS

from .conftest import ALICE, BOB, CAROL, T0, Shared, task
from .test_attachments import head, record
from .test_invitations import MEMBERS, PENDING, daily, invitation, member
from .test_webhook_registrations import hook


def bobs_comment(task_id: str) -> Comment:
    at = format_time(T0)
    return Comment(
        id=new_ulid().lower(),
        task_id=task_id,
        author_id=BOB,
        body="x",
        created_at=at,
        updated_at=at,
        version=1,
    )


def _reason(error: pytest.ExceptionInfo[Conflict]) -> object:
    return error.value.details["reason"]


def test_archive_and_unarchive(shared: Shared) -> None:
    archive, pid = shared.backend.archive(), shared.project.id
    with pytest.raises(Forbidden):
        archive.set_archived(pid, BOB, OWNERS, True, T0)
    with pytest.raises(NotFound):
        archive.set_archived(pid, "user-stranger", OWNERS, True, T0)
    archive.set_archived(pid, ALICE, OWNERS, True, T0)
    read = shared.backend.projects().get_project(pid, BOB)
    assert read is not None
    assert (read.archived_at, read.archived_by, read.version) == (format_time(T0), ALICE, 2)
    with pytest.raises(Conflict) as again:
        archive.set_archived(pid, ALICE, OWNERS, True, T0)
    assert _reason(again) == "already_archived"
    archive.set_archived(pid, ALICE, OWNERS, False, T0)
    back = shared.backend.projects().get_project(pid, ALICE)
    assert back is not None
    assert (back.archived_at, back.version) == (None, 3)
    with pytest.raises(Conflict) as not_archived:
        archive.set_archived(pid, ALICE, OWNERS, False, T0)
    assert _reason(not_archived) == "not_archived"


def test_an_archived_project_takes_no_writes(shared: Shared) -> None:
    backend, pid = shared.backend, shared.project.id
    made = task(pid)
    backend.tasks().create_task(made, ALICE, TASK_WRITERS)
    backend.archive().set_archived(pid, ALICE, OWNERS, True, T0)
    item = ChecklistItem(id=new_ulid().lower(), text="x", position="a0")
    comment = bobs_comment(made.id)
    writes = [
        lambda: backend.tasks().create_task(task(pid), BOB, TASK_WRITERS),
        lambda: backend.tasks().update_task(made.id, BOB, TASK_WRITERS, {"title": "y"}, None, T0),
        lambda: backend.tasks().delete_task(made.id, ALICE, TASK_WRITERS, None),
        lambda: backend.checklists().add_item(made.id, BOB, TASK_WRITERS, item, None, T0),
        lambda: backend.comments().create_comment(comment, BOB, TASK_WRITERS),
        lambda: backend.trash().trash_task(made.id, BOB, TASK_WRITERS, None, T0, 30),
        lambda: backend.import_sink().create_task("card-1", task(pid), [], BOB, TASK_WRITERS),
    ]
    for write in writes:
        with pytest.raises(Conflict) as refused:
            write()
        assert _reason(refused) == "project_archived"
    # A stranger still learns nothing: the membership speaks first.
    with pytest.raises(NotFound):
        backend.tasks().create_task(task(pid), "user-stranger", TASK_WRITERS)
    assert [
        t.title for t in backend.tasks().list_tasks(pid, BOB, TaskQuery(limit=10), None).items
    ] == [made.title]
    backend.archive().set_archived(pid, ALICE, OWNERS, False, T0)
    backend.tasks().update_task(made.id, BOB, TASK_WRITERS, {"title": "y"}, None, T0)


def test_an_archived_project_refuses_its_comments_files_board_members_and_invitations(
    shared: Shared,
) -> None:
    """The writes beyond the task item's: each refused inside its own transaction (the fake
    refuses the same ones), after the caller's membership and before the item written."""
    backend, pid = shared.backend, shared.project.id
    made = task(pid)
    backend.tasks().create_task(made, ALICE, TASK_WRITERS)
    comment = bobs_comment(made.id)
    backend.comments().create_comment(comment, BOB, TASK_WRITERS)
    pending, ready = record(made.id), record(made.id)
    attachments = backend.attachments()
    for one in (pending, ready):
        attachments.create_attachment(one, BOB, TASK_WRITERS, 10)
    attachments.complete_attachment(ready, BOB, TASK_WRITERS, head(), format_time(T0))
    invited, revoked = invitation(pid, "dave@example.com"), invitation(pid, "erin@example.com")
    for one in (invited, revoked):
        backend.invitations().create_invitation(one, ALICE, OWNERS, PENDING, daily())
    webhooks, registered = backend.webhooks(), hook(pid)
    webhooks.create_webhook(registered, ALICE, OWNERS)
    hid = registered.webhook.id
    backend.archive().set_archived(pid, ALICE, OWNERS, True, T0)

    dave = member("user-dave", "dave@example.com")
    writes = {
        "edit a comment": lambda: backend.comments().update_comment(
            made.id, comment.id, BOB, TASK_WRITERS, "y", None, T0
        ),
        "delete a comment": lambda: backend.comments().delete_comment(
            made.id, comment.id, ALICE, TASK_WRITERS, None, any_author=True
        ),
        "attach": lambda: attachments.create_attachment(record(made.id), BOB, TASK_WRITERS, 10),
        "complete an upload": lambda: attachments.complete_attachment(
            pending, BOB, TASK_WRITERS, head(), format_time(T0)
        ),
        "delete a file": lambda: attachments.delete_attachment(
            made.id, ready.attachment.id, BOB, TASK_WRITERS
        ),
        "move on the board": lambda: backend.board().move_task(
            Placement(made.id, Status.in_progress, "a5", made.version),
            BOB,
            TASK_WRITERS,
            [],
            None,
            T0,
        ),
        "rename the project": lambda: backend.projects().update_project(
            pid, ALICE, OWNERS, {"name": "Renamed"}, None, T0
        ),
        "add a member": lambda: backend.members().create_member(pid, dave, ALICE, OWNERS),
        "change a role": lambda: backend.members().update_member(
            pid, CAROL, ALICE, OWNERS, Role.editor
        ),
        "remove a member": lambda: backend.members().remove_member(pid, CAROL, ALICE, OWNERS),
        "invite": lambda: backend.invitations().create_invitation(
            invitation(pid), ALICE, OWNERS, PENDING, daily()
        ),
        "revoke an invitation": lambda: backend.invitations().close(
            revoked, InvitationStatus.revoked, T0, ALICE, OWNERS
        ),
        "accept an invitation": lambda: backend.invitations().accept(invited, dave, T0, MEMBERS),
        "register a webhook": lambda: webhooks.create_webhook(hook(pid), ALICE, OWNERS),
        "change a webhook": lambda: webhooks.update_webhook(
            pid, hid, ALICE, OWNERS, {"description": "y"}, None, T0
        ),
        "rotate a webhook's secret": lambda: webhooks.update_webhook(
            pid, hid, ALICE, OWNERS, {"secret": "whsec_other"}, None, T0
        ),
        "delete a webhook": lambda: webhooks.delete_webhook(pid, hid, ALICE, OWNERS, None),
    }
    refused = {}
    for name, write in writes.items():
        with pytest.raises(Conflict) as error:
            write()
        refused[name] = _reason(error)
    assert refused == dict.fromkeys(writes, "project_archived")
    # Nothing changed, and the membership still speaks first (a stranger learns nothing).
    assert backend.projects().get_project(pid, ALICE).name == shared.project.name  # type: ignore[union-attr]
    assert backend.members().get_member(pid, CAROL, ALICE).role is Role.viewer  # type: ignore[union-attr]
    kept = webhooks.get_webhook(pid, hid, ALICE, OWNERS)
    assert kept is not None
    assert (kept.secret, kept.webhook.version, webhooks.count_webhooks(pid)) == (
        "whsec_first",
        1,
        1,
    )
    with pytest.raises(NotFound):
        backend.projects().update_project(pid, "user-stranger", OWNERS, {"name": "x"}, None, T0)
    with pytest.raises(Forbidden):
        backend.members().remove_member(pid, CAROL, BOB, OWNERS)
    # What is not a write into the project stays possible: leaving it, declining to join.
    backend.members().remove_member(pid, BOB, BOB, READERS)
    assert backend.members().get_member(pid, BOB, ALICE) is None
    backend.invitations().close(invited, InvitationStatus.declined, T0)
    # Unarchived, the same writes go through.
    backend.archive().set_archived(pid, ALICE, OWNERS, False, T0)
    backend.projects().update_project(pid, ALICE, OWNERS, {"name": "Renamed"}, None, T0)
    backend.members().update_member(pid, CAROL, ALICE, OWNERS, Role.editor)
    webhooks.delete_webhook(pid, hid, ALICE, OWNERS, None)
    backend.comments().delete_comment(
        made.id, comment.id, ALICE, TASK_WRITERS, None, any_author=True
    )
