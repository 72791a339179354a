"""One composition root per function: where ports meet adapters.

Each Lambda function has a module here with its container (a :class:`base.Container`
subclass whose parts are built on first use from :class:`tasklane.settings.Settings`) and
its ``root`` (a :class:`base.Root`): the handler calls ``root.get()``; the local runtime and
the tests replace a container with ``root.use(...)`` / ``root.overridden(...)`` and parts of
one with ``container.override(...)``. There is no other way to wire a service.

=============  ======================  ===================================================
module         handler                 parts
=============  ======================  ===================================================
``api``        ``handlers.api``        use cases of every route, the idempotency layer
``events``     ``handlers.events``     the stream consumers, in order
``notifier``   ``handlers.notifier``   the notifier, once per job id
``reminders``  ``handlers.reminders``  the scheduled reminders run
``sweeper``    ``handlers.sweeper``    the abandoned-upload sweep
``migrate``    ``handlers.migrate``    the database, as its owner
=============  ======================  ===================================================
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tasklane.wiring.base import Root


def roots() -> dict[str, Root[Any]]:
    """Every function's root, by function name."""
    from tasklane.wiring import api, events, migrate, notifier, reminders, sweeper

    return {
        "api": api.root,
        "events": events.root,
        "notifier": notifier.root,
        "reminders": reminders.root,
        "sweeper": sweeper.root,
        "migrate": migrate.root,
    }


def reset() -> None:
    """Forget every function's container (closing what they hold open): the next use builds
    new ones from the environment. The local runtime calls this when a stack starts and
    stops, so nothing one stack built can name another's endpoints or table."""
    for root in roots().values():
        root.use(None)
