"""Every function's composition root, for those that handle all of them: the local runtime
and the tests.

Not in the package's ``__init__``: a handler imports its own ``wiring.<function>`` module,
which runs the package's ``__init__`` first, and each function's bundle holds what its
handler can import (``infra.import_trace`` reads every import statement, lazy ones too).
Listing every container there would put every function's dependencies in every bundle
(SQLAlchemy in the notifier's).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tasklane.wiring.base import Root


def roots() -> dict[str, Root[Any]]:
    """Every function's root, by function name."""
    from tasklane.wiring import (
        api,
        events,
        exporter,
        importer,
        live,
        migrate,
        notifier,
        realtime,
        realtime_authorizer,
        reminders,
        sweeper,
        webhooks,
    )

    return {
        "api": api.root,
        "events": events.root,
        "notifier": notifier.root,
        "exporter": exporter.root,
        "importer": importer.root,
        "live": live.root,
        "reminders": reminders.root,
        "sweeper": sweeper.root,
        "webhooks": webhooks.root,
        "migrate": migrate.root,
        "realtime": realtime.root,
        "realtime_authorizer": realtime_authorizer.root,
    }


def reset() -> None:
    """Forget every function's container (closing what they hold open): the next use builds
    new ones from the environment. The local runtime calls this when a stack starts and
    stops, so nothing one stack built can name another's endpoints or table."""
    for root in roots().values():
        root.use(None)
