"""The local gateway without an emulator: the dev mailbox route."""

from __future__ import annotations

from typing import Any

import httpx

from tasklane.local.gateway import DEV_MAIL_PATH, create_app


def refuse(token: str) -> dict[str, Any]:
    raise AssertionError("the mailbox needs no token")


async def _get(app: Any, path: str, **headers: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://gw") as client:
        return await client.get(path, headers=headers)


def test_the_mailbox_route_is_there_only_when_given() -> None:
    import asyncio

    items = [{"id": "m1", "subject": "Hi"}]
    app = create_app(
        verify=refuse,
        handler=lambda e, c: {"statusCode": 404, "body": "{}"},
        cors_origins=["http://127.0.0.1:3000"],
        mailbox=lambda: items,
    )
    reply = asyncio.run(_get(app, DEV_MAIL_PATH, origin="http://127.0.0.1:3000"))
    assert reply.status_code == 200
    assert reply.json() == {"items": items}
    assert reply.headers["access-control-allow-origin"] == "http://127.0.0.1:3000"

    without = create_app(verify=lambda t: {"sub": "x"}, handler=lambda e, c: {"statusCode": 404})
    # Without a mailbox the path is an ordinary API path: the authorizer wants a token.
    assert asyncio.run(_get(without, DEV_MAIL_PATH)).status_code == 401
