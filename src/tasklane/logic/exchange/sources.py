"""Reading an uploaded file in bounded memory: a byte budget for the whole file, a budget per
CSV record, and JSON arrays read item by item.

A source is an *opener*: a callable that returns a fresh binary stream from the file's start
each time it is called (an S3 GET, a local file). JSON formats read their file twice — first
the small side tables (projects, lists, labels), then the tasks one by one — so the tasks
never have to be held together.
"""

from __future__ import annotations

import contextlib
import csv
import io
import shutil
import tempfile
import zipfile
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import IO, Any, BinaryIO, TypeVar

import ijson

from tasklane.domain.exchange.model import ImportRejected, ImportTooLarge

T = TypeVar("T")

#: Returns a new stream positioned at the start of the file; the caller closes it.
Opener = Callable[[], BinaryIO]

#: How much is read from the source at a time.
CHUNK_BYTES = 64 * 1024


class LimitedReader(io.RawIOBase):
    """A read-only view of ``raw`` that refuses to go past ``limit`` bytes (413)."""

    def __init__(self, raw: BinaryIO, limit: int) -> None:
        super().__init__()
        self._raw = raw
        self._limit = limit
        self.offset = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        # One byte past the limit is asked for, so a file of exactly ``limit`` bytes passes.
        data = self._raw.read(min(len(view), self._limit - self.offset + 1))
        if not data:
            return 0
        self.offset += len(data)
        if self.offset > self._limit:
            raise ImportTooLarge(
                "file_too_large",
                f"the file is larger than {self._limit} bytes",
                limit=self._limit,
            )
        view[: len(data)] = data
        return len(data)


def limited(raw: BinaryIO, limit: int) -> io.BufferedReader:
    return io.BufferedReader(LimitedReader(raw, limit), buffer_size=CHUNK_BYTES)


def numbered(values: Iterable[T], limit: int, what: str) -> Iterator[tuple[int, T]]:
    """``(1-based position, value)``, refusing the file (422) past ``limit`` values."""
    for position, value in enumerate(values, start=1):
        if position > limit:
            raise ImportRejected(
                "too_many_rows",
                f"the file has more than {limit} {what}",
                row=position,
                limit=limit,
            )
        yield position, value


# ZIP --------------------------------------------------------------------------------------

ZIP_MAGIC = b"PK\x03\x04"
_ZIP_ERRORS = (zipfile.BadZipFile, zlib.error, EOFError, OSError, ValueError, NotImplementedError)


