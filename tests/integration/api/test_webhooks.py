"""Webhook registration over the api handler: owner only, the secret shown once, the SSRF
guard at registration, switching off and on, rotation, the delivery log, the limit."""

from __future__ import annotations

from typing import Any

import pytest

from tasklane.domain.exchange.registrations import MAX_WEBHOOKS_PER_PROJECT
from tasklane.local.bootstrap import LocalConfig
from tests.integration.conftest import Api
from tests.integration.support import share

pytestmark = pytest.mark.integration

#: A public address as a literal (example.com's): registration checks it without DNS.
RECEIVER = "https://93.184.215.14/hooks/tasklane"


def new_project(api: Api) -> str:
    reply = api.post("/projects", {"name": "Hooks"})
    assert reply.status == 201, reply.body
    project_id: str = reply.body["id"]
    return project_id


def test_the_owner_registers_and_manages_a_webhook(api: Api, aws: LocalConfig) -> None:
    pid = new_project(api)
    created = api.post(f"/projects/{pid}/webhooks", {"url": RECEIVER, "events": ["task.created"]})
    assert created.status == 201, created.body
    assert created.headers["cache-control"] == "no-store"
    secret, hook = created.body["secret"], created.body["webhook"]
    assert created.headers["location"] == f"/projects/{pid}/webhooks/{hook['id']}"
    assert hook["enabled"] is True
    assert hook["events"] == ["task.created"]
    assert secret not in str(hook)

    listed = api.get(f"/projects/{pid}/webhooks").body["items"]
    assert [h["id"] for h in listed] == [hook["id"]]
    assert "secret" not in listed[0]
    one = f"/projects/{pid}/webhooks/{hook['id']}"
    assert api.get(one).body["secret_hint"] == hook["secret_hint"]

    off = api.patch(one, {"enabled": False, "events": None})
    assert off.status == 200, off.body
    assert (off.body["enabled"], off.body["disabled_reason"], off.body["events"]) == (
        False,
        "owner",
        None,
    )
    on = api.patch(one, {"enabled": True, "description": "CI"})
    assert (on.body["enabled"], on.body["disabled_reason"], on.body["description"]) == (
        True,
        None,
        "CI",
    )
    assert on.body["version"] == 3

    rotated = api.post(f"{one}/rotate")
    assert rotated.status == 200, rotated.body
    assert rotated.body["secret"] != secret
    assert rotated.body["webhook"]["secret_hint"] != hook["secret_hint"]

    assert api.get(f"{one}/deliveries").body == {"items": []}
    assert api.delete(one).status == 204
    assert api.get(one).status == 404
    assert api.get(f"{one}/deliveries").status == 404
    assert api.get(f"/projects/{pid}/webhooks/not-an-id").status == 404


@pytest.mark.parametrize(
    "url",
    [
        "https://10.0.0.7/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://[::1]/hook",
        "https://127.0.0.1/hook",
        "http://93.184.215.14/hook",  # http only for a local loopback receiver
        "ftp://93.184.215.14/hook",
        "https://user:pw@93.184.215.14/hook",  # pragma: allowlist secret
    ],
)
def test_private_addresses_and_other_schemes_are_refused(
    api: Api, aws: LocalConfig, url: str
) -> None:
    pid = new_project(api)
    refused = api.post(f"/projects/{pid}/webhooks", {"url": url})
    assert refused.status == 422, refused.body
    assert refused.body["error"]["details"]["field"] == "url"
    hook = api.post(f"/projects/{pid}/webhooks", {"url": RECEIVER}).body["webhook"]
    changed = api.patch(f"/projects/{pid}/webhooks/{hook['id']}", {"url": url})
    assert changed.status == 422
    assert api.get(f"/projects/{pid}/webhooks/{hook['id']}").body["url"] == RECEIVER


def test_only_the_owner_manages_webhooks(api: Api, aws: LocalConfig, pg: Any) -> None:
    pid = new_project(api)
    hook = api.post(f"/projects/{pid}/webhooks", {"url": RECEIVER}).body["webhook"]
    api.get("/me", user="user-b")  # a profile, so the owner can share by e-mail
    assert share(api, pid, "user-b@example.com").status == 200  # invited and accepted
    one = f"/projects/{pid}/webhooks/{hook['id']}"
    for user, status in (("user-b", 403), ("user-c", 404)):
        assert api.get(f"/projects/{pid}/webhooks", user=user).status == status
        assert api.post(f"/projects/{pid}/webhooks", {"url": RECEIVER}, user=user).status == status
        assert api.get(one, user=user).status == status
        assert api.patch(one, {"enabled": False}, user=user).status == status
        assert api.post(f"{one}/rotate", user=user).status == status
        assert api.delete(one, user=user).status == status
        assert api.get(f"{one}/deliveries", user=user).status == status
    assert api.get(one).body["enabled"] is True


def test_input_is_validated_and_the_count_is_limited(api: Api, aws: LocalConfig) -> None:
    pid = new_project(api)
    base = f"/projects/{pid}/webhooks"
    assert api.post(base, {"url": RECEIVER, "events": []}).status == 422
    assert api.post(base, {"url": RECEIVER, "events": ["webhook.ping"]}).status == 422
    assert api.post(base, {"url": RECEIVER, "events": ["task.nope"]}).status == 422
    chosen = {"url": RECEIVER, "secret": "mine"}  # pragma: allowlist secret
    assert api.post(base, chosen).status == 422  # the secret is made by the server
    for _ in range(MAX_WEBHOOKS_PER_PROJECT):
        assert api.post(base, {"url": RECEIVER}).status == 201
    over = api.post(base, {"url": RECEIVER})
    assert over.status == 409
    assert over.error_code == "webhook_limit_reached"
    hook = api.get(base).body["items"][0]
    assert api.patch(f"{base}/{hook['id']}", {"url": None}).status == 422
