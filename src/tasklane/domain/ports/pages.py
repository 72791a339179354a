"""Pages of a list: the values every paged port returns."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

#: DynamoDB's LastEvaluatedKey, flattened to strings (every key attribute is a string).
PageKey = dict[str, str]

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    items: Sequence[T]
    next_key: PageKey | None
