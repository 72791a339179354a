"""Notification values: the in-app notice's id derived from its job."""

from __future__ import annotations

import re

from tasklane.domain.notifications import (
    note_id,
)
from tests.unit.logic.notifications.support import job


def test_note_ids_are_ulids_ordered_by_the_job_time() -> None:
    early = note_id(job())
    late = note_id(job().model_copy(update={"created_at": "2025-03-01T09:02:00.000Z"}))
    other = note_id(job().model_copy(update={"id": "another"}))
    assert re.fullmatch(r"[0-9a-hjkmnp-tv-z]{26}", early)
    assert early < late
    assert early != other
    assert early[:10] == other[:10]
