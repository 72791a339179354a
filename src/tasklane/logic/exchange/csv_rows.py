"""What the two CSV formats share: finding columns by header name, and a stable key for rows
that carry no id of their own."""

from __future__ import annotations

import hashlib
from array import array
from collections.abc import Iterable, Iterator, Sequence
from typing import BinaryIO

from tasklane.domain.exchange.model import ImportFormat, ImportRejected, import_key
from tasklane.logic.exchange.sources import csv_records


def _name(header: str) -> str:
    return " ".join(header.split()).casefold()


class Header:
    """Column positions by name: case and surrounding spaces do not matter."""

    def __init__(self, names: Sequence[str]) -> None:
        self.names = [name.strip() for name in names]
        self._index: dict[str, int] = {}
        self._twice: set[str] = set()
        for position, name in enumerate(self.names):
            key = _name(name)
            if key in self._index:
                self._twice.add(key)
            self._index.setdefault(key, position)

    def find(self, name: str) -> int | None:
        return self._index.get(_name(name))

    def require(self, wanted: Iterable[str]) -> None:
        """Refuse the file (422) if a wanted column is missing or appears twice."""
        missing = [name for name in wanted if self.find(name) is None]
        if missing:
            raise ImportRejected(
                "wrong_columns",
                f"the header has no column {', '.join(repr(m) for m in missing)}; it has "
                f"{', '.join(repr(n) for n in self.names[:30])}",
                row=1,
            )
        doubled = [name for name in wanted if _name(name) in self._twice]
        if doubled:
            raise ImportRejected(
                "wrong_columns",
                f"the header names {', '.join(repr(d) for d in doubled)} more than once",
                row=1,
            )


def cell(fields: Sequence[str], position: int | None) -> str:
    """The field at ``position`` ("" if the row is shorter), Windows line ends inside it
    made ``\\n``."""
    if position is None or position >= len(fields):
        return ""
    return fields[position].replace("\r\n", "\n")


class Occurrences:
    """How often each value came before, and on which row it came first, in about 20
    bytes per distinct value: its 8-byte digest, first row and count in three arrays, and
    an open-addressing table of positions into them. (A dict of the strings cost ~100
    bytes per row: 1 MiB for a file of 10,000 rows, 10 MiB at the row limit; the rows
    themselves are never held.) Two values share a digest once in ~10^9 files of 100,000
    rows; they would then count as one."""

    _EMPTY = -1

    def __init__(self) -> None:
        self._digests = array("Q")
        self._first_rows = array("I")
        self._counts = array("I")
        self._slots = array("i", [self._EMPTY]) * 16

    def note(self, value: str, row: int = 0) -> tuple[int, int]:
        """``(count, first row)``: the times ``value`` was noted, this one included, and
        the row it was noted on first (``row`` itself the first time)."""
        digest = int.from_bytes(
            hashlib.blake2b(value.encode("utf-8", "surrogatepass"), digest_size=8).digest()
        )
        mask = len(self._slots) - 1
        slot = digest & mask
        while (position := self._slots[slot]) != self._EMPTY:
            if self._digests[position] == digest:
                self._counts[position] += 1
                return self._counts[position], self._first_rows[position]
            slot = (slot + 1) & mask
        self._slots[slot] = len(self._digests)
        self._digests.append(digest)
        self._first_rows.append(row)
        self._counts.append(1)
        if len(self._digests) * 4 > len(self._slots) * 3:  # keep a quarter free
            self._grow()
        return 1, row

    def _grow(self) -> None:
        self._slots = array("i", [self._EMPTY]) * (len(self._slots) * 2)
        mask = len(self._slots) - 1
        for position, digest in enumerate(self._digests):
            slot = digest & mask
            while self._slots[slot] != self._EMPTY:
                slot = (slot + 1) & mask
            self._slots[slot] = position


class ContentKeys:
    """Keys for rows without an id: the row's content, and how often that content came
    before (two identical rows are two tasks). The same file gives the same keys."""

    def __init__(self, source: ImportFormat) -> None:
        self._source = source
        self._seen = Occurrences()

    def key(self, *content: str) -> str:
        base = import_key(self._source, "row", *content)
        count, _ = self._seen.note(base)
        return import_key(self._source, "row", *content, str(count))


def records(
    raw: BinaryIO, *, max_bytes: int, max_row_bytes: int, delimiter: str = ","
) -> tuple[Header, Iterator[tuple[int, list[str]]]]:
    """The header, and the records after it (numbered as a spreadsheet does: header = 1)."""
    rows = csv_records(raw, max_bytes=max_bytes, max_row_bytes=max_row_bytes, delimiter=delimiter)
    for _, first in rows:
        if any(field.strip() for field in first):
            return Header(first), rows
    raise ImportRejected("empty_file", "the file has no header row", row=1)
