"""Full-text search over the caller's projects.

Any string is a valid query. It is cleaned (control characters and unpaired surrogates
dropped), then parsed by PostgreSQL itself — ``websearch_to_tsquery`` (quotes, ``or``,
``-word``) — never by string concatenation into SQL. The last plain word also matches as a
prefix (search as you type): it is reduced to letters and digits, so ``word:*`` is always a
valid ``to_tsquery`` input. Both go to the database as bound parameters.
"""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from tasklane.domain.errors import ValidationFailed
from tasklane.domain.models import normalise_label
from tasklane.domain.profiles import Identity
from tasklane.domain.search import MAX_QUERY, Highlights, SearchHit, SearchPage, SearchQuery
from tasklane.logic.pages import Cursors

if TYPE_CHECKING:
    from tasklane.domain.ports.relational import Relational
    from tasklane.logic.profiles import ProfileService

#: Private-use characters bracket matches in ts_headline's output; after HTML-escaping the
#: text they become <mark> tags (the text itself can never inject markup).
START_MARK, STOP_MARK = "\ue000", "\ue001"
_LAST_WORD = re.compile(r"(?:^|(?<=\s))([^\W_]+)$")


@dataclass(frozen=True, slots=True)
class ParsedQuery:
    #: For websearch_to_tsquery (may be empty).
    head: str
    #: For to_tsquery, ``word:*``; None when the last word is not a plain word.
    prefix: str | None

    @property
    def empty(self) -> bool:
        return not self.head.strip() and self.prefix is None


def clean(text: str) -> str:
    # Unpaired surrogates cannot be encoded to UTF-8 (the driver would fail); NUL cannot be
    # stored in PostgreSQL text; other controls mean nothing in a query.
    text = text.encode("utf-8", "ignore").decode("utf-8")
    text = "".join(" " if unicodedata.category(c) in ("Cc", "Cs") else c for c in text)
    return " ".join(text.split())[:MAX_QUERY]


def parse(text: str) -> ParsedQuery:
    text = clean(text)
    match = _LAST_WORD.search(text)
    head = text
    prefix: str | None = None
    inside_quotes = text.count('"') % 2 == 1
    if match and not inside_quotes and match.group(1).lower() != "or":
        prefix = match.group(1) + ":*"
        head = text[: match.start(1)]
    return ParsedQuery(head=head, prefix=prefix)


def render_highlight(fragment: str | None) -> str:
    if not fragment:
        return ""
    escaped = html.escape(fragment, quote=False)
    return escaped.replace(START_MARK, "<mark>").replace(STOP_MARK, "</mark>")


class SearchService:
    def __init__(self, database: Relational, profiles: ProfileService, cursors: Cursors) -> None:
        self._database = database
        self._profiles = profiles
        self._cursors = cursors

    def search(self, identity: Identity, query: SearchQuery, cursor: str | None) -> SearchPage:
        if query.label is not None:
            label = normalise_label(query.label)
            if not label:
                raise ValidationFailed("label must not be blank", {"field": "label"})
            query = query.model_copy(update={"label": label})
        # Bound to the user too, as every cursor is: another user cannot replay it.
        bound = {**query.fingerprint(), "user": identity.sub}
        start = self._cursors.start(cursor, bound)
        parsed = parse(query.q)
        with self._database.transaction() as tx:
            self._profiles.ensure(tx, identity)
            if parsed.empty:
                return SearchPage(items=[], next_cursor=None)
            after = _after(start)
            rows = tx.search.search(identity.sub, parsed.head, parsed.prefix, query, after)
        more = len(rows) > query.limit
        rows = rows[: query.limit]
        hits = [
            SearchHit(
                task=row.task,
                rank=row.rank,
                highlights=Highlights(
                    title=render_highlight(row.title_headline),
                    description=render_highlight(row.description_headline),
                ),
            )
            for row in rows
        ]
        next_key = {"r": repr(rows[-1].rank), "id": rows[-1].task.id} if more and rows else None
        return SearchPage(items=hits, next_cursor=self._cursors.next(next_key, bound))


def _after(start: dict[str, Any] | None) -> tuple[float, str] | None:
    if start is None:
        return None
    try:
        return float(start["r"]), str(start["id"])
    except (KeyError, ValueError) as exc:  # signed by us, so only an old format lands here
        raise ValidationFailed("cursor is invalid", {"field": "cursor"}) from exc
