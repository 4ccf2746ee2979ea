"""Benchmark the text reader and segmenter on hostile inputs (issue 12, item 6).

    .venv/bin/python scripts/bench_hostile_text.py [--sizes 100000 1000000] [--out PATH | --out -]

Each pattern is a text file of about SIZE characters built to hit one of the loops or regular
expressions that used to be quadratic (or worse) in ``rok_compare/ingest/text.py`` and
``rok_compare/segment/blocks.py``: unclosed comments, scripts and doctypes, a long word after an
entity, many short lines, many tags on one table row, a contents leader of 3,000 dots. The file
is read (``read_bytes``: decode, markup blanking) and segmented (lines, furniture, blocks,
sections, sentences); both are timed. Linear code takes about ten times as long for ten times the
input; the old code took minutes at 100 KB.

Results go to ``scripts/results/bench_hostile_text.json`` (``--out -``: stdout only, as the test
``tests/test_hardening_reader.py`` runs it).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rok_compare.ingest.reader import read_bytes  # noqa: E402
from rok_compare.segment import segment  # noqa: E402

FILLER = "Parterna ska samverka kring mottagandet av nyanlända i länet.\n"


def _repeat(unit: str, size: int, lead: str = "Överenskommelse om samverkan\n") -> str:
    return lead + unit * max(1, (size - len(lead)) // len(unit))


PATTERNS: dict[str, Callable[[int], str]] = {
    "unclosed_comments": lambda n: _repeat("<!--", n),
    "unclosed_comment_then_text": lambda n: "Text <!--" + _repeat(FILLER, n - 9, ""),
    "long_word_after_entity": lambda n: "Enk&ouml;ping " + "a" * (n - 14),
    "short_lines": lambda n: _repeat("a\n", n),
    "short_lines_with_stops": lambda n: _repeat("a.\n", n),
    "unclosed_scripts": lambda n: _repeat("<script>", n),
    "unclosed_doctypes": lambda n: _repeat("<!DOCTYPE", n),
    "tags_on_one_table_row": lambda n: _repeat("x\t<br>", n),
    "contents_leader_of_3000_dots": lambda n: "Innehåll\nKapitel ett " + "." * 3000 + " 3\n"
                                              + _repeat(FILLER, n - 3030, ""),
}
"""Name -> text of about ``n`` characters."""
BEFORE = {
    "measured_on": "commit 9329ab0 (before the fix), this script at --sizes 100000, wall seconds (CPU seconds)",
    "unclosed_comments": "17.35", "long_word_after_entity": "46.54", "short_lines": "225.69 (128.59)",
    "short_lines_with_stops": "168.66 (96.28)", "unclosed_scripts": "11.35 (6.29)",
    "unclosed_doctypes": "2.06 (0.99)", "tags_on_one_table_row": "0.46 (0.22)",
    "contents_leader_regex_alone_on_1000_dots": "7.5",
}
"""The old code at 100 KB (the machine shared with other jobs: wall > CPU); 1 MB would take hours."""


def run(sizes: list[int], patterns: list[str] | None = None) -> dict[str, object]:
    """Time read and segment of each pattern at each size; wall seconds and this process's CPU seconds
    (the CPU time does not grow when other jobs share the machine)."""
    rows = []
    for name in patterns or list(PATTERNS):
        for size in sizes:
            data = PATTERNS[name](size).encode("utf-8")
            started, cpu = time.perf_counter(), time.process_time()
            source = read_bytes(Path(f"{name}.txt"), data)
            read = time.perf_counter() - started
            segment(source)
            total = time.perf_counter() - started
            rows.append({"pattern": name, "bytes": len(data), "read_s": round(read, 3),
                         "segment_s": round(total - read, 3), "total_s": round(total, 3),
                         "cpu_s": round(time.process_time() - cpu, 3)})
    return {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
            "sizes": sizes, "results": rows, "total_s": round(sum(r["total_s"] for r in rows), 3),
            "cpu_s": round(sum(r["cpu_s"] for r in rows), 3), "before": BEFORE}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--patterns", nargs="+", choices=list(PATTERNS), help="only these (default: all)")
    parser.add_argument("--out", default=str(ROOT / "scripts" / "results" / "bench_hostile_text.json"))
    args = parser.parse_args()
    report = run(args.sizes, args.patterns)
    text = json.dumps(report, indent=1) + "\n"
    if args.out == "-":
        sys.stdout.write(text)
        return
    Path(args.out).write_text(text, encoding="utf-8")
    for row in report["results"]:
        print(f"{row['pattern']:<30} {row['bytes']:>9,} B  read {row['read_s']:>6.2f} s  "
              f"segment {row['segment_s']:>6.2f} s  cpu {row['cpu_s']:>6.2f} s")
    print(f"total {report['total_s']:.1f} s (cpu {report['cpu_s']:.1f} s) -> {args.out}")


if __name__ == "__main__":
    main()
