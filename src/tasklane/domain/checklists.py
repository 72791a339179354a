"""Checklists: a task's ordered list of items to tick.

A task has at most :data:`MAX_ITEMS` items of 1-:data:`MAX_ITEM_TEXT` characters. Items are
ordered by a ``position`` key (:mod:`tasklane.domain.positions`), ties broken by id, so adding
or moving an item writes that item only: two users working on different items never touch
the same data. The functions here are the rules; reading and writing the items is the
adapters' business.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Annotated, Any

from pydantic import AfterValidator, ConfigDict, Field, field_validator

from tasklane.domain import patterns
from tasklane.domain.base import Model, patch_schema
from tasklane.domain.errors import Conflict, ValidationFailed
from tasklane.domain.ids import ULID_PATTERN, new_ulid
from tasklane.domain.positions import is_position, key_at
from tasklane.domain.text import MAX_DESCRIPTION, MAX_TITLE, _length, _single_line

MAX_ITEMS = 100
#: Each item is its task item's attribute ``chk_<item id>`` (DynamoDB; the stream's images
#: show them so too).
ATTRIBUTE_PREFIX = "chk_"
MAX_ITEM_TEXT = 500
#: Positions grow by about a character per insertion at the same place; far beyond any use.
MAX_POSITION = 100
_ITEM_ID = re.compile(r"[0-9a-hjkmnp-tv-z]{26}")

#: One line of 1-500 characters after trimming.
ItemText = Annotated[
    str,
    Field(max_length=MAX_ITEM_TEXT * 4),
    AfterValidator(_single_line),
    AfterValidator(lambda v: _length(v, 1, MAX_ITEM_TEXT)),
    Field(json_schema_extra={"pattern": patterns.single_line(MAX_ITEM_TEXT)}),
]
#: Item ids are ULIDs: any other value names no item (422 as a neighbour).
_NEIGHBOUR: dict[str, Any] = {"pattern": ULID_PATTERN}


def is_item_id(value: str) -> bool:
    """Item ids are ULIDs; anything else names no item (404)."""
    return bool(_ITEM_ID.fullmatch(value))


class ChecklistItem(Model):
    id: str
    text: str
    done: bool = False
    position: str = Field(description="Sorts the list (with the id); opaque to clients.")
    done_by: str | None = Field(default=None, description="Who ticked it (null if not done).")
    done_at: str | None = None

    def ticked(self, done: bool, user_id: str, at: str) -> ChecklistItem:
        """The item ticked or unticked. Ticking a ticked item keeps who ticked it first."""
        if done == self.done:
            return self
        return self.model_copy(
            update={
                "done": done,
                "done_by": user_id if done else None,
                "done_at": at if done else None,
            }
        )


class _Input(Model):
    model_config = ConfigDict(extra="forbid", defer_build=True)


class Placement(_Input):
    """Where an item goes: before one item, after another, or (both null) at the end."""

    before: str | None = Field(
        default=None,
        description="The id of the item it goes before.",
        json_schema_extra=_NEIGHBOUR,
    )
    after: str | None = Field(
        default=None,
        description="The id of the item it goes after.",
        json_schema_extra=_NEIGHBOUR,
    )
    position: str | None = Field(
        default=None,
        max_length=MAX_POSITION,
        json_schema_extra={"pattern": patterns.position()},
        description="The position itself, between its neighbours' (fractional indexing, as "
        "the npm package computes it): the write then needs no read of the checklist. "
        "Instead of `before`/`after`.",
    )

    @field_validator("position")
    @classmethod
    def _a_position(cls, value: str | None) -> str | None:
        if value is not None and not is_position(value):
            raise ValueError("must be a fractional-indexing key, e.g. a0")
        return value

    @property
    def needs_neighbours(self) -> bool:
        """Placing by neighbours' ids needs the checklist read first."""
        return self.position is None and (self.before is not None or self.after is not None)

    @property
    def moves(self) -> bool:
        return self.position is not None or self.before is not None or self.after is not None


class ChecklistItemCreate(Placement):
    text: ItemText


