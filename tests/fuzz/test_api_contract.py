"""Property-based fuzzing of the whole HTTP API against its own OpenAPI document.

Every operation ``GET /openapi.json`` lists, as a real logged-in user, through the local
gateway: zero 5xx and zero responses that break the document (status, content type, body
schema, headers), and invalid input must be refused. Bounded here (seeded, ~1.5 min on 2
cores); ``make fuzz`` runs the same with more examples, a time budget and a random seed.
"""

from __future__ import annotations

import os
from pathlib import Path

from tests.e2e.support import StackProcess

from .schemathesis_run import run_fuzz

#: The bounded run of `make test`; `make fuzz` overrides them through the environment.
MAX_EXAMPLES = int(os.environ.get("TASKLANE_FUZZ_EXAMPLES", "8"))
MAX_TIME = (
    int(os.environ["TASKLANE_FUZZ_SECONDS"]) if "TASKLANE_FUZZ_SECONDS" in os.environ else None
)
SEED = (
    None
    if os.environ.get("TASKLANE_FUZZ_SEED") == "random"
    else int(os.environ.get("TASKLANE_FUZZ_SEED", "20261125"))
)


def test_every_operation_keeps_its_documented_contract(
    stack: StackProcess, id_token: str, tmp_path: Path
) -> None:
    run = run_fuzz(
        stack.api_url,
        id_token,
        tmp_path,
        max_examples=MAX_EXAMPLES,
        max_time=MAX_TIME,
        seed=SEED,
    )
    print(run.summary())  # shown with -s / in `make fuzz`
    ops = run.operations
    # The document lists every route (including ones added after this test was written):
    # all of them were exercised, none errored out of the run.
    assert ops["total"] >= 20, ops
    assert ops["tested"] == ops["total"], ops
    assert ops["errored"] == 0, ops
    assert run.cases >= 5 * ops["total"], run.summary()
    detail = f"{run.summary()}\n{run.failures}\n{run.output[-12000:]}"
    assert not run.failures, detail
    assert run.exit_code == 0, detail
    stderr = stack.stderr()
    assert "Traceback" not in stderr, stderr[-4000:]
