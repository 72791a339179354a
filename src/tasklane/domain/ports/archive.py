"""``ArchiveStore``: a project archived (read-only, out of the sidebar) and back."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Protocol

from tasklane.domain.models import Role


class ArchiveStore(Protocol):
    def set_archived(
        self,
        project_id: str,
        user_id: str,
        roles: Collection[Role],
        archived: bool,
        now: datetime,
    ) -> None:
        """One request: the project's ``archived_at``/``archived_by`` set (or removed),
        its version bumped. NotFound for no project or a stranger, Forbidden for another
        role, Conflict (``already_archived``, ``not_archived``) when it is so already."""
