"""The queue page's rows, read from the database a page at a time.

Filters, counts, sort and page are one SQL query each over the columns an item keeps (agent.review.store.listing),
so SQLite and PostgreSQL answer alike; only the page's rows are read, no draft is parsed. Rows, filters and orders
are `table.queue_rows`/`filter_rows`/`sort_rows`'s, plus the action filter and left comments shown on request.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any

from agent.config import Settings
from agent.review.casework.case_stats import due_list, queue_marks
from agent.review.casework.cases import CaseBook
from agent.review.store.queue import ReviewQueue
from agent.review.store.staleness import facts_fingerprint
from agent.review.views.desk_time import CST, OLD_AFTER, OPEN_STATUSES
from agent.review.views.queue_rows import NEWEST, ROW_COLUMNS, listed_row, stale_reason
from agent.review.views.table import CASE_RANK, REACH_BUCKETS, STATUSES, QueueFilter, clock_row

PAGE_ROWS = 100  # rows per page of the queue table
_OPEN = "status IN (" + ", ".join(f"'{s}'" for s in OPEN_STATUSES) + ")"
_CLOCK = "COALESCE(posted_ts, accepted_ts)"  # when the response clock started
_BUCKET = "(CASE " + " ".join(f"WHEN COALESCE(reach, 0) >= {b} THEN {len(REACH_BUCKETS) - i}"
                              for i, b in enumerate(reversed(REACH_BUCKETS))) + " ELSE 0 END)"
# The violations as the table shows them ("a, b"), from the stored JSON list ('["a", "b"]').
_VIOLATIONS = "REPLACE(REPLACE(REPLACE(COALESCE(violations, ''), '[', ''), ']', ''), '\"', '')"
_SORT_COLUMNS = {"severity": "severity", "reach": "COALESCE(reach, 0)", "source": "COALESCE(source, '') COLLATE BINARY",
                 "violations": f"{_VIOLATIONS} COLLATE BINARY", "id": "id COLLATE BINARY"}
# Each note's newest comment, once per query (a filter over every item: one pass, not one probe per item).
_NOTES = (" LEFT JOIN (SELECT brand AS note_brand, note_title AS note, MAX(created_at) AS newest FROM items "
          "WHERE note_title != '' GROUP BY brand, note_title) notes ON notes.note_brand = items.brand "
          "AND notes.note = items.note_title")


@dataclass
class QueuePage:
    rows: list[dict[str, Any]]  # the page's rows, in order (table.queue_rows' shape)
    matching: int  # the rows the filter matches, on every page
    total: int  # every row the account's brands cover
    page: int  # 1-based, after clamping to the pages there are
    pages: int


@dataclass
class _Where:
    sql: str
    args: list[Any]
    join: str = ""  # joined to `FROM items` (the notes' newest comments, for the stale filter)


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _marks(values: Sequence[Any]) -> str:
    return ", ".join("?" * len(values))


class QueueTable:
    def __init__(self, queue: ReviewQueue, settings: Settings, zone: tzinfo = CST) -> None:
        self.queue = queue
        self.settings = settings
        self.zone = zone

    # --- the pieces of SQL that depend on the clock and the settings --------------------------------
    def _old(self) -> str:
        late = max(OLD_AFTER, timedelta(hours=self.settings.response_window_h)).total_seconds()
        return f"(posted_ts IS NOT NULL AND accepted_ts IS NOT NULL AND accepted_ts - posted_ts >= {late!r})"

    def _left(self, now_ts: float) -> str:
        """Seconds left in the response window; NULL once closed, when old, or with no time to count from."""
        window = self.settings.response_window_h * 3600
        return f"(CASE WHEN {_OPEN} AND NOT {self._old()} THEN {_CLOCK} + {window!r} - {now_ts!r} END)"

    def _left_rounded(self, now_ts: float) -> str:
        """The time left as the table shows it, in hundredths of an hour: rows a few seconds apart tie, and
        their ids order them."""
        return f"ROUND({self._left(now_ts)} / 36.0)"

    def _stale(self, fingerprints: dict[str, str]) -> _Where:
        """A draft awaiting review made before its brand's facts changed or before a newer comment under its note."""
        facts = " OR ".join("(brand = ? AND facts_hash != ?)" for _ in fingerprints) or "0 = 1"
        args = [v for pair in fingerprints.items() for v in pair]
        return _Where(f"(status = 'needs_review' AND drafted_at IS NOT NULL AND ((facts_hash IS NOT NULL AND "
                      f"({facts})) OR (note_title != '' AND notes.newest > drafted_at)))", args, _NOTES)

    def _brands(self, covers: Callable[[str], bool]) -> dict[str, int]:
        """The brands `covers` accepts that have items -> how many."""
        return {r[0]: int(r[1]) for r in self.queue.conn.execute("SELECT brand, COUNT(*) FROM items GROUP BY brand")
                if covers(r[0])}

    def _where(self, f: QueueFilter, actions: Sequence[str], brands: Sequence[str], now_ts: float,
               fingerprints: dict[str, str]) -> _Where:
        parts, args = [f"brand IN ({_marks(brands)})" if brands else "0 = 1"], list(brands)

        def within(column: str, values: Sequence[Any]) -> None:
            parts.append(f"{column} IN ({_marks(values)})")
            args.extend(values)

        if f.statuses:
            within("status", f.statuses)
        if "left" not in f.statuses:  # left alone by the plan: outside the to-do queue unless asked for
            parts.append("status != 'left'")
        if f.severities:
            within("severity", f.severities)
        if f.sources:
            within("source", f.sources)
        if f.brands:
            within("brand", f.brands)
        if actions:
            within("action", actions)
        if f.assignees:
            within("assignee", f.assignees)
        if f.violations:
            named = [v for v in f.violations if v != "none"]
            either = ["violations LIKE ? ESCAPE '\\'" for _ in named]
            args.extend(_like(json.dumps(v)) for v in named)
            if "none" in f.violations:
                either.append("(violations IS NULL OR violations = '[]')")
            parts.append("(" + " OR ".join(either) + ")")
        if f.overdue_only:
            parts.append(f"{self._left(now_ts)} < 0")
        join = ""
        if f.stale_only:
            stale = self._stale(fingerprints)
            parts.append(stale.sql)
            args.extend(stale.args)
            join = stale.join
        needle = f.search.strip().lower()
        if needle:
            columns = ("id", "comment_text", "COALESCE(author, '')", "COALESCE(note_title, '')")
            parts.append("(" + " OR ".join(f"LOWER({c}) LIKE ? ESCAPE '\\'" for c in columns) + ")")
            args.extend([_like(needle)] * len(columns))
        return _Where(" AND ".join(parts), args, join)

    def _order(self, by: str, descending: bool, now_ts: float, marks: dict[str, str]) -> tuple[str, list[Any]]:
        way = " DESC" if descending else ""
        if by == "urgency":
            ranked = [(i, [m for m, state in marks.items() if state == s]) for s, i in CASE_RANK.items()]
            cases = " ".join(f"WHEN id IN ({_marks(ids)}) THEN {rank}" for rank, ids in ranked if ids)
            args = [m for _, ids in ranked for m in ids]
            left = self._left_rounded(now_ts)
            keys = [f"(CASE {cases} ELSE {len(CASE_RANK)} END)"] if cases else []
            keys += [f"(CASE WHEN {_OPEN} THEN 0 ELSE 1 END)", "-COALESCE(severity, 0)", f"-{_BUCKET}",
                    f"({left} IS NULL)", left, "id COLLATE BINARY"]
            return ", ".join(k + way for k in keys), args
        if by == "status":
            rank = "(CASE status " + " ".join(f"WHEN '{s}' THEN {i}" for i, s in enumerate(STATUSES)) + " ELSE 99 END)"
            return f"{rank}{way}, id COLLATE BINARY{way}", []
        column = {"time_left": self._left_rounded(now_ts), "posted": _CLOCK}.get(by) or _SORT_COLUMNS.get(by)
        if column is None:
            raise ValueError(f"unknown sort key {by!r}")
        plain = column.removesuffix(" COLLATE BINARY")
        return f"({plain} IS NULL), {column}{way}, id COLLATE BINARY{way}", []

    # --- what the page asks ---------------------------------------------------------------------------
    def _scope(self, f: QueueFilter, actions: Sequence[str], now: datetime, covers: Callable[[str], bool]
               ) -> tuple[_Where, dict[str, int], dict[str, str]]:
        """The filter's WHERE, the covered brands -> their item counts, and each brand's facts fingerprint."""
        counted = self._brands(covers)
        brands = list(counted)
        fingerprints = {b: facts_fingerprint(self.settings, b) for b in brands}
        return self._where(f, actions, brands, now.timestamp(), fingerprints), counted, fingerprints

    def page(self, f: QueueFilter | None = None, actions: Sequence[str] = (), by: str = "urgency",
             descending: bool = False, now: datetime | None = None, covers: Callable[[str], bool] = lambda b: True,
             page: int = 1, size: int | None = PAGE_ROWS) -> QueuePage:
        """One page of the queue table: the rows of the items whose brand `covers` accepts that match `f` and
        `actions`, sorted by `by`, with how many match and how many there are. `size` None: every row."""
        f, now = f or QueueFilter(), now or datetime.now().astimezone()
        where, brands, fingerprints = self._scope(f, actions, now, covers)
        conn = self.queue.conn
        total = sum(brands.values())
        matching = int(conn.execute(f"SELECT COUNT(*) FROM items{where.join} WHERE {where.sql}", where.args).fetchone()[0])
        pages = max(1, -(-matching // size)) if size else 1
        page = min(max(1, page), pages)
        marks = self._case_marks(now, list(brands))
        order, order_args = self._order(by, descending, now.timestamp(), marks)
        limit = f" LIMIT {int(size)} OFFSET {(page - 1) * int(size)}" if size else ""
        ids = [r[0] for r in conn.execute(f"SELECT id FROM items{where.join} WHERE {where.sql} ORDER BY {order}{limit}",
                                          [*where.args, *order_args])]
        return QueuePage(self._rows(ids, now, fingerprints, marks), matching, total, page, pages)

    def total(self, covers: Callable[[str], bool] = lambda b: True) -> int:
        """How many items the account's brands cover (0: an empty queue, as far as the account sees it)."""
        return sum(self._brands(covers).values())

    def matching(self, f: QueueFilter | None = None, actions: Sequence[str] = (), now: datetime | None = None,
                 covers: Callable[[str], bool] = lambda b: True, by: str = "urgency",
                 descending: bool = False) -> dict[str, int]:
        """Every item the filter matches (on any page), in the table's order -> its version: what "all that
        match the filter" acts on."""
        now = now or datetime.now().astimezone()
        where, brands, _ = self._scope(f or QueueFilter(), actions, now, covers)
        order, order_args = self._order(by, descending, now.timestamp(), self._case_marks(now, list(brands)))
        return {r[0]: r[1] for r in self.queue.conn.execute(
            f"SELECT id, version FROM items{where.join} WHERE {where.sql} ORDER BY {order}", [*where.args, *order_args])}

    def order(self, now: datetime, covers: Callable[[str], bool] = lambda b: True) -> list[str]:
        """Every item of the covered brands, left ones too, most urgent first (the item page's navigation,
        table.sort_rows of every row without the appeal case marks): ids only, no row read."""
        brands = list(self._brands(covers))
        if not brands:
            return []
        order, args = self._order("urgency", False, now.timestamp(), {})
        return [r[0] for r in self.queue.conn.execute(
            f"SELECT id FROM items WHERE brand IN ({_marks(brands)}) ORDER BY {order}", [*brands, *args])]

    def _case_marks(self, now: datetime, brands: Sequence[str]) -> dict[str, str]:
        """The due appeal cases' marks (casework's queue_marks), on the first member of each whose brand the
        account covers; the members asked about are those of the due cases only."""
        cases = CaseBook(self.queue).cases(open_only=True)
        members = sorted({m for d in due_list(cases, now) for m in d.members})
        if not members or not brands:
            return {}
        covered = []
        for start in range(0, len(members), 500):
            chunk = members[start:start + 500]
            covered += [r[0] for r in self.queue.conn.execute(
                f"SELECT id FROM items WHERE id IN ({_marks(chunk)}) AND brand IN ({_marks(brands)})",
                [*chunk, *brands])]
        return queue_marks(cases, now, covered)

    def _rows(self, ids: list[str], now: datetime, fingerprints: dict[str, str], marks: dict[str, str]
              ) -> list[dict[str, Any]]:
        """The table's rows of `ids`, in that order: the listing columns, the draft's first words and checks
        out of its JSON, and the newest later comment under the note for a stale draft."""
        found: dict[str, Any] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start:start + 500]
            for r in self.queue.conn.execute(f"SELECT {ROW_COLUMNS}, {NEWEST.format(column='id')} AS newest_id, "
                                             f"{NEWEST.format(column='created_at')} AS newest_at FROM items "
                                             f"WHERE id IN ({_marks(chunk)})", chunk):
                found[r["id"]] = r
        now_ts, window = now.timestamp(), self.settings.response_window_h
        late = max(OLD_AFTER, timedelta(hours=window)).total_seconds()
        out = []
        for item_id in ids:
            r = found[item_id]
            row = listed_row(r, late, self.zone)
            out.append(clock_row(row, now_ts, window, stale_reason(r, fingerprints), marks.get(item_id, "")))
        return out

    def counts(self, now: datetime) -> dict[str, int]:
        """table.status_counts of the whole queue, counted by the database in one pass."""
        window = self.settings.response_window_h * 3600
        counts: Counter[str] = Counter()
        for status, n, overdue, severe in self.queue.conn.execute(
                f"SELECT status, COUNT(*), SUM(CASE WHEN {_OPEN} AND NOT {self._old()} AND {_CLOCK} + {window!r} < ? "
                f"THEN 1 ELSE 0 END), SUM(CASE WHEN severity = 3 AND {_OPEN} THEN 1 ELSE 0 END) FROM items "
                "GROUP BY status", (now.timestamp(),)):
            counts[status] += int(n)
            counts["overdue"] += int(overdue or 0)
            counts["severity3_open"] += int(severe or 0)
        return {k: v for k, v in counts.items() if v}
