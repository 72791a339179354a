"""The WebSocket API's functions' container: the ``$connect`` authorizer's ID-token verifier
(the pool's keys are fetched once per container, then cached by the verifier)."""

from __future__ import annotations

from functools import cached_property
from typing import TYPE_CHECKING

from tasklane.wiring.base import Container, Root

if TYPE_CHECKING:
    from tasklane.dal.id_tokens import TokenVerifier


class RealtimeContainer(Container):
    @cached_property
    def verifier(self) -> TokenVerifier:
        from tasklane.dal.id_tokens import verifier_for

        return verifier_for(self.settings)


root: Root[RealtimeContainer] = Root(RealtimeContainer)
