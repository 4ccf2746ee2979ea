"""Benchmark the PDF reader's read stage alone against pdfplumber's bare ``extract_text``.

    .venv/bin/python scripts/bench_pdf_read.py [--pages 100] [--repeat 3] [--real ../shared/pdf/real]

Two corpora, each timed in ``--repeat`` rounds in this one process, ours and the baseline taking
turns (so that a burst of load on a shared machine falls on both), CPU time (``process_time``),
medians of the runs; ours is timed ``--samples`` times a round (its reads last a fraction of a
second, the baseline's many seconds, so one burst of load sways ours far more):

- ``generated``: the two-column 100-page agreement of ``tests/pdf_factory.py`` (running header
  and footer, a ruled table every twenty pages), as in ``scripts/bench_extract.py``;
- ``real``: every PDF in ``../shared/pdf/real`` (skipped when absent), read with OCR off (pages
  without a usable text layer are reported, not OCR'd: OCR is ``bench_extract.py``'s).

Ours is ``read_document`` (the whole read stage: reading order, furniture, footnotes, hyphens,
tables, NFC); the baseline opens the PDF with pdfplumber and calls ``page.extract_text()`` on
every page, closing each page after use. Imports and a warm-up read come before the clock.
Results go to ``scripts/results/bench_pdf_read.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import platform
import resource
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "scripts" / "results"
TARGET = 30.0
"""The read stage's target on the generated PDF: this many times pdfplumber's speed (CPU)."""


def generate(path: Path, pages: int) -> None:
    sys.path.insert(0, str(ROOT / "tests"))
    from pdf_factory import benchmark_agreement

    benchmark_agreement(path, pages=pages)


def ours(paths: list[Path]) -> None:
    from rok_compare.errors import InputError
    from rok_compare.ingest.nfc import normalize_document
    from rok_compare.ingest.pdf import read_pdf

    for path in paths:
        with contextlib.suppress(InputError):  # read_document with OCR off; a file without text fails
            normalize_document(read_pdf(path, path.read_bytes(), "", ocr="never"))


def baseline(paths: list[Path]) -> None:
    import pdfplumber

    for path in paths:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.close()


def cpu(function, paths: list[Path]) -> float:
    started = time.process_time()
    function(paths)
    return time.process_time() - started


def measure(name: str, paths: list[Path], repeat: int, samples: int = 1) -> dict:
    """Ours and the baseline in turns, ``repeat`` rounds; medians and their ratio. In each round
    ours is timed ``samples`` times (reads of a fraction of a second each, which a burst of load
    on a shared machine sways much more than the baseline's read of many seconds), the
    baseline once; a round's ratio is the baseline over the median of its samples."""
    ours(paths)  # warm-up: lazy imports, the first page's caches
    ours_runs, baseline_runs, rounds = [], [], []
    for run in range(repeat):
        samples_here = [cpu(ours, paths) for _ in range(samples)]
        ours_runs += samples_here
        baseline_runs.append(cpu(baseline, paths))
        rounds.append(statistics.median(samples_here))
        print(f"{name} run {run + 1}: ours {', '.join(f'{s:.3f}' for s in samples_here)} s, pdfplumber "
              f"{baseline_runs[-1]:.3f} s CPU ({baseline_runs[-1] / rounds[-1]:.1f}x)", file=sys.stderr)
    pages = _pages(paths)
    ours_median, baseline_median = statistics.median(ours_runs), statistics.median(baseline_runs)
    return {"files": len(paths), "pages": pages, "ours_cpu_s": ours_runs, "pdfplumber_cpu_s": baseline_runs,
            "ours_samples_per_round": samples,
            "ours_median_s": round(ours_median, 4), "pdfplumber_median_s": round(baseline_median, 4),
            "speedup": round(baseline_median / ours_median, 1),
            "speedup_per_run": [round(b / o, 1) for o, b in zip(rounds, baseline_runs, strict=True)],
            "ours_pages_per_cpu_s": round(pages / ours_median, 1)}


def per_file(paths: list[Path], repeat: int) -> list[dict]:
    """Each real file's own median (ours only): where the read stage spends its time."""
    rows = []
    for path in paths:
        runs = [cpu(ours, [path]) for _ in range(repeat)]
        rows.append({"file": path.name, "pages": _pages([path]), "ours_median_s": round(statistics.median(runs), 4)})
    return sorted(rows, key=lambda row: -row["ours_median_s"])


def ocr_per_page(paths: list[Path]) -> dict | None:
    """Seconds a page of OCR takes on the PDFs without a usable text layer (read once with
    ``ocr="auto"``): wall time, and CPU time with Tesseract's (child processes) counted in."""
    from rok_compare.ingest.pdf import read_pdf
    from rok_compare.ingest.pdf.ocr import tesseract_ready

    if not paths or not tesseract_ready():
        return None
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    started, cpu_started = time.perf_counter(), time.process_time()
    for path in paths:
        read_pdf(path, path.read_bytes(), "", ocr="auto")
    wall, own = time.perf_counter() - started, time.process_time() - cpu_started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    child = (after.ru_utime + after.ru_stime) - (children.ru_utime + children.ru_stime)
    pages = _pages(paths)
    return {"files": [path.name for path in paths], "pages": pages, "wall_s_per_page": round(wall / pages, 2),
            "cpu_s_per_page": round((own + child) / pages, 2)}


def scanned(paths: list[Path]) -> list[Path]:
    """The PDFs whose read with OCR off fails for want of a text layer or warns of pages without one."""
    from rok_compare.errors import InputError
    from rok_compare.ingest.pdf import read_pdf

    found = []
    for path in paths:
        try:
            document = read_pdf(path, path.read_bytes(), "", ocr="never")
        except InputError:
            found.append(path)
            continue
        if any("no text layer" in warning or "unreadable text layer" in warning for warning in document.warnings):
            found.append(path)
    return found


def _pages(paths: list[Path]) -> int:
    import pypdfium2 as pdfium

    total = 0
    for path in paths:
        document = pdfium.PdfDocument(path)
        total += len(document)
        document.close()
    return total


def markdown(result: dict) -> str:
    lines = ["# PDF read-stage benchmark", "",
             f"{result['machine']}, {result['date']}, load average {result['load_average_start']:.1f} at the "
             f"start. CPU time, {result['repeat']} rounds, ours and pdfplumber's bare `extract_text` (pages "
             "closed) taking turns in one process, ours timed "
             f"{result['generated'].get('ours_samples_per_round', 1)} times a round; medians. Imports and a "
             "warm-up read untimed. Ours: `read_pdf` + NFC (the read stage of `read_document`), OCR off.", "",
             "| corpus | files | pages | ours s | pdfplumber s | × pdfplumber (median) | per run | ours pages/s |",
             "|---|---:|---:|---:|---:|---:|---|---:|"]
    for name in ("generated", "real"):
        row = result.get(name)
        if row:
            lines.append(f"| {name} | {row['files']} | {row['pages']} | {row['ours_median_s']:.3f} | "
                         f"{row['pdfplumber_median_s']:.3f} | {row['speedup']}× | "
                         f"{', '.join(f'{x}×' for x in row['speedup_per_run'])} | {row['ours_pages_per_cpu_s']} |")
    generated = result["generated"]["speedup"]
    lines += ["", f"Target on the generated PDF: ≥ {TARGET:.0f}× ({'met' if generated >= TARGET else 'NOT met'}).", ""]
    if result.get("ocr"):
        ocr = result["ocr"]
        lines += [f"OCR (Tesseract, Swedish) on the {len(ocr['files'])} real PDFs without a usable text layer "
                  f"({ocr['pages']} pages): {ocr['wall_s_per_page']} s a page (wall), {ocr['cpu_s_per_page']} s "
                  "a page CPU with Tesseract's processes.", ""]
    if result.get("real_files"):
        lines += ["Slowest real files (ours, median):", "", "| file | pages | s |", "|---|---:|---:|"]
        lines += [f"| {row['file']} | {row['pages']} | {row['ours_median_s']:.3f} |"
                  for row in result["real_files"][:8]]
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--real", type=Path, default=ROOT.parent / "shared" / "pdf" / "real")
    parser.add_argument("--samples", type=int, default=3, help="timings of ours per round (median taken)")
    parser.add_argument("--no-real", action="store_true", help="the generated PDF only")
    parser.add_argument("--no-ocr", action="store_true", help="skip timing OCR on the real scans")
    args = parser.parse_args()
    if args.repeat < 1 or args.pages < 1 or args.samples < 1:
        raise SystemExit("error: --repeat, --pages and --samples must be at least 1")
    import pdfplumber  # noqa: F401  (imports before any clock)

    import rok_compare.ingest.pdf  # noqa: F401

    result: dict = {"date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "repeat": args.repeat,
                    "machine": f"{os.cpu_count()} CPUs, Python {platform.python_version()}",
                    "load_average_start": os.getloadavg()[0]}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "agreement.pdf"
        generate(path, args.pages)
        result["generated"] = measure("generated", [path], args.repeat, args.samples)
    real = sorted(args.real.glob("*.pdf")) if args.real.is_dir() and not args.no_real else []
    if real:
        result["real"] = measure("real", real, args.repeat, args.samples)
        result["real_files"] = per_file(real, args.repeat)
        if not args.no_ocr:
            result["ocr"] = ocr_per_page(scanned(real))
    result["load_average_end"] = os.getloadavg()[0]
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "bench_pdf_read.json").write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    (RESULTS / "bench_pdf_read.md").write_text(markdown(result), encoding="utf-8")
    print(markdown(result))


if __name__ == "__main__":
    main()
