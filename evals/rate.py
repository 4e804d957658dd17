"""`redreply eval rate`: blind rating of drafts by people, from a batch's output to the figures.

`sample` draws N drafts from a batch output (joined to the comments file the batch read), stratified
by the plan's action (its strategy and the comment's source where a record has no action), and writes
a rating sheet with the comment, its note and thread, the draft, and empty grade and reason columns.
The system's labels stay out of the sheet, in a key file beside it, so a rater reads what a
community manager would. `aggregate` reads filled sheets and prints the share of each grade, overall
and for complaints, with the reasons. The raters' guide: evals/rating_guide.md.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from agent.config import Settings
from agent.errors import UserError

GRADES = {"A": "post as is", "B": "small edit", "C": "rewrite", "D": "never post"}
GRADE_COLUMN = "grade (A post as is / B small edit / C rewrite / D never post)"
REASON_COLUMN = "reason (one line: what is wrong or would change; required for B, C, D)"
COLUMNS = ["item", "note", "thread", "comment", "draft", GRADE_COLUMN, REASON_COLUMN]
COMPLAINT_SOURCES = {"genuine_experience", "misunderstanding"}  # a customer's own negative experience


def stratum(record: dict[str, Any]) -> str:
    plan, triage = record.get("plan") or {}, record.get("triage") or {}
    return str(plan.get("action") or f"{plan.get('strategy', '?')}/{triage.get('source', '?')}")


def allocate(sizes: dict[str, int], n: int) -> dict[str, int]:
    """Proportional shares of n (largest remainder), at least one per stratum while n allows."""
    total = sum(sizes.values())
    if n >= total:
        return dict(sizes)
    exact = {k: n * v / total for k, v in sizes.items()}
    share = {k: min(sizes[k], max(1, int(x))) for k, x in exact.items()}
    for k in sorted(exact, key=lambda k: exact[k] - int(exact[k]), reverse=True):
        if sum(share.values()) >= n:
            break
        share[k] = min(sizes[k], share[k] + 1)
    while sum(share.values()) > n:  # the minimum of one per stratum overshot: trim the largest
        big = max(share, key=lambda k: share[k])
        share[big] -= 1
    return share


def sample(records: list[dict[str, Any]], n: int, seed: int) -> list[dict[str, Any]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in records:
        groups[stratum(r)].append(r)
    rng = random.Random(seed)
    picked: list[dict[str, Any]] = []
    for key, k in sorted(allocate({g: len(v) for g, v in groups.items()}, n).items()):
        picked += rng.sample(groups[key], k)
    rng.shuffle(picked)  # strata interleaved: a rater cannot tell them from the order
    return picked


def _thread(record: dict[str, Any]) -> tuple[str, str]:
    context = record.get("context") or {}
    note = (context.get("note") or {}).get("title") or ""
    lines = [f"{m.get('author') or '用户'}{'（品牌）' if m.get('brand') else ''}：{m.get('text', '')}"
             for m in context.get("thread") or []]
    return note, "\n".join(lines)


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as e:
        raise UserError(f"{path}: cannot read ({e.strerror})") from e
    rows = []
    for i, line in enumerate(lines, 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as e:
                raise UserError(f"{path}:{i}: not a JSON line ({e.msg})") from e
    return rows


def write_sheet(drafts: Path, comments: Path, n: int, seed: int, out: Path) -> tuple[int, Path]:
    from agent.sources import read_any

    texts = {c.id: c.text for c in read_any(comments).comments}
    records = [r for r in _read_jsonl(drafts) if r.get("id") in texts and (r.get("reply") or {}).get("text")]
    if not records:
        raise UserError(f"{drafts}: no drafts whose comment is in {comments}")
    picked = sample(records, n, seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8-sig", newline="") as f:  # the BOM: spreadsheets read it as UTF-8
        w = csv.writer(f)
        w.writerow(COLUMNS)
        for r in picked:
            note, thread = _thread(r)
            w.writerow([r["id"], note, thread, texts[r["id"]], r["reply"]["text"], "", ""])
    key = out.with_suffix(".key.jsonl")
    key.write_text("".join(json.dumps({"item": r["id"], "stratum": stratum(r), "complaint": _complaint(r),
                                       "model": r.get("model")}, ensure_ascii=False) + "\n" for r in picked),
                   encoding="utf-8")
    return len(picked), key


def _complaint(record: dict[str, Any]) -> bool:
    return (record.get("triage") or {}).get("source") in COMPLAINT_SOURCES


def _sheet_rows(sheet: Path) -> list[dict[str, str]]:
    with sheet.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def _kept_rows(sheet: Path) -> list[dict[str, str]]:
    """A rating kept as ids, grades and reasons (JSONL): the form for comments whose licence keeps their text
    out of the project."""
    rows = []
    for i, line in enumerate(sheet.read_text(encoding="utf-8").splitlines(), 1):
        try:
            r = json.loads(line) if line.strip() else None
        except json.JSONDecodeError as e:
            raise UserError(f"{sheet}:{i}: not JSON ({e.msg})") from e
        if isinstance(r, dict):
            rows.append({"item": str(r.get("id", "")), GRADE_COLUMN: str(r.get("grade", "")),
                         REASON_COLUMN: str(r.get("reason", ""))})
    return rows


def read_grades(sheet: Path) -> list[tuple[str, str, str]]:
    """(item, grade, reason) of every graded row; a grade outside A–D or a missing reason is an error."""
    try:
        rows = _kept_rows(sheet) if sheet.suffix == ".jsonl" else _sheet_rows(sheet)
    except OSError as e:
        raise UserError(f"{sheet}: cannot read ({e.strerror})") from e
    graded = []
    for i, row in enumerate(rows, 1 if sheet.suffix == ".jsonl" else 2):  # a CSV's line 1 is its header
        grade = (row.get(GRADE_COLUMN) or "").strip().upper()[:1]
        reason = (row.get(REASON_COLUMN) or "").strip()
        if not grade:
            continue
        if grade not in GRADES:
            raise UserError(f"{sheet}:{i}: grade '{row.get(GRADE_COLUMN)}' is not A, B, C or D")
        if grade != "A" and not reason:
            raise UserError(f"{sheet}:{i}: grade {grade} needs a reason")
        graded.append((row.get("item") or "", grade, reason))
    return graded


def figures(grades: list[tuple[str, str, str]], key: dict[str, dict[str, Any]]) -> dict[str, Any]:
    def shares(rows: list[tuple[str, str, str]]) -> dict[str, Any]:
        count = Counter(g for _, g, _ in rows)
        n = len(rows)
        out: dict[str, Any] = {"rated": n, **{g: round(count[g] / n, 3) if n else 0.0 for g in GRADES}}
        out["A+B"] = round((count["A"] + count["B"]) / n, 3) if n else 0.0
        return out

    complaints = [g for g in grades if key.get(g[0], {}).get("complaint")]
    by_stratum: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for g in grades:
        by_stratum[key.get(g[0], {}).get("stratum", "?")].append(g)
    reasons = {grade: Counter(r for _, g, r in grades if g == grade and r).most_common(10) for grade in GRADES}
    return {"overall": shares(grades), "complaints": shares(complaints),
            "by_stratum": {k: shares(v) for k, v in sorted(by_stratum.items())}, "reasons": reasons}


def aggregate(sheets: list[Path], key_path: Path | None) -> dict[str, Any]:
    key_path = key_path or sheets[0].with_suffix(".key.jsonl")
    key = {row["item"]: row for row in _read_jsonl(key_path)} if key_path.exists() else {}
    grades = [g for sheet in sheets for g in read_grades(sheet)]
    if not grades:
        raise UserError(f"no graded rows in {', '.join(str(s) for s in sheets)}")
    return figures(grades, key)


def print_figures(result: dict[str, Any]) -> None:
    print(f"{'':<28}{'rated':>6}" + "".join(f"{g:>7}" for g in [*GRADES, "A+B"]))
    rows = [("overall", result["overall"]), ("complaints", result["complaints"]),
            *((f"  {k}", v) for k, v in result["by_stratum"].items())]
    for label, s in rows:
        print(f"{label:<28}{s['rated']:>6}" + "".join(f"{s[g]:>7.0%}" for g in [*GRADES, "A+B"]))
    for grade, reasons in result["reasons"].items():
        for reason, count in reasons:
            print(f"{grade} ({GRADES[grade]}) ×{count}: {reason}")


def register(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser("rate", help="Blind rating: write a rating sheet from a batch output, or aggregate sheets")
    rs = p.add_subparsers(dest="rate_command", metavar="sample|appeals|aggregate", required=True)
    s = rs.add_parser("sample", help="Sample N drafts, stratified by action, into a rating sheet (CSV)")
    s.add_argument("drafts", type=Path, help="The batch output (JSONL of drafts)")
    s.add_argument("--comments", type=Path, required=True, help="The comments file the batch read")
    s.add_argument("--n", type=int, default=80, help="Drafts to sample (default 80)")
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--out", type=Path, required=True, help="The sheet (CSV); its key is written beside it")
    s.set_defaults(func=cmd_sample)
    ap = rs.add_parser("appeals", help="Appeals and rung drafts on the held-out comments into a rating sheet (CSV)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--also", action="append", default=[], metavar="FILE:BRAND",
                    help="Another file of comments nobody tuned on, drafted for BRAND (repeatable)")
    ap.add_argument("--out", type=Path, required=True, help="The sheet (CSV); its key is written beside it")
    ap.add_argument("--only-also", action="store_true",
                    help="Only the --also files: leave out the held-out sets (once rated, they are read)")
    ap.set_defaults(func=cmd_appeals_sheet)
    a = rs.add_parser("aggregate", help="Figures from filled sheets: A/B/C/D overall and for complaints")
    a.add_argument("sheets", type=Path, nargs="+", help="Filled sheets (one per rater)")
    a.add_argument("--key", type=Path, help="The key file (default: beside the first sheet)")
    a.add_argument("--json", action="store_true", help="Print the figures as JSON")
    a.set_defaults(func=cmd_aggregate)


def cmd_sample(args: argparse.Namespace, settings: Settings) -> int:
    if args.n < 1:
        raise UserError("--n must be at least 1")
    n, key = write_sheet(args.drafts, args.comments, args.n, args.seed, args.out)
    print(f"{n} drafts in {args.out} (key: {key}); the raters' guide is evals/rating_guide.md")
    return 0


def cmd_appeals_sheet(args: argparse.Namespace, settings: Settings) -> int:
    from evals.appeal_sheet import extra_source, held_out, write

    if args.only_also and not args.also:
        raise UserError("--only-also needs at least one --also FILE:BRAND")
    sources = ([] if args.only_also else held_out(settings)) + [extra_source(spec, settings) for spec in args.also]
    appeals_n, rungs_n, key = write(args.out, settings, args.seed, sources)
    print(f"{appeals_n} appeals and {rungs_n} rung drafts in {args.out} (key: {key}); "
          "the raters' guide is evals/rating_guide_appeals.md")
    return 0


def cmd_aggregate(args: argparse.Namespace, settings: Settings) -> int:
    result = aggregate(args.sheets, args.key)
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print_figures(result)
    return 0