#: What a patch must send (422 "send text, done or a placement" otherwise): text, done, or
#: a placement that is not null.
_SOMETHING_TO_CHANGE: dict[str, Any] = {
    "anyOf": [
        {"required": [name], "properties": {name: {"type": kind}}}
        for name, kind in (
            ("text", "string"),
            ("done", "boolean"),
            ("position", "string"),
            ("before", "string"),
            ("after", "string"),
        )
    ]
}


class ChecklistItemPatch(Placement):
    """Only the fields sent change; neither may be null. A placement moves the item."""

    model_config = ConfigDict(
        json_schema_extra=patch_schema(
            nullable=("before", "after", "position"), extra=_SOMETHING_TO_CHANGE
        )
    )

    text: ItemText | None = None
    done: bool | None = None

    @field_validator("text", "done", mode="before")
    @classmethod
    def _not_null(cls, value: object) -> object:
        # Omitted means "unchanged"; an explicit null would mean nothing, so it is refused.
        if value is None:
            raise ValueError("cannot be null")
        return value

    def changes(self) -> dict[str, Any]:
        """Text and tick (the placement is not a field of the item)."""
        return self.model_dump(exclude_unset=True, include={"text", "done"})


class ChecklistFull(Conflict):
    code = "checklist_full"


@dataclass(frozen=True, slots=True)
class Progress:
    done: int
    total: int

    def __str__(self) -> str:
        return f"{self.done}/{self.total}"


def ordered(items: Sequence[ChecklistItem]) -> list[ChecklistItem]:
    return sorted(items, key=lambda item: (item.position, item.id))


def progress(items: Sequence[ChecklistItem]) -> Progress:
    """What a task list shows: "3/7"."""
    return Progress(done=sum(item.done for item in items), total=len(items))


def _index(items: Sequence[ChecklistItem], item_id: str, role: str) -> int:
    for index, item in enumerate(items):
        if item.id == item_id:
            return index
    raise ValidationFailed(f"{role} names no item of this checklist", {"field": role})


def position_for(
    items: Sequence[ChecklistItem], placement: Placement, moving: str | None = None
) -> str:
    """The position for an item placed as ``placement`` says, among ``items`` (the task's
    checklist, in any order). ``moving``: the id of an item being moved (it is not its own
    neighbour). With both ``before`` and ``after``, ``after`` decides; they must not
    contradict each other. ValidationFailed (422) for ids that name no item."""
    others = [item for item in ordered(items) if item.id != moving]
    if moving is not None and moving in (placement.before, placement.after):
        raise ValidationFailed("an item cannot be placed next to itself")
    if placement.after is not None:
        index = _index(others, placement.after, "after") + 1
        if placement.before is not None and _index(others, placement.before, "before") < index:
            raise ValidationFailed("before and after are in the wrong order")
    elif placement.before is not None:
        index = _index(others, placement.before, "before")
    else:
        index = len(others)
    return key_at([item.position for item in others], index)


def new_item(items: Sequence[ChecklistItem], create: ChecklistItemCreate) -> ChecklistItem:
    """A new item for ``create`` in a checklist that holds ``items``: ChecklistFull (409)
    at :data:`MAX_ITEMS`."""
    if len(items) >= MAX_ITEMS:
        raise ChecklistFull(f"a checklist holds at most {MAX_ITEMS} items")
    position = create.position or position_for(items, create)
    return ChecklistItem(id=new_ulid(), text=create.text, position=position)


def unticked(items: Sequence[ChecklistItem]) -> list[ChecklistItem]:
    """The checklist a task's next occurrence starts with: the same items, none ticked."""
    return [
        item.model_copy(update={"done": False, "done_by": None, "done_at": None}) for item in items
    ]


def task_fields(item: ChecklistItem) -> dict[str, str]:
    """Title and description of a task made from an item. Item texts may be longer than a
    title: then the title is cut at a word and the whole text becomes the description."""
    if len(item.text) <= MAX_TITLE:
        return {"title": item.text, "description": ""}
    cut = item.text[: MAX_TITLE - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return {"title": cut.rstrip() + "…", "description": item.text[:MAX_DESCRIPTION]}
