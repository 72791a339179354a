"""What the PostgreSQL routes share: the caller's identity and the services, built once per
container on the first such request (SQLAlchemy and psycopg are imported only then)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, cast

from aws_lambda_powertools.event_handler.api_gateway import Router
from aws_lambda_powertools.utilities.data_classes import APIGatewayProxyEvent

from tasklane.api.http import caller_id
from tasklane.domain.profiles import Identity

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from tasklane.logic.profiles import ProfileService
    from tasklane.logic.search import SearchService
    from tasklane.logic.stats import StatsService


@dataclass(frozen=True, slots=True)
class RelationalServices:
    profiles: ProfileService
    search: SearchService
    stats: StatsService


_services: RelationalServices | None = None


def identity(router: Router) -> Identity:
    sub = caller_id(router)
    event = cast(APIGatewayProxyEvent, router.current_event)
    claims = event.request_context.authorizer.claims or {}
    email, name = claims.get("email"), claims.get("name")
    return Identity(
        sub=sub,
        email=email if isinstance(email, str) else "",
        name=name if isinstance(name, str) else "",
    )


def build(engine: Engine | None = None) -> RelationalServices:
    from tasklane.dal.postgres.engine import engine as container_engine
    from tasklane.logic.pages import Cursors
    from tasklane.logic.profiles import ProfileService
    from tasklane.logic.search import SearchService
    from tasklane.logic.stats import StatsService
    from tasklane.settings import get_cursor_secret

    def transaction():  # type: ignore[no-untyped-def]
        return (engine or container_engine()).begin()

    profiles = ProfileService(transaction)
    cursors = Cursors(get_cursor_secret())
    return RelationalServices(
        profiles=profiles,
        search=SearchService(transaction, profiles, cursors),
        stats=StatsService(transaction, profiles),
    )


def services() -> RelationalServices:
    global _services
    if _services is None:
        _services = build()
    return _services


def reset() -> None:
    """Tests: rebuild on next use (after the settings or the engine changed)."""
    global _services
    _services = None
