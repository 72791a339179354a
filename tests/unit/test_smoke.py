"""The smoke test's parts that need no stack: the runner's order and clean-ups, and what it
reads from the web app's source. (It runs against the real stack in tests/e2e.)"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from smoke.runner import Runner, SmokeFailure
from smoke.webapp import auth_calls, auth_flows, explicit_flow, login_flow


def test_steps_run_in_order_and_clean_ups_in_reverse() -> None:
    done: list[str] = []
    out = io.StringIO()
    runner = Runner(out)

    def make(name: str) -> None:
        done.append(name)
        runner.cleanup(f"undo {name}", lambda: done.append(f"undo {name}"))

    code = runner.run([("one", lambda: make("one")), ("two", lambda: make("two"))])

    assert code == 0
    assert done == ["one", "two", "undo two", "undo one"]
    assert out.getvalue().splitlines()[0].startswith("ok   one (")
    assert out.getvalue().splitlines()[-1].startswith("smoke test passed: 4 steps")


def test_a_failed_step_stops_the_scenario_and_still_cleans_up() -> None:
    done: list[str] = []
    out = io.StringIO()
    runner = Runner(out)

    def make() -> None:
        done.append("made")
        runner.cleanup("remove it", lambda: done.append("removed"))

    def fail() -> None:
        raise SmokeFailure("GET /search: expected 200, got 502")

    code = runner.run([("make", make), ("fail", fail), ("never", lambda: done.append("never"))])

    assert code == 1
    assert done == ["made", "removed"]
    text = out.getvalue()
    assert "FAIL fail (" in text
    assert "GET /search: expected 200, got 502" in text
    assert "ok   clean-up: remove it" in text
    assert text.splitlines()[-1].startswith("smoke test FAILED")


def test_a_failed_clean_up_fails_the_run_and_the_others_still_run() -> None:
    done: list[str] = []
    runner = Runner(io.StringIO())

    def broken() -> None:
        raise RuntimeError("throttled")

    def register() -> None:
        runner.cleanup("first", lambda: done.append("first"))
        runner.cleanup("broken", broken)

    assert runner.run([("register", register)]) == 1
    assert done == ["first"]
    assert [o.ok for o in runner.outcomes] == [True, False, True]
    assert runner.outcomes[1].detail == "RuntimeError: throttled"


def _write(root: Path, name: str, text: str) -> None:
    path = root / "src" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


def test_the_web_app_s_flows_are_read_from_its_source(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "lib/auth.ts",
        'new sdk.InitiateAuthCommand({ ClientId: id, AuthFlow: "USER_SRP_AUTH",\n'
        "  AuthParameters: { USERNAME: email, SRP_A: a } })\n"
        "new sdk.InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', AuthParameters: {\n"
        "  USERNAME: email, PASSWORD: password } })\n",
    )
    _write(
        tmp_path,
        "app/token/route.ts",
        'x({ AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: { REFRESH_TOKEN: t } })',
    )
    _write(tmp_path, "lib/auth.test.ts", 'x({ AuthFlow: "CUSTOM_AUTH", AuthParameters: {} })')
    sources = tmp_path / "src"

    assert auth_flows(sources) == {"USER_SRP_AUTH", "USER_PASSWORD_AUTH", "REFRESH_TOKEN_AUTH"}
    assert login_flow(sources) == "USER_PASSWORD_AUTH"
    assert {c.source for c in auth_calls(sources)} == {"src/lib/auth.ts", "src/app/token/route.ts"}


def test_no_password_log_in_is_an_error(tmp_path: Path) -> None:
    _write(tmp_path, "lib/auth.ts", 'x({ AuthFlow: "REFRESH_TOKEN_AUTH", AuthParameters: {} })')
    with pytest.raises(LookupError, match="PASSWORD"):
        login_flow(tmp_path / "src")


def test_the_real_web_app_logs_in_with_a_password() -> None:
    assert login_flow() == "USER_PASSWORD_AUTH"
    assert explicit_flow("REFRESH_TOKEN_AUTH") == "ALLOW_REFRESH_TOKEN_AUTH"
    assert explicit_flow("REFRESH_TOKEN") == "ALLOW_REFRESH_TOKEN_AUTH"
