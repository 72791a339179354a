"""Search and stats at 10,000 tasks, against a plain ``ILIKE '%term%'`` on the same data.

10,000 tasks are written straight into the projection tables of the local stack's embedded
PostgreSQL (one ``INSERT … SELECT FROM unnest(…)``, the search vector computed as the
projection computes it; seconds, where the API and the stream would take minutes), then
``VACUUM ANALYZE`` as autovacuum would. Two kinds of caller:

- *heavy*: one user with 5,000 tasks in 10 projects — half of the table is theirs;
- *typical*: 100 users with 50 tasks each in 2 or 3 projects (the other 5,000 tasks).

Titles, descriptions and labels are drawn from a task-like vocabulary with Zipf-like
frequencies, so some words are common and some rare. Each query is run three ways, in
rotating order, after a warm-up:

- **FTS**: ``tasklane.dal.postgres.search.search`` — the statement ``/search`` sends (the
  caller's projects, rank, headlines, a page of 50 + 1);
- **ILIKE**: ``tasklane.dal.postgres.search.ilike_search`` — ``title``, ``description`` or
  labels ``ILIKE '%q%'`` over the caller's projects, ordered by id, the same page size;
- **/search**: the api handler in this process (routing, validation, profile, headlines
  rendered, JSON), for the whole request's latency.

Targets (heavy caller, where the baseline reads thousands of rows): FTS p50 ≤ ILIKE p50 for
each selective query (a rarer word, two words, a prefix), and the slowest FTS query's p50 ≤
the slowest ILIKE query's p50 (worst case against worst case). A common word is judged only
through the latter: ILIKE walks the tasks in id order and stops at the first 51 matches,
unranked, while FTS must rank every match to return the best ones first. The typical caller
and the handler are reported. Stats: the handler's ``/stats`` p95 ≤ 250 ms (generous: an API
latency budget), with the DAL query compared to the same query planned without indexes
(``SET LOCAL enable_*scan = off`` in the benchmark's own transaction). Index use: ``EXPLAIN``
of the captured statements must show no sequential scan of ``tasks`` for search (both
callers) and for stats (typical caller; for the heavy caller, half the table, a sequential
scan is the right plan and is only reported).
"""

from __future__ import annotations

import contextlib
import io
import random
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING, Any

from benchmarks.events import Client
from benchmarks.projection import summary_ms
from benchmarks.results import Check, Section
from tasklane.dal.postgres.explain import explain, scans

if TYPE_CHECKING:
    from sqlalchemy.engine import Engine

    from tasklane.local.runtime import LocalStack

TASKS = 10_000
HEAVY_USER = "bench-search-heavy"
HEAVY_PROJECTS = 10
HEAVY_TASKS = 5_000
TYPICAL_USERS = 100
TIME_ZONE = "Europe/Berlin"
RUNS = 25
WARMUP = 3
STATS_P95_TARGET_MS = 250.0

#: (label, q): a common word, a mid-frequency one, two words, a prefix (search as you type).
QUERIES = (
    ("common word", "review"),
    ("rarer word", "invoice"),
    ("two words", "budget meeting"),
    ("prefix", "onboa"),
)
#: Judged one by one: ILIKE has to read most of the caller's tasks to fill a page.
SELECTIVE = ("rarer word", "two words", "prefix")

_WORDS = """
review update report meeting budget plan draft call email client design release fix
deploy test write prepare schedule follow team weekly monthly quarterly slides notes
contract invoice payment vendor hiring interview onboarding training workshop roadmap
feedback survey customer support ticket backlog sprint demo launch marketing campaign
newsletter website landing page copy blog post video podcast analytics dashboard metrics
goals strategy offsite travel booking hotel flight visa expenses receipts tax audit
compliance security password access laptop server database migration backup monitoring
alert incident postmortem documentation handbook policy legal trademark patent press
partner sponsor event conference talk abstract proposal grant research paper experiment
prototype sketch wireframe mockup logo brand colour font icon illustration photo shoot
office lease furniture plants coffee lunch birthday party gift card order shipment
warehouse inventory supplier pricing discount renewal subscription churn pipeline lead
"""
VOCABULARY = _WORDS.split()
LABELS = ["work", "home", "urgent", "finance", "design", "ops", "sales", "hr", "legal", "q3"]
STATUSES = ("todo", "in_progress", "done")
PRIORITIES = ("low", "medium", "high", "urgent")


def _vocabulary_weights() -> list[float]:
    return [1.0 / (rank + 1) ** 0.8 for rank in range(len(VOCABULARY))]


