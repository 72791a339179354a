"""The reminders schedule, locally: what EventBridge does in AWS.

Every ``interval`` seconds (default: :data:`tasklane.resources.REMINDER_INTERVAL_MINUTES`)
it runs the reminders function's work in-process (:func:`tasklane.handlers.reminders.run_once`).
Runs never overlap here; in AWS they may, and the claim in PostgreSQL makes that safe.
"""

from __future__ import annotations

import logging
import threading

from tasklane.resources import REMINDER_INTERVAL_MINUTES

log = logging.getLogger(__name__)


class ReminderTimer:
    def __init__(self, interval: float = REMINDER_INTERVAL_MINUTES * 60.0) -> None:
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="tasklane-reminders", daemon=True)
        self.runs = 0

    def start(self) -> ReminderTimer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout=30)

    def run_once(self) -> int:
        from tasklane.handlers.reminders import run_once

        enqueued = run_once()
        self.runs += 1
        return enqueued

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self.run_once()
            except Exception:
                # A failed run rolled its claims back; the next tick tries them again.
                log.exception("the reminders run failed")
