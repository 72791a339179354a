"""Identifiers: a task id carries its project; anything malformed is simply unknown."""

from __future__ import annotations

import pytest

from tasklane.domain.ids import (
    inbox_project_id,
    is_project_id,
    new_project_id,
    new_task_id,
    split_task_id,
)

PROJECT = "01jq3v6b8k2m4n5p7r9s0t1w3x"
ULID = "01jq3v6b8k2m4n5p7r9s0t1w3y"


def test_new_ids_are_lower_case_ulids() -> None:
    project_id = new_project_id()
    assert is_project_id(project_id)
    assert project_id == project_id.lower()
    assert len(project_id) == 26


def test_task_id_carries_its_project() -> None:
    project_id = new_project_id()
    task_id = new_task_id(project_id)
    parts = split_task_id(task_id)
    assert parts is not None
    assert parts[0] == project_id
    assert is_project_id(parts[1])
    assert task_id == f"{project_id}-{parts[1]}"


def test_task_ids_are_unique() -> None:
    project_id = new_project_id()
    assert len({new_task_id(project_id) for _ in range(500)}) == 500


def test_inbox_id_is_derived_from_the_user() -> None:
    assert inbox_project_id("user-a") == inbox_project_id("user-a")
    assert inbox_project_id("user-a") != inbox_project_id("user-b")
    assert is_project_id(inbox_project_id("user-a"))


@pytest.mark.parametrize(
    "value",
    [
        "",
        "inbox",
        PROJECT.upper(),
        PROJECT[:-1],
        PROJECT + "0",
        PROJECT[:-1] + "u",  # not Crockford base32
        PROJECT[:-1] + "i",
        PROJECT[:-1] + "l",
        PROJECT[:-1] + "o",
        f" {PROJECT}",
        f"{PROJECT}-{ULID}",
        "../" + PROJECT[3:],
    ],
)
def test_garbage_is_not_a_project_id(value: str) -> None:
    assert not is_project_id(value)


@pytest.mark.parametrize(
    "value",
    [
        "",
        PROJECT,
        f"{PROJECT}{ULID}",
        f"{PROJECT}_{ULID}",
        f"{PROJECT}-{ULID}-{ULID}",
        f"{PROJECT.upper()}-{ULID}",
        f"{PROJECT}-{ULID[:-1]}",
        f"{PROJECT}-{ULID[:-1]}u",
        f"-{ULID}",
        f"{PROJECT}-",
        f"{PROJECT}-{ULID} ",
    ],
)
def test_garbage_is_not_a_task_id(value: str) -> None:
    assert split_task_id(value) is None


def test_trailing_newline_is_not_an_id() -> None:
    assert not is_project_id(PROJECT + "\n")
    assert split_task_id(f"{PROJECT}-{ULID}\n") is None
