"""DynamoDB item sizes as DynamoDB bills them, measured on the items a load run left.

Size rules (DynamoDB developer guide, "Item sizes and formats"): each attribute costs its
name's UTF-8 length plus its value: strings their UTF-8 length, numbers about one byte per
two significant digits plus one, binary its length, booleans and null one byte, lists and
maps 3 bytes plus one per element plus their contents (a map's keys count as names).
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any


def value_size(value: dict[str, Any]) -> int:
    ((kind, raw),) = value.items()
    if kind == "S":
        return len(raw.encode())
    if kind == "N":
        digits = raw.lstrip("-").replace(".", "").strip("0") or "0"
        return math.ceil(len(digits) / 2) + 1
    if kind == "B":
        return len(raw)
    if kind in ("BOOL", "NULL"):
        return 1
    if kind == "SS":
        return sum(len(s.encode()) for s in raw)
    if kind == "NS":
        return sum(value_size({"N": n}) for n in raw)
    if kind == "L":
        return 3 + sum(1 + value_size(v) for v in raw)
    if kind == "M":
        return 3 + sum(1 + len(k.encode()) + value_size(v) for k, v in raw.items())
    raise ValueError(f"unknown DynamoDB type {kind}")


def item_size(item: dict[str, dict[str, Any]]) -> int:
    return sum(len(name.encode()) + value_size(value) for name, value in item.items())


def sizes_by_type(dynamodb: Any, table: str) -> dict[str, list[int]]:
    """Every item of the table (a Scan: an offline measurement), sizes grouped by ``type``
    (idempotency records and the like by their key prefix)."""
    sizes: dict[str, list[int]] = defaultdict(list)
    for page in dynamodb.get_paginator("scan").paginate(TableName=table):
        for item in page.get("Items", []):
            kind = item.get("type", {}).get("S") or item["pk"]["S"].split("#", 1)[0].lower()
            sizes[kind].append(item_size(item))
    return dict(sizes)


def summary(sizes: dict[str, list[int]]) -> list[tuple[str, int, float, int, int]]:
    """(type, items, mean bytes, p95 bytes, max bytes), most numerous first."""
    rows = []
    for kind, values in sizes.items():
        ordered = sorted(values)
        p95 = ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]
        rows.append((kind, len(values), sum(values) / len(values), p95, ordered[-1]))
    return sorted(rows, key=lambda row: -row[1])
