"""The notification use cases on the fakes of their ports."""

from __future__ import annotations

import pytest

from tasklane.logic.notifications.jobs import NotificationJobs
from tasklane.logic.notifications.notifier import Notifier
from tests.fakes.mail import InMemoryMailer
from tests.fakes.notifications import InMemoryInbox
from tests.fakes.queue import InMemoryJobQueue
from tests.fakes.recipients import InMemoryRecipients
from tests.fakes.relational import RelationalState
from tests.unit.conftest import Clock
from tests.unit.logic.notifications.support import ADA, BOB, CY, WEB, projected


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
def notifier(inbox: InMemoryInbox, mailer: InMemoryMailer, clock: Clock) -> Notifier:
    return Notifier(inbox, mailer, WEB, clock=clock)
