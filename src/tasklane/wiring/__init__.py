"""One composition root per function: where ports meet adapters.

Each Lambda function has a module here with its container (a :class:`base.Container`
subclass whose parts are built on first use from :class:`tasklane.settings.Settings`) and
its ``root`` (a :class:`base.Root`): the handler calls ``root.get()``; the local runtime and
the tests replace a container with ``root.use(...)`` / ``root.overridden(...)`` (every
function's at once: :func:`functions.reset`) and parts of one with ``container.override(...)``.
There is no other way to wire a service.

=============  ======================  ===================================================
module         handler                 parts
=============  ======================  ===================================================
``api``        ``handlers.api``        use cases of every route, the idempotency layer
``events``     ``handlers.events``     the stream consumers, in order
``notifier``   ``handlers.notifier``   the notifier, once per job id
``reminders``  ``handlers.reminders``  the scheduled reminders run
``sweeper``    ``handlers.sweeper``    the abandoned-upload sweep
``migrate``    ``handlers.migrate``    an engine on the database, as its owner
=============  ======================  ===================================================

The WebSocket API: ``realtime`` (``handlers.realtime``: the routes, the connection store),
``realtime_authorizer`` (its ``$connect`` authorizer's ID-token verifier) and ``live``
(``handlers.live``: the fan-out from the stream, the store and the Management API).
"""
