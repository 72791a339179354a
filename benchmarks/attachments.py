"""AWS requests per attachment operation (DynamoDB and S3 together).

Targets: create 1, complete ≤ 3, get 1, list 1 (one read of the membership and the task
item, which carries a summary of each attachment). The upload itself goes from the "browser"
(httpx) to moto and is not counted: it never passes through the API.

Wire it into ``benchmarks/__main__.py`` beside ``aws_calls``: ``attachments.run(stack)``
inside the shared moto stack (it bootstraps the bucket with the table).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from benchmarks.results import Check, Section
from benchmarks.stack import Stack

USER = "bench-attachments-user"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n%%EOF\n"

#: (operation, target text, limit, exact)
TARGETS = {
    "create attachment (upload form)": ("1", 1, True),
    "complete attachment": ("≤ 3", 3, False),
    "complete attachment (content refused)": ("≤ 3", 3, False),
    "get attachment (download link)": ("1", 1, True),
    "list attachments": ("1", 1, True),
    "delete attachment": ("1", 1, True),
}


class _Counter:
    """botocore hooks on the handler's DynamoDB and S3 clients."""

    def __init__(self) -> None:
        self.calls: Counter[str] = Counter()
        self.active = False
        self._hooks: list[tuple[Any, str, Any]] = []

    def attach(self) -> None:
        from tasklane.wiring.api import root

        aws = root.get().aws  # the api function's clients
        for client, service in ((aws.dynamodb, "dynamodb"), (aws.s3, "s3")):

            def before(model: Any, _service: str = service, **_: Any) -> None:
                if self.active:
                    self.calls[f"{_service}:{model.name}"] += 1

            client.meta.events.register(f"before-call.{service}", before)
            self._hooks.append((client, service, before))

    def detach(self) -> None:
        for client, service, before in self._hooks:
            client.meta.events.unregister(f"before-call.{service}", before)
        self._hooks.clear()

    @contextmanager
    def count(self) -> Iterator[Counter[str]]:
        self.calls = Counter()
        self.active = True
        try:
            yield self.calls
        finally:
            self.active = False


def run(stack: Stack) -> Section:
    section = Section("attachments", "AWS requests per attachment operation")
    api = stack.client(USER)
    counter = _Counter()
    counter.attach()
    rows: list[dict[str, Any]] = []

    def measure(name: str, method: str, path: str, expect: int, **kwargs: Any) -> Any:
        with counter.count() as calls:
            reply = api.call(method, path, **kwargs)
        total = sum(calls.values())
        text, limit, exact = TARGETS[name]
        met = total == limit if exact else total <= limit
        passed = reply.status == expect and met
        note = ", ".join(f"{n} {op}" for op, n in sorted(calls.items()))
        if reply.status != expect:
            note = f"answered {reply.status}, expected {expect}: {reply.body}"
        rows.append({"operation": name, "status": reply.status, "requests": total, "note": note})
        section.checks.append(Check(f"{name}: AWS requests", total, text, passed, note))
        return reply

    try:
        task = api.call("POST", "/projects/inbox/tasks", {"title": "with files"})
        if task.status != 201:
            raise RuntimeError(f"create task: {task.status} {task.body}")
        base = f"/tasks/{task.body['id']}/attachments"
        declared = {"file_name": "bench.pdf", "size": len(PDF), "content_type": "application/pdf"}

        created = measure("create attachment (upload form)", "POST", base, 201, body=declared)
        one = f"{base}/{created.body['attachment']['id']}"
        _upload(created.body["upload"], PDF)
        measure("complete attachment", "POST", f"{one}/complete", 200)
        measure("get attachment (download link)", "GET", one, 200)
        measure("list attachments", "GET", base, 200)

        lying = api.call("POST", base, {**declared, "content_type": "image/png"})
        _upload(lying.body["upload"], PDF)
        path = f"{base}/{lying.body['attachment']['id']}/complete"
        # A file that is not what was declared: 409 since the contract work (was 422).
        measure("complete attachment (content refused)", "POST", path, 409)
        measure("delete attachment", "DELETE", one, 204)
    finally:
        counter.detach()
    section.data["rows"] = rows
    return section


def _upload(form: dict[str, Any], content: bytes) -> None:
    fields = form["fields"]
    response = httpx.post(
        form["url"],
        data=fields,
        files={"file": ("f", content, fields["Content-Type"])},
        timeout=10,
    )
    response.raise_for_status()
