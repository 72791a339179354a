"""The purge of a deleted project: a stream consumer and the sweeper's resumption.

The rules are :mod:`tasklane.domain.project_purge`'s. A pass runs from each MODIFY record
of a marked project item: it deletes up to ``PASS_ITEMS`` items, then touches the project
item (the next record, the next pass) or finishes. Everything here is idempotent: a pass
starts from what is left, so a replayed record, a crashed pass or a sweeper's extra touch
only repeats work that finds nothing to do.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from tasklane.domain.attachments import project_prefix
from tasklane.domain.models import utc_now
from tasklane.domain.ports.projects import ProjectPurgeStore
from tasklane.domain.ports.storage import ObjectStorage
from tasklane.domain.project_purge import PAGE_SIZE, PASS_ITEMS, STALLED_AFTER, plan
from tasklane.logic.stream import StreamChange


def purge_pass(
    store: ProjectPurgeStore,
    storage: ObjectStorage,
    project_id: str,
    now: datetime,
    max_items: int = PASS_ITEMS,
) -> bool:
    """One pass; True when the project is gone (the project item was deleted last)."""
    deleted = 0
    while True:
        # A whole page each time: a page of the project item alone means nothing else is
        # left (a shorter page could hide what follows it).
        step = plan(store.next_sort_keys(project_id, PAGE_SIZE))
        if step.finish:
            # The objects before the project item: while it exists, a later pass finds
            # them again; once it is gone nothing would.
            storage.delete_prefix(project_prefix(project_id))
            store.finish(project_id)
            return True
        for batch in step.batches:
            if deleted >= max_items:
                store.continue_later(project_id, now)
                return False
            deleted += store.delete_items(project_id, list(batch))


class ProjectPurge:
    """A :class:`tasklane.logic.stream.StreamConsumer`: a pass per record of a project item
    marked deleted (the mark itself, then each pass's touch)."""

    name = "project_purge"

    def __init__(
        self,
        store: ProjectPurgeStore,
        storage: ObjectStorage,
        clock: Callable[[], datetime] = utc_now,
        max_items: int = PASS_ITEMS,
    ) -> None:
        self._store = store
        self._storage = storage
        self._clock = clock
        self._max_items = max_items

    def handle(self, change: StreamChange) -> None:
        if change.item_type != "project" or change.removed:
            return
        new = change.new or {}
        if new.get("deleted_at") is None:
            return
        purge_pass(
            self._store, self._storage, str(new["project_id"]), self._clock(), self._max_items
        )


def resume_stalled(store: ProjectPurgeStore, now: datetime, limit: int = 100) -> int:
    """The sweeper's part: every marked project whose last pass is older than
    ``STALLED_AFTER`` (its stream retries spent, or its pass lost) gets a new pass."""
    stalled = store.stalled(now - STALLED_AFTER, limit)
    for project_id in stalled:
        store.continue_later(project_id, now)
    return len(stalled)
