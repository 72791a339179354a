"""What the integration tests share besides fixtures."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from tasklane.dal.aws import AwsClients


def clients() -> AwsClients:
    """AWS clients on moto, for a test's own reads and writes: the api function's (its
    container is fresh in every test, see ``conftest.aws``)."""
    from tasklane.wiring.api import root

    return root.get().aws
