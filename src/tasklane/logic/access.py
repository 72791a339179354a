"""Who may do what, by role. The store enforces it in the same round trip as the work."""

from __future__ import annotations

from tasklane.domain.models import Role

#: Read a project and its tasks.
READERS = frozenset(Role)
#: Create, change and delete tasks.
TASK_WRITERS = frozenset({Role.owner, Role.editor})
#: Rename, delete, manage members.
OWNERS = frozenset({Role.owner})
