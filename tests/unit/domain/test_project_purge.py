"""The purge planner (domain/project_purge.py): memberships first, the project item last."""

from __future__ import annotations

from tasklane.domain.project_purge import BATCH_SIZE, PurgeStep, plan


def test_nothing_but_the_project_item_left_finishes() -> None:
    assert plan(["PROJECT"]) == PurgeStep(batches=(), finish=True)
    assert plan([]) == PurgeStep(batches=(), finish=True)


def test_the_project_item_is_never_in_a_batch() -> None:
    step = plan(["ACTIVITY#1", "PROJECT", "TASK#1"])
    assert step == PurgeStep(batches=(("ACTIVITY#1", "TASK#1"),), finish=False)


def test_memberships_go_first_whatever_their_place_in_the_page() -> None:
    found = ["ACTIVITY#1", "COMMENT#a#1", "MEMBER#bob", "TASK#1", "MEMBER#carol", "WEBHOOK#1"]
    step = plan(found, batch_size=2)
    assert step.batches == (
        ("MEMBER#bob", "MEMBER#carol"),
        ("ACTIVITY#1", "COMMENT#a#1"),
        ("TASK#1", "WEBHOOK#1"),
    )
    assert not step.finish


def test_batches_hold_at_most_one_batch_write_and_no_key_twice() -> None:
    found = [f"TASK#{n:03d}" for n in range(BATCH_SIZE * 2 + 3)]
    step = plan([*found, found[0]])
    assert [len(batch) for batch in step.batches] == [BATCH_SIZE, BATCH_SIZE, 3]
    assert [sk for batch in step.batches for sk in batch] == found
