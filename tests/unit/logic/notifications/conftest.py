"""The notification use cases on the fakes of their ports."""

from __future__ import annotations

import pytest

from tasklane.logic.notifications.jobs import NotificationJobs
from tasklane.logic.notifications.notifier import Notifier
from tests.fakes.mail import InMemoryMailer
from tests.fakes.members import InMemoryMembers
from tests.fakes.notifications import InMemoryInbox
from tests.fakes.queue import InMemoryJobQueue
from tests.fakes.recipients import InMemoryRecipients
from tests.fakes.relational import RelationalState
from tests.unit.conftest import Clock
from tests.unit.logic.notifications.support import (
    ADA,
    BOB,
    CY,
    WEB,
    members_table,
    projected,
)


@pytest.fixture
def state() -> RelationalState:
    return projected(ADA, BOB, CY)


@pytest.fixture
def directory(state: RelationalState) -> InMemoryRecipients:
    return InMemoryRecipients(state)


@pytest.fixture
def queue() -> InMemoryJobQueue:
    return InMemoryJobQueue()


@pytest.fixture
def consumer(directory: InMemoryRecipients, queue: InMemoryJobQueue) -> NotificationJobs:
    return NotificationJobs(directory, queue, InMemoryInbox())


# -- the notifier --------------------------------------------------------------------------------
@pytest.fixture
def inbox() -> InMemoryInbox:
    return InMemoryInbox()


@pytest.fixture
def mailer() -> InMemoryMailer:
    return InMemoryMailer()


@pytest.fixture
def members() -> InMemoryMembers:
    """Ada's project "Launch", with Bob and Cy as members."""
    return InMemoryMembers(members_table(ADA, BOB, CY))


@pytest.fixture
def notifier(
    inbox: InMemoryInbox, mailer: InMemoryMailer, members: InMemoryMembers, clock: Clock
) -> Notifier:
    return Notifier(inbox, mailer, WEB, members, clock=clock)
