"""What every function's container shares, and :class:`Root`, the one way to get or replace
a function's container.

A container is built from :class:`tasklane.settings.Settings` and makes each part on first
use (``functools.cached_property``): building one costs nothing, and a cold start imports
only what its first request needs. Tests replace parts with :meth:`Container.override` before
first use, and a function's container with :meth:`Root.use` or :meth:`Root.overridden`.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import cached_property
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from tasklane.settings import Settings

if TYPE_CHECKING:
    from tasklane.dal.aws import AwsClients
    from tasklane.dal.dynamodb.table import Table


class Container:
    """The parts every function uses: its settings, its AWS clients and the table."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def override(self, **parts: Any) -> None:
        """Use ``parts`` instead of what the container would build (tests). Each name is a
        part of this container, not built yet: a part built on the real one would keep it."""
        for name, value in parts.items():
            if not isinstance(getattr(type(self), name, None), cached_property):
                raise AttributeError(f"{type(self).__name__} has no part {name!r}")
            if name in self.__dict__:
                raise RuntimeError(f"{name!r} is built already: override it before first use")
            self.__dict__[name] = value

    def close(self) -> None:
        """Release what the container holds open (a container being replaced)."""

    @cached_property
    def aws(self) -> AwsClients:
        from tasklane.dal.aws import AwsClients

        return AwsClients(self.settings.aws)

    @cached_property
    def table(self) -> Table:
        from tasklane.dal.dynamodb.table import Table

        return Table(self.settings.table_name, lambda: self.aws.dynamodb)


def close_database(container: Container) -> None:
    """Close the container's PostgreSQL pool, if it made one (fakes have none to close)."""
    dispose = getattr(container.__dict__.get("database"), "dispose", None)
    if dispose is not None:
        dispose()


C = TypeVar("C", bound=Container)


class Root(Generic[C]):
    """A function's composition root: its container, built from the environment's settings
    on first use and kept for the life of the process (a Lambda execution environment)."""

    def __init__(self, build: Callable[[Settings], C]) -> None:
        self._build = build
        self._container: C | None = None
        self._lock = threading.Lock()

    def get(self) -> C:
        container = self._container
        if container is None:
            with self._lock:
                if self._container is None:
                    self._container = self._build(Settings.from_environment())
                container = self._container
        return container

    def use(self, container: C | None) -> None:
        """Replace the container (None: build a new one from the settings on next use); the
        replaced one is closed."""
        with self._lock:
            old, self._container = self._container, container
        if old is not None and old is not container:
            old.close()

    @contextmanager
    def overridden(self, container: C) -> Iterator[C]:
        """``container`` for the duration of the block, then a fresh one from the settings."""
        self.use(container)
        try:
            yield container
        finally:
            self.use(None)