def _rows(rng: random.Random) -> dict[str, list[Any]]:
    weights = _vocabulary_weights()
    now = datetime.now(UTC)

    def words(low: int, high: int) -> str:
        return " ".join(rng.choices(VOCABULARY, weights, k=rng.randint(low, high)))

    columns: dict[str, list[Any]] = {
        name: [] for name in ("task_id", "project_id", "title", "description", "status", "priority")
    }
    columns |= {"due_at": [], "labels": []}
    typical_projects = _typical_projects()
    for i in range(TASKS):
        if i < HEAVY_TASKS:
            project = f"bench-heavy-p{i % HEAVY_PROJECTS}"
        else:
            project = typical_projects[i % len(typical_projects)][0]
        columns["task_id"].append(f"bench-t{i:05d}")
        columns["project_id"].append(project)
        columns["title"].append(words(2, 6).capitalize())
        columns["description"].append(words(8, 30) if i % 4 else "")
        columns["status"].append(STATUSES[i % 3])
        columns["priority"].append(PRIORITIES[i % 4])
        columns["due_at"].append(
            None if i % 10 == 0 else now + timedelta(hours=rng.randint(-24 * 30, 24 * 30))
        )
        columns["labels"].append(",".join(sorted(set(rng.sample(LABELS, rng.randint(0, 2))))))
    return columns


def _typical_projects() -> list[tuple[str, str]]:
    """(project, owner): 250 projects of 100 users, 2 or 3 each."""
    return [(f"bench-typical-p{n}", f"bench-search-u{n % TYPICAL_USERS}") for n in range(250)]


def seed(engine: Engine) -> float:
    from sqlalchemy import text

    started = time.perf_counter()
    columns = _rows(random.Random(20240601))
    projects = [(f"bench-heavy-p{n}", HEAVY_USER) for n in range(HEAVY_PROJECTS)]
    projects += _typical_projects()
    with engine.begin() as conn:
        conn.execute(
            text(
                """
                INSERT INTO projects (project_id, name, is_inbox, owner_id, version)
                SELECT p, 'Project ' || p, false, o, 1
                FROM unnest(CAST(:p AS text[]), CAST(:o AS text[])) AS x(p, o)
                """
            ),
            {"p": [p for p, _ in projects], "o": [o for _, o in projects]},
        )
        conn.execute(
            text(
                """
                INSERT INTO project_members (project_id, user_id, role, seq)
                SELECT p, o, 'owner', 1
                FROM unnest(CAST(:p AS text[]), CAST(:o AS text[])) AS x(p, o)
                """
            ),
            {"p": [p for p, _ in projects], "o": [o for _, o in projects]},
        )
        # The document as tasklane.dal.postgres.projection.SEARCH_VECTOR builds it.
        conn.execute(
            text(
                """
                INSERT INTO tasks (task_id, project_id, title, description, status, priority,
                    due_at, labels, created_at, updated_at, created_by, version, search)
                SELECT id, p, ti, d, s, pr, due, l, now(), now(), 'bench', 1,
                    setweight(to_tsvector('english'::regconfig, ti), 'A')
                    || setweight(to_tsvector('english'::regconfig, array_to_string(l, ' ')), 'B')
                    || setweight(to_tsvector('english'::regconfig, d), 'C')
                FROM (
                    SELECT id, p, ti, d, s, pr, due,
                        COALESCE(string_to_array(NULLIF(lb, ''), ','), '{}') AS l
                    FROM unnest(CAST(:id AS text[]), CAST(:p AS text[]), CAST(:ti AS text[]),
                                CAST(:d AS text[]), CAST(:s AS text[]), CAST(:pr AS text[]),
                                CAST(:due AS timestamptz[]), CAST(:lb AS text[]))
                        AS x(id, p, ti, d, s, pr, due, lb)
                ) AS src
                """
            ),
            {
                "id": columns["task_id"],
                "p": columns["project_id"],
                "ti": columns["title"],
                "d": columns["description"],
                "s": columns["status"],
                "pr": columns["priority"],
                "due": columns["due_at"],
                "lb": columns["labels"],
            },
        )
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("VACUUM ANALYZE tasks, projects, project_members"))
    return time.perf_counter() - started


