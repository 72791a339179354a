"""A stream consumer: a pending invitation removed without being closed (DynamoDB's TTL once
it expired, or its project's purge) frees its inviter's place under the pending-invitations
limit. Closing one (accept, decline, revoke) frees it in its own transaction and keeps the
item a while, so every removal of a *pending* item the stream shows is one of these."""

from __future__ import annotations

from tasklane.domain.invitations import InvitationStatus
from tasklane.domain.ports.invitations import InvitationStore
from tasklane.logic.stream import StreamChange


class InvitationRelease:
    name = "invitation_release"

    def __init__(self, store: InvitationStore) -> None:
        self._store = store

    def handle(self, change: StreamChange) -> None:
        if not change.removed or change.item_type != "invitation":
            return
        image = change.image
        if image.get("status") != InvitationStatus.pending.value:
            return
        # Once per invitation: a redelivered record finds the release marker.
        self._store.release_removed(str(image["invitation_id"]), str(image["invited_by"]))
