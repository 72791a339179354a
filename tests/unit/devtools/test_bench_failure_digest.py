"""The web benchmark's failure digest: a CI log shows only its tail, so what failed and why
must be there, not Playwright's listing of attachments."""

from __future__ import annotations

from benchmarks.web_interaction import failure_digest

# Playwright's list reporter, as it printed a benchmark that timed out (shortened).
OUTPUT = """
Running 2 tests using 1 worker

  x  1 [chromium] > e2e-bench/interaction.spec.ts:83:1 > complete, create and move (10.0m)

  1) [chromium] > e2e-bench/interaction.spec.ts:83:1 > complete, create and move

    Test timeout of 600000ms exceeded.

    Error: locator.click: Test timeout of 600000ms exceeded.
    Call log:
      - waiting for getByRole('checkbox', { name: 'Reopen Toggle me' })

        at /web/e2e-bench/interaction.spec.ts:96:7

    attachment #1: screenshot (image/png) ──────────────────────────
    test-results/playwright/interaction/test-failed-1.png
    ────────────────────────────────────────────────────────────────

    Error Context: test-results/playwright/interaction/error-context.md

    attachment #4: trace (application/zip) ─────────────────────────
    test-results/playwright/interaction/trace.zip

  1 failed
    [chromium] > e2e-bench/interaction.spec.ts:83:1 > complete, create and move
  1 did not run
"""


def test_the_digest_names_the_failed_test_and_its_first_error_lines() -> None:
    digest = failure_digest(OUTPUT).splitlines()
    assert digest[0] == "--- what failed (first lines) ---"
    assert digest[1].startswith("failed: 1) [chromium] > e2e-bench/interaction.spec.ts:83")
    assert "  Test timeout of 600000ms exceeded." in digest
    assert "  Error: locator.click: Test timeout of 600000ms exceeded." in digest
    assert "  - waiting for getByRole('checkbox', { name: 'Reopen Toggle me' })" in digest
    assert digest[-2:] == ["1 failed", "1 did not run"]
    assert not any("attachment" in line or "trace.zip" in line for line in digest)
    assert len(digest) < 20


def test_a_run_without_failures_digests_to_its_heading_and_summary() -> None:
    digest = failure_digest("  2 passed (2.5m)\n").splitlines()
    assert digest == ["--- what failed (first lines) ---", "2 passed (2.5m)"]
