"""``WebhookTransport`` in memory: records each POST and answers from a script."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from tasklane.domain.exchange.targets import IPAddress, WebhookTarget
from tasklane.domain.ports.webhooks import HttpOutcome


@dataclass(frozen=True, slots=True)
class Posted:
    target: WebhookTarget
    address: IPAddress
    body: bytes
    headers: dict[str, str]
    timeout: float


@dataclass
class ScriptedTransport:
    #: Answers, in order; the last one repeats. Default: 204.
    answers: list[HttpOutcome] = field(default_factory=list)
    posted: list[Posted] = field(default_factory=list)

    def post(
        self,
        target: WebhookTarget,
        address: IPAddress,
        body: bytes,
        headers: Mapping[str, str],
        timeout: float,
        keep_bytes: int,
    ) -> HttpOutcome:
        self.posted.append(Posted(target, address, body, dict(headers), timeout))
        if not self.answers:
            return HttpOutcome(204, b"", 3)
        answer = self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]
        return HttpOutcome(answer.status, answer.body[:keep_bytes], answer.latency_ms, answer.error)