class _Member(io.RawIOBase):
    """One ZIP member as a stream; closing it closes the archive and the file under it.
    A damaged archive refuses the file (422) however far into it the damage is."""

    def __init__(self, stack: contextlib.ExitStack, member: IO[bytes]) -> None:
        super().__init__()
        self._stack = stack
        self._member = member

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        view = memoryview(buffer).cast("B")
        try:
            data = self._member.read(len(view))
        except _ZIP_ERRORS as exc:
            raise ImportRejected("malformed_zip", f"the ZIP file is damaged: {exc}") from exc
        view[: len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self._stack.close()
        super().close()


def zip_member(opener: Opener, name: str, max_bytes: int) -> Opener:
    """``opener`` itself, unless the file is a ZIP: then an opener of its member ``name``.

    A ZIP is read from its end (the central directory), so a source that cannot seek is
    first copied to a temporary file (at most ``max_bytes``: 413 past that). The member's
    uncompressed bytes are counted by the reader as any file's are, so a ZIP bomb stops at
    the same limit.
    """
    with opener() as raw:
        if raw.read(len(ZIP_MAGIC)) != ZIP_MAGIC:
            return opener

    def open_member() -> BinaryIO:
        # Handed to the stream returned, which closes it: not a with block here.
        stack = contextlib.ExitStack()
        try:
            raw = stack.enter_context(opener())
            if not raw.seekable():
                copy = stack.enter_context(tempfile.TemporaryFile())  # noqa: SIM115 - the stack closes it
                shutil.copyfileobj(limited(raw, max_bytes), copy, CHUNK_BYTES)
                copy.seek(0)
                raw = copy
            archive = stack.enter_context(zipfile.ZipFile(raw))
            member = stack.enter_context(archive.open(name))
        except KeyError as exc:
            stack.close()
            raise ImportRejected("not_a_tasklane_export", f"the ZIP file has no {name}") from exc
        except _ZIP_ERRORS as exc:
            stack.close()
            raise ImportRejected("malformed_zip", f"the file is not a readable ZIP: {exc}") from exc
        except BaseException:
            stack.close()
            raise
        return io.BufferedReader(_Member(stack, member), CHUNK_BYTES)

    return open_member


# CSV --------------------------------------------------------------------------------------


class _RecordBudget:
    """Feeds a csv reader physical lines, and stops one record from growing past ``limit``
    bytes: a quoted field that never ends would otherwise take the rest of the file."""

    def __init__(self, text: io.TextIOBase, limit: int) -> None:
        self._text = text
        self._limit = limit
        self.used = 0
        self.record = 1

    def __iter__(self) -> Iterator[str]:
        while True:
            # Characters, not bytes, are asked for; each is at least one byte, so the
            # budget below (in bytes) is what stops a long line.
            line = self._text.readline(self._limit - self.used + 1)
            if not line:
                return
            self.used += len(line.encode("utf-8", "surrogatepass"))
            if self.used > self._limit:
                raise ImportTooLarge(
                    "row_too_large",
                    f"record {self.record} is larger than {self._limit} bytes",
                    row=self.record,
                    limit=self._limit,
                )
            yield line


def csv_records(
    raw: BinaryIO, *, max_bytes: int, max_row_bytes: int, delimiter: str = ","
) -> Iterator[tuple[int, list[str]]]:
    """``(record number, fields)`` for each CSV record, the header being record 1.

    UTF-8 (a leading BOM is dropped, as Excel writes one); any line ending; quoted fields
    may span lines. Malformed quoting or bytes that are not UTF-8 refuse the file (422)
    with the record where it happened.
    """
    text = io.TextIOWrapper(limited(raw, max_bytes), encoding="utf-8-sig", newline="")
    budget = _RecordBudget(text, max_row_bytes)
    reader = csv.reader(budget, delimiter=delimiter, strict=True)
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise ImportTooLarge(
                    "row_too_large",
                    f"record {budget.record} has a field larger than {csv.field_size_limit()}"
                    " characters",
                    row=budget.record,
                ) from exc
            raise ImportRejected(
                "malformed_csv", f"record {budget.record}: {exc}", row=budget.record
            ) from exc
        except UnicodeDecodeError as exc:
            raise ImportRejected(
                "not_utf8", f"record {budget.record} is not UTF-8 text", row=budget.record
            ) from exc
        yield budget.record, fields
        budget.record += 1
        budget.used = 0


# JSON -------------------------------------------------------------------------------------


def json_items(
    raw: BinaryIO, prefixes: Sequence[str], *, max_bytes: int
) -> Iterator[tuple[str, object]]:
    """``(prefix, value)`` for every value at each ijson ``prefix`` (``"cards.item"``: each
    element of the top-level ``cards`` array; ``"id"``: the top-level ``id``), in one read.

    Each prefix has its own incremental parser (C, from ijson), fed the same chunks: values
    come out as soon as they are complete, so memory holds one chunk and the values of the
    current chunk, never the file. Any syntax error refuses the file (422) with its offset.
    """
    stream = limited(raw, max_bytes)
    sinks = [ijson.sendable_list() for _ in prefixes]
    parsers = [ijson.items_coro(sink, prefix) for sink, prefix in zip(sinks, prefixes, strict=True)]
    offset = 0
    try:
        while True:
            chunk = stream.read(CHUNK_BYTES)
            for parser in parsers:
                if chunk:
                    parser.send(chunk)
                else:
                    parser.close()  # the end: an unfinished document raises here
            for sink, prefix in zip(sinks, prefixes, strict=True):
                yield from ((prefix, value) for value in sink)
                sink.clear()
            if not chunk:
                return
            offset += len(chunk)
    except (ijson.JSONError, ValueError, UnicodeError) as exc:
        raise ImportRejected(
            "malformed_json",
            f"the file is not valid JSON (near byte {offset}): {str(exc)[:200]}",
            offset=offset,
        ) from exc