# Timing --------------------------------------------------------------------------------------
def _time(work: Callable[[], Any]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def _rotate(methods: dict[str, Callable[[], Any]], runs: int) -> dict[str, list[float]]:
    """Each method ``runs`` times, interleaved, the order rotating per round."""
    names = list(methods)
    for _ in range(WARMUP):
        for name in names:
            methods[name]()
    out: dict[str, list[float]] = {name: [] for name in names}
    for round_ in range(runs):
        order = names[round_ % len(names) :] + names[: round_ % len(names)]
        for name in order:
            out[name].append(_time(methods[name]))
    return out


def _ratio(a: list[float], b: list[float]) -> float:
    return round(statistics.median(a) / statistics.median(b), 2)


def run(stack: LocalStack, runs: int = RUNS) -> Section:
    from sqlalchemy import text

    from tasklane.dal.postgres import search as db
    from tasklane.dal.postgres.engine import create_engine
    from tasklane.domain.search import SearchQuery
    from tasklane.handlers.api import lambda_handler
    from tasklane.logic.search import parse
    from tasklane.logic.stats import day_and_week

    section = Section("search", "Search and stats at 10,000 tasks")
    engine = create_engine(stack.database.settings())
    try:
        seconds = seed(engine)
        with engine.connect() as conn:
            counted = conn.execute(
                text("SELECT count(*) FROM tasks WHERE task_id LIKE 'bench-t%'")
            ).scalar_one()
            total = conn.execute(text("SELECT count(*) FROM tasks")).scalar_one()
        users = {"heavy": HEAVY_USER, "typical": "bench-search-u7"}
        for who, user in users.items():
            api = Client(lambda_handler, user)
            # First requests: the profile is created, and the handler may print its
            # cold-start metric (EMF) to stdout.
            with contextlib.redirect_stdout(io.StringIO()):
                reply = api.call("PATCH", "/me", {"time_zone": TIME_ZONE})
            if reply.status != 200:
                raise RuntimeError(f"PATCH /me for {who}: {reply.status} {reply.body}")
        section.data["seeding"] = {
            "tasks": int(counted),
            "tasks_in_table": int(total),
            "seconds": round(seconds, 2),
            "heavy": {"projects": HEAVY_PROJECTS, "tasks": HEAVY_TASKS},
            "typical": {"users": TYPICAL_USERS, "tasks_each": (TASKS - HEAVY_TASKS) // 100},
        }

        rows: list[dict[str, Any]] = []
        for who, user in users.items():
            api = Client(lambda_handler, user)
            for label, q in QUERIES:
                rows.append(
                    _search_row(engine, api, db, parse, SearchQuery, who, user, label, q, runs)
                )
        section.data["queries"] = rows
        heavy = [row for row in rows if row["caller"] == "heavy"]
        for row in heavy:
            if row["query"] in SELECTIVE:
                section.checks.append(
                    Check(
                        f"search “{row['q']}” ({row['query']}), heavy caller: FTS / ILIKE p50",
                        row["ratio"],
                        "≤ 1.0",
                        row["ratio"] <= 1.0,
                        f"FTS {row['fts']['p50_ms']} ms, ILIKE {row['ilike']['p50_ms']} ms; "
                        f"{row['matches']:,} matching tasks",
                    )
                )
        slowest_fts = max(heavy, key=lambda row: row["fts"]["p50_ms"])
        slowest_ilike = max(heavy, key=lambda row: row["ilike"]["p50_ms"])
        worst = round(slowest_fts["fts"]["p50_ms"] / slowest_ilike["ilike"]["p50_ms"], 2)
        section.checks.append(
            Check(
                "search, heavy caller: slowest FTS p50 / slowest ILIKE p50",
                worst,
                "≤ 1.0",
                worst <= 1.0,
                f"FTS {slowest_fts['fts']['p50_ms']} ms (“{slowest_fts['q']}”), ILIKE "
                f"{slowest_ilike['ilike']['p50_ms']} ms (“{slowest_ilike['q']}”)",
            )
        )

        stats_rows = []
        now = datetime.now(UTC)
        day, week = day_and_week(now, TIME_ZONE)
        for who, user in users.items():
            api = Client(lambda_handler, user)

            def dal_stats(user: str = user) -> Any:
                with engine.connect() as conn:
                    return db.stats(conn, user, now, day, week)

            def unindexed(user: str = user) -> float:
                with engine.begin() as conn:
                    for name in ("indexscan", "indexonlyscan", "bitmapscan"):
                        conn.execute(text(f"SET LOCAL enable_{name} = off"))
                    return _time(lambda: db.stats(conn, user, now, day, week))

            def handler_stats(api: Client = api) -> None:
                reply = api.call("GET", "/stats")
                if reply.status != 200:
                    raise RuntimeError(f"GET /stats: {reply.status} {reply.body}")

            timed = _rotate({"dal": dal_stats, "handler": handler_stats}, runs)
            baseline = [unindexed() for _ in range(runs)]
            reply = api.call("GET", "/stats")
            stats_rows.append(
                {
                    "caller": who,
                    "tasks": reply.body["total"]["total"],
                    "projects": len(reply.body["projects"]),
                    "dal": summary_ms(timed["dal"]),
                    "unindexed": summary_ms(baseline),
                    "handler": summary_ms(timed["handler"]),
                    "ratio_to_unindexed": _ratio(timed["dal"], baseline),
                }
            )
        section.data["stats"] = stats_rows
        for row in stats_rows:
            p95 = row["handler"]["p95_ms"]
            section.checks.append(
                Check(
                    f"/stats, {row['caller']} caller ({row['tasks']:,} tasks): p95",
                    f"{p95} ms",
                    f"≤ {STATS_P95_TARGET_MS:.0f} ms",
                    p95 <= STATS_P95_TARGET_MS,
                    f"p50 {row['handler']['p50_ms']} ms; query alone p50 {row['dal']['p50_ms']} "
                    f"ms, {row['ratio_to_unindexed']}x the query without indexes",
                )
            )

        plans = _plans(engine, db, parse, SearchQuery, users, now, day, week)
        section.data["plans"] = plans
        for plan in plans:
            if plan["judged"]:
                section.checks.append(
                    Check(
                        f"EXPLAIN {plan['statement']}, {plan['caller']} caller: "
                        "no Seq Scan on tasks",
                        "index" if plan["indexed"] else "Seq Scan",
                        "index scans",
                        plan["indexed"],
                        "; ".join(plan["scans"]),
                    )
                )
    finally:
        engine.dispose()
    return section


def _count_statement() -> Any:
    from sqlalchemy import text

    return text(
        """
        SELECT count(*) FROM project_members m JOIN tasks t ON t.project_id = m.project_id
        WHERE m.user_id = :user AND t.search @@ (
            websearch_to_tsquery('english'::regconfig, :head)
            && COALESCE(to_tsquery('english'::regconfig, :prefix), ''::tsquery))
        """
    )


def _search_row(
    engine: Engine,
    api: Client,
    db: Any,
    parse: Any,
    query_type: Any,
    who: str,
    user: str,
    label: str,
    q: str,
    runs: int,
) -> dict[str, Any]:
    parsed = parse(q)
    query = query_type(q=q)
    count = _count_statement()
    hits: list[int] = []
    ilike_hits: list[int] = []

    def fts() -> None:
        with engine.connect() as conn:
            hits.append(len(db.search(conn, user, parsed.head, parsed.prefix, query, None)))

    def ilike() -> None:
        with engine.connect() as conn:
            ilike_hits.append(len(db.ilike_search(conn, user, q, query.limit + 1)))

    def handler() -> None:
        reply = api.call("GET", "/search", query={"q": q})
        if reply.status != 200:
            raise RuntimeError(f"GET /search?q={q}: {reply.status} {reply.body}")

    timed = _rotate({"fts": fts, "ilike": ilike, "handler": handler}, runs)
    with engine.connect() as conn:
        matches = conn.execute(count, {"user": user, "head": parsed.head, "prefix": parsed.prefix})
    return {
        "matches": int(matches.scalar_one()),
        "caller": who,
        "query": label,
        "q": q,
        "hits": min(hits[-1], query.limit),
        "ilike_hits": min(ilike_hits[-1], query.limit),
        "fts": summary_ms(timed["fts"]),
        "ilike": summary_ms(timed["ilike"]),
        "handler": summary_ms(timed["handler"]),
        "ratio": _ratio(timed["fts"], timed["ilike"]),
        "handler_ratio": _ratio(timed["handler"], timed["ilike"]),
    }


def _search_call(db: Any, user: str, parsed: Any, query: Any, conn: Any) -> Any:
    return db.search(conn, user, parsed.head, parsed.prefix, query, None)


def _stats_call(db: Any, user: str, now: datetime, day: Any, week: Any, conn: Any) -> Any:
    return db.stats(conn, user, now, day, week)


def _ilike_call(db: Any, user: str, q: str, conn: Any) -> Any:
    return db.ilike_search(conn, user, q, 51)


def _plans(
    engine: Engine,
    db: Any,
    parse: Any,
    query_type: Any,
    users: dict[str, str],
    now: datetime,
    day: tuple[datetime, datetime],
    week: tuple[datetime, datetime],
) -> list[dict[str, Any]]:
    out = []
    q = QUERIES[2][1]
    parsed = parse(q)
    with engine.connect() as conn:
        for who, user in users.items():
            statements: list[tuple[str, Callable[[Any], Any], bool]] = [
                (f"search “{q}”", partial(_search_call, db, user, parsed, query_type(q=q)), True),
                ("stats", partial(_stats_call, db, user, now, day, week), who == "typical"),
                (f"ILIKE “{q}”", partial(_ilike_call, db, user, q), False),
            ]
            for name, call, judged in statements:
                plan = explain(conn, call)
                out.append(
                    {
                        "caller": who,
                        "statement": name,
                        "scans": scans(plan),
                        "indexed": "Seq Scan on tasks" not in plan,
                        "judged": judged,
                        "plan": plan,
                    }
                )
    return out
