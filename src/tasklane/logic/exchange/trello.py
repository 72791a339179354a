"""Import a Trello board exported as JSON: the board becomes one project, each card a task.

- the card's list becomes a label (the board's columns stay visible), and decides the status
  when its name says so (``Done``, ``Doing``, ``In progress``, …); a card whose due date is
  ticked complete is done;
- the card's labels (a label without a name: its colour), its checklists (one checklist in
  Tasklane: items of further checklists are prefixed with their checklist's name) and its
  comments (``commentCard`` actions, oldest first; Trello's export holds the latest 1,000
  actions of a board) come along;
- an archived card, or a card in an archived list, is marked archived.

The first read collects the board, lists, labels, checklists and comments (bounded by
``max_side_items``); the second reads the cards one at a time.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from tasklane.domain.exchange.model import (
    ImportFormat,
    ImportItem,
    ImportRejected,
    import_key,
)
from tasklane.domain.exchange.options import ImportOptions
from tasklane.domain.models import Status
from tasklane.logic.exchange import fields as f
from tasklane.logic.exchange.dates import Due
from tasklane.logic.exchange.rows import (
    CommentDraft,
    RowReport,
    TaskDraft,
    build_project,
    build_task,
)
from tasklane.logic.exchange.sources import Opener, json_items, numbered
from tasklane.settings import ImportLimits

SOURCE = ImportFormat.trello
_DONE = re.compile(r"\b(done|complete|completed|finished|closed|shipped|released)\b")
_DOING = re.compile(r"\b(doing|in[ -]?progress|wip|working|started|in review|review)\b")


def status_for_list(name: str) -> Status:
    lowered = name.casefold()
    if _DONE.search(lowered):
        return Status.done
    if _DOING.search(lowered):
        return Status.in_progress
    return Status.todo


def _position(value: Mapping[str, Any]) -> float:
    pos = value.get("pos")
    return (
        float(pos) if isinstance(pos, int | float | Decimal) and not isinstance(pos, bool) else 0.0
    )


@dataclass(slots=True)
class _Board:
    id: str = ""
    name: str = ""
    desc: str = ""
    closed: bool = False
    lists: dict[str, tuple[str, bool]] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    #: card id → [(checklist position, checklist name, [(item position, text, done)])]
    checklists: dict[str, list[tuple[float, str, list[tuple[float, str, bool]]]]] = field(
        default_factory=lambda: defaultdict(list)
    )
    comments: dict[str, list[CommentDraft]] = field(default_factory=lambda: defaultdict(list))
    side_items: int = 0


_BOARD_PREFIXES = [
    "id",
    "name",
    "desc",
    "closed",
    "lists.item",
    "labels.item",
    "checklists.item",
    "actions.item",
]


def _read_board(opener: Opener, limits: ImportLimits) -> _Board:
    board = _Board()
    seen: set[str] = set()
    with opener() as raw:
        for prefix, value in json_items(raw, _BOARD_PREFIXES, max_bytes=limits.max_bytes):
            if "." not in prefix:
                if prefix not in seen:  # the top-level value, not a later duplicate key
                    seen.add(prefix)
                    _scalar(board, prefix, value)
                continue
            board.side_items += 1
            if board.side_items > limits.max_side_items:
                raise ImportRejected(
                    "too_many_items",
                    f"the board has more than {limits.max_side_items} lists, labels, "
                    "checklists and comments",
                    limit=limits.max_side_items,
                )
            _side_item(board, prefix, f.obj(value))
    if not board.id or "name" not in seen:
        raise ImportRejected("not_a_trello_board", "the file is not a Trello board export")
    for comments in board.comments.values():
        comments.reverse()  # Trello lists actions newest first
    return board


def _scalar(board: _Board, prefix: str, value: object) -> None:
    if prefix == "id" and isinstance(value, str):
        board.id = value[:200]
    elif prefix == "name" and isinstance(value, str):
        board.name = value
    elif prefix == "desc" and isinstance(value, str):
        board.desc = value
    elif prefix == "closed":
        board.closed = value is True


def _side_item(board: _Board, prefix: str, value: Mapping[str, Any]) -> None:
    item_id = f.ident(value, "id")
    if prefix == "lists.item" and item_id:
        board.lists[item_id] = (f.text(value, "name"), f.flag(value, "closed"))
    elif prefix == "labels.item" and item_id:
        board.labels[item_id] = f.text(value, "name") or f.text(value, "color")
    elif prefix == "checklists.item" and (card := f.ident(value, "idCard")):
        entries = [
            (_position(item), f.text(item, "name"), f.text(item, "state") == "complete")
            for item in map(f.obj, f.items(value, "checkItems"))
        ]
        board.side_items += len(entries)
        board.checklists[card].append((_position(value), f.text(value, "name"), entries))
    elif prefix == "actions.item" and f.text(value, "type") == "commentCard":
        data = f.obj(value.get("data"))
        card = f.ident(f.obj(data.get("card")), "id")
        member = f.obj(value.get("memberCreator"))
        if card:
            board.comments[card].append(
                CommentDraft(
                    body=f.text(data, "text"),
                    author=f.text(member, "fullName") or f.text(member, "username") or None,
                    created_at=f.instant(f.text(value, "date")),
                    source_id=item_id or None,
                )
            )


def _checklist(board: _Board, card_id: str) -> list[tuple[str, bool]]:
    lists = sorted(board.checklists.get(card_id, []), key=lambda entry: entry[0])
    items: list[tuple[str, bool]] = []
    for index, (_, name, entries) in enumerate(lists):
        prefix = f"{name}: " if index > 0 and name else ""
        items.extend(
            (f"{prefix}{text}", done) for _, text, done in sorted(entries, key=lambda e: e[0])
        )
    return items


def _card(board: _Board, card: Mapping[str, Any], row: int, report: RowReport) -> TaskDraft | None:
    card_id = f.ident(card, "id")
    if not card_id:
        report.error("id", "the card has no id")
        return None
    list_name, list_closed = board.lists.get(f.ident(card, "idList"), ("", False))
    status = status_for_list(list_name)
    if f.flag(card, "dueComplete"):
        status = Status.done
    due: Due | None = None
    if raw_due := f.text(card, "due"):
        when = f.instant(raw_due)
        if when is None:
            report.warn("due", f"{raw_due[:40]!r} is not a date-time; left out")
        else:
            due = Due(when)
    labels = [board.labels[i] for i in f.strings(card, "idLabels") if i in board.labels]
    if not labels:  # older exports embed the labels only
        labels = [
            f.text(label, "name") or f.text(label, "color")
            for label in map(f.obj, f.items(card, "labels"))
        ]
    if list_name:
        labels.insert(0, list_name)
    return TaskDraft(
        key=import_key(SOURCE, board.id, card_id),
        source_id=card_id,
        project_key=import_key(SOURCE, board.id),
        title=f.text(card, "name"),
        description=f.text(card, "desc"),
        status=status,
        due=due,
        labels=labels,
        checklist=_checklist(board, card_id),
        comments=board.comments.get(card_id, []),
        archived=f.flag(card, "closed") or list_closed,
    )


def parse(opener: Opener, options: ImportOptions, limits: ImportLimits) -> Iterator[ImportItem]:
    board = _read_board(opener, limits)
    yield build_project(
        import_key(SOURCE, board.id),
        board.id,
        board.name or options.project_name or "",
        board.desc,
        board.closed,
    )
    with opener() as raw:
        cards = (value for _, value in json_items(raw, ["cards.item"], max_bytes=limits.max_bytes))
        for row, value in numbered(cards, limits.max_rows, "cards"):
            card = f.obj(value)
            report = RowReport(row, f.ident(card, "id") or None)
            draft = _card(board, card, row, report)
            if draft is None:
                yield from report.problems
            else:
                yield from build_task(draft, row, limits, report)
