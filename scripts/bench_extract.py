"""Benchmark PDF extraction: pdfplumber's plain text against our read stage and the whole pipeline.

    .venv/bin/python scripts/bench_extract.py [--pages 100] [--repeat 3] [--baseline-repeat 1]

A two-column agreement PDF of ``--pages`` pages (Swedish agreement text, running header and
footer, a ruled table every twenty pages; ``tests/pdf_factory.py``) is generated, then each
stage runs in a fresh subprocess so that its time and peak memory are its own:

- ``baseline``: pdfplumber, ``page.extract_text()`` on every page. Each page is closed after use
  (``page.close()``), as anyone reading a long PDF with pdfplumber should do; without it
  pdfplumber keeps every parsed page and its memory grows with the document.
- ``read``: ``rok_compare.ingest.read_document(path)`` (reading order, furniture, hyphens, tables).
- ``extract``: ``rok_compare.extract.extract_document(path)`` (read + segment + extract).

Module imports happen before the clock starts (reported apart). A stage runs ``--repeat`` times
in its subprocess; speed is from the median run, the first (cold) run is reported too. Peak
memory is the subprocess's peak resident set size (``ru_maxrss``), interpreter and imports
included. Results go to ``scripts/results/bench_extract.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "scripts" / "results"
TARGETS = {"read_speedup": 30.0, "extract_speedup": 10.0, "peak_rss_mb": 200.0}
STAGES = ("baseline", "read", "extract")


# --- the worker: one stage in its own process --------------------------------------------------

def _stage_function(stage: str):
    """Import what the stage needs (before timing) and return the call to time."""
    if stage == "baseline":
        import pdfplumber

        def run(path: Path) -> int:
            with pdfplumber.open(path) as pdf:
                for page in pdf.pages:
                    page.extract_text()
                    page.close()
                return len(pdf.pages)

        return run
    if stage in ("read", "extract"):  # what the reader imports lazily, on first use
        import pdfplumber.table  # noqa: F401
        import rapidfuzz  # noqa: F401

        import rok_compare.ingest.pdf  # noqa: F401
    if stage == "read":
        from rok_compare.ingest import read_document

        return lambda path: len(read_document(path).pages)
    if stage == "extract":
        from rok_compare.extract import extract_document

        return lambda path: len(extract_document(path).source.pages)
    raise SystemExit(f"unknown stage {stage!r}")


def _peak_rss_mb() -> float:
    """This process's peak resident set size. ``ru_maxrss`` is kept across ``exec`` on Linux (a
    child would report its parent's peak), so the kernel's high-water mark comes first."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux


def worker(stage: str, path: Path, repeat: int) -> dict:
    started = time.perf_counter()
    run = _stage_function(stage)
    result: dict = {"import_s": time.perf_counter() - started, "rss_after_import_mb": _peak_rss_mb(),
                    "load_average": os.getloadavg()[0]}
    runs, cpu = [], []
    try:
        for _ in range(repeat):
            clock, cpu_clock = time.perf_counter(), time.process_time()
            pages = run(path)
            runs.append(time.perf_counter() - clock)
            cpu.append(time.process_time() - cpu_clock)
    except Exception as error:  # a stage under construction must not sink the whole benchmark
        result["error"] = f"{type(error).__name__}: {error}"
        pages = 0
    result.update({"runs_s": runs, "cpu_s": cpu, "pages": pages, "peak_rss_mb": _peak_rss_mb()})
    return result


# --- the driver ----------------------------------------------------------------------------

def run_stage(stage: str, path: Path, repeat: int, timeout: float) -> dict:
    command = [sys.executable, str(Path(__file__).resolve()), "--worker", stage, "--pdf", str(path),
               "--repeat", str(repeat)]
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, env=env, check=False)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f} s", "runs_s": []}
    if done.returncode != 0 or not done.stdout.strip():
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": f"worker exited with {done.returncode}: {last}", "runs_s": []}
    return json.loads(done.stdout.strip().splitlines()[-1])


def summarise(name: str, result: dict, pages: int) -> dict:
    runs, cpu = result.get("runs_s") or [], result.get("cpu_s") or []
    if runs:
        median, median_cpu = statistics.median(runs), statistics.median(cpu)
        result.update({"median_s": median, "median_cpu_s": median_cpu, "first_s": runs[0], "min_s": min(runs),
                       "pages_per_s": pages / median, "pages_per_cpu_s": pages / median_cpu})
        print(f"{name:9s} {median:.3f} s ({median_cpu:.3f} s CPU)  {result['pages_per_s']:.1f} pages/s  "
              f"peak {result['peak_rss_mb']:.0f} MB", file=sys.stderr)
    else:
        print(f"{name:9s} {result.get('error', 'no runs')}", file=sys.stderr)
    return result


def generate(path: Path, pages: int) -> dict:
    sys.path.insert(0, str(ROOT / "tests"))
    from pdf_factory import benchmark_agreement

    clock = time.perf_counter()
    spec = benchmark_agreement(path, pages=pages)
    tables = sum(1 for row in spec.table_rows if row[0] == "Insats")
    return {"pages": spec.pages, "bytes": path.stat().st_size, "tables": tables,
            "generate_s": round(time.perf_counter() - clock, 2), "layout": "two columns, A4, 10 pt",
            "furniture": "running header, footer 'N (M)'"}


def speedups(stages: dict) -> dict:
    """How many times faster than the baseline, by wall time and by CPU time."""
    out: dict = {}
    for clock in ("median_s", "median_cpu_s"):
        base = stages["baseline"].get(clock)
        for name in ("read", "extract"):
            ours = stages[name].get(clock)
            key = f"{name}_{'wall' if clock == 'median_s' else 'cpu'}"
            out[key] = round(base / ours, 1) if base and ours else None
    return out


def verdicts(stages: dict, factors: dict) -> dict:
    """Targets judged on CPU time: other processes on a shared machine do not move it."""
    peak = max((s.get("peak_rss_mb") or 0) for name, s in stages.items() if name != "baseline")
    read, extract = factors["read_cpu"], factors["extract_cpu"]
    return {"read_speedup": read is not None and read >= TARGETS["read_speedup"],
            "extract_speedup": extract is not None and extract >= TARGETS["extract_speedup"],
            "peak_rss_mb": 0 < peak <= TARGETS["peak_rss_mb"]}


LABELS = {"baseline": "pdfplumber `extract_text` (pages closed)", "read": "read (`read_document`)",
          "extract": "whole extraction (`extract_document`)"}


def markdown(report: dict) -> str:
    doc, stages, factors = report["document"], report["stages"], report["speedups"]
    machine = report["machine"]
    intro = (f"{doc['pages']}-page generated agreement ({doc['layout']}; {doc['furniture']}; "
             f"{doc['tables']} ruled tables), {machine['cpus']} CPUs, Python {machine['python']}, "
             f"{report['date']}. Median of {report['repeat']} runs per stage (baseline: "
             f"{report['baseline_repeat']}), each stage in its own process, imports not timed; "
             "peak RSS includes the interpreter and imports.")
    lines = ["# PDF extraction benchmark", "", intro, "",
             "| stage | median s (CPU s) | first run s | pages/s | × baseline wall (CPU) "
             "| peak RSS MB | load avg |",
             "|---|---:|---:|---:|---:|---:|---:|"]
    for name in STAGES:
        s = stages[name]
        if "median_s" not in s:
            lines.append(f"| {LABELS[name]} | – | – | – | – | – | {s.get('error', '')} |")
            continue
        wall, cpu = (1.0, 1.0) if name == "baseline" else (factors[f"{name}_wall"], factors[f"{name}_cpu"])
        cells = [LABELS[name], f"{s['median_s']:.3f} ({s['median_cpu_s']:.3f})", f"{s['first_s']:.3f}",
                 f"{s['pages_per_s']:.1f}", f"{wall}× ({cpu}×)", f"{s['peak_rss_mb']:.0f}",
                 f"{s['load_average']:.1f}"]
        lines.append("| " + " | ".join(cells) + " |")
    met = {key: "met" if value else "NOT met" for key, value in report["meets_targets"].items()}
    lines += ["", "Targets (judged on CPU time, which other processes on a shared machine do not move): "
              f"read ≥ {TARGETS['read_speedup']:.0f}× ({met['read_speedup']}), "
              f"whole extraction ≥ {TARGETS['extract_speedup']:.0f}× ({met['extract_speedup']}), "
              f"peak memory ≤ {TARGETS['peak_rss_mb']:.0f} MB ({met['peak_rss_mb']}).", ""]
    models = report.get("models_in_extraction")
    if models:
        lines += [f"Trained models within extraction (in one process): deciders {models['deciders_cpu_s']:.3f} s "
                  f"and clause models {models['clause_models_cpu_s']:.3f} s of {models['extract_cpu_s']:.3f} s "
                  f"CPU, {models['models_share']:.1%} (target ≤ 10 %).", ""]
    return "\n".join(lines)


def real_corpus(folder: Path) -> dict | None:
    """The second corpus: every real PDF read with OCR off (CPU time, ours against pdfplumber's
    ``extract_text``), then the pages without a usable text layer read with OCR on (wall time:
    Tesseract runs in its own process). In this process, after the generated-PDF stages."""
    pdfs = sorted(folder.glob("*.pdf")) if folder.is_dir() else []
    if not pdfs:
        return None
    import pdfplumber

    from rok_compare.errors import InputError
    from rok_compare.ingest.pdf import read_pdf
    from rok_compare.ingest.pdf.ocr import tesseract_ready

    rows, ours_total, plumber_total, ocr_seconds, ocr_pages = [], 0.0, 0.0, 0.0, 0
    for path in pdfs:
        data = path.read_bytes()
        started = time.process_time()
        try:
            document = read_pdf(path, data, "", ocr="never")
            scanned = [w for w in document.warnings if "no text layer" in w or "unreadable text layer" in w]
            error = None
        except InputError as failure:
            document, scanned, error = None, ["all"], failure.problem
        ours = time.process_time() - started
        started = time.process_time()
        with pdfplumber.open(path) as pdf:
            pages = len(pdf.pages)
            for page in pdf.pages:
                page.extract_text()
                page.close()
        plumber = time.process_time() - started
        ours_total, plumber_total = ours_total + ours, plumber_total + plumber
        row = {"file": path.name, "pages": pages, "read_cpu_s": round(ours, 3), "pdfplumber_cpu_s": round(plumber, 3)}
        if scanned and tesseract_ready():
            started = time.perf_counter()
            ocr_document = read_pdf(path, data, "", ocr="auto")
            seconds = time.perf_counter() - started - (ours if error is None else 0.0)
            row["ocr_pages"] = pages if error is not None or "unreadable" in scanned[0] else len(
                scanned[0].split(":")[0].split(","))
            row["ocr_wall_s"] = round(seconds, 2)
            row["ocr_chars"] = len(ocr_document.text)
            ocr_seconds, ocr_pages = ocr_seconds + seconds, ocr_pages + row["ocr_pages"]
        elif error:
            row["error"] = error
        rows.append(row)
        print(f"real: {path.name} {row}", file=sys.stderr)
    return {"documents": len(pdfs), "pages": sum(r["pages"] for r in rows), "read_cpu_s": round(ours_total, 2),
            "pdfplumber_cpu_s": round(plumber_total, 2), "read_speedup": round(plumber_total / ours_total, 1),
            "ocr_pages": ocr_pages, "ocr_s_per_page": round(ocr_seconds / ocr_pages, 2) if ocr_pages else None,
            "files": rows}


def model_share(path: Path, repeat: int) -> dict:
    """CPU time of the trained models (the extraction deciders and the clause models) within the
    extraction of ``path``, in this process: the models must stay a small part of extraction."""
    from rok_compare.classify.shipped import ClauseModels
    from rok_compare.extract import extract
    from rok_compare.extract.decider import LinearDecider
    from rok_compare.ingest import read_document

    spent = {"deciders": 0.0, "clause_models": 0.0}

    def timed(function, key):
        def wrapper(*args, **kwargs):
            started = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent[key] += time.process_time() - started
        return wrapper

    source = read_document(path)
    extract(source)  # warm: models loaded, caches filled
    originals = (LinearDecider.decision_function, ClauseModels.predict)
    LinearDecider.decision_function = timed(originals[0], "deciders")
    ClauseModels.predict = timed(originals[1], "clause_models")
    try:
        started = time.process_time()
        for _ in range(repeat):
            extract(source)
        total = time.process_time() - started
    finally:
        LinearDecider.decision_function, ClauseModels.predict = originals
    return {"extract_cpu_s": round(total / repeat, 3),
            "deciders_cpu_s": round(spent["deciders"] / repeat, 4),
            "clause_models_cpu_s": round(spent["clause_models"] / repeat, 4),
            "models_share": round((spent["deciders"] + spent["clause_models"]) / total, 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3, help="runs of read and extract per process")
    parser.add_argument("--baseline-repeat", type=int, default=1, help="runs of the (slow) baseline")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds per stage")
    parser.add_argument("--worker", choices=STAGES, help=argparse.SUPPRESS)
    parser.add_argument("--pdf", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--real", type=Path, default=ROOT.parent / "shared" / "pdf" / "real",
                        help="folder of real PDFs for the second corpus (skipped when missing)")
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.pdf, max(1, args.repeat))))
        return
    with tempfile.TemporaryDirectory(prefix="bench_extract_") as folder:
        path = Path(folder) / "agreement.pdf"
        document = generate(path, args.pages)
        print(f"generated {document['pages']} pages, {document['bytes'] / 1e6:.1f} MB", file=sys.stderr)
        stages = {}
        for stage in STAGES:
            repeat = args.baseline_repeat if stage == "baseline" else args.repeat
            stages[stage] = summarise(stage, run_stage(stage, path, max(1, repeat), args.timeout),
                                      document["pages"])
        models = model_share(path, max(1, args.repeat))
    factors = speedups(stages)
    report = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(),
                    "platform": platform.platform()},
        "repeat": args.repeat, "baseline_repeat": args.baseline_repeat, "document": document,
        "stages": stages, "speedups": factors, "targets": TARGETS,
        "meets_targets": verdicts(stages, factors),
        "models_in_extraction": models,
        "real_corpus": real_corpus(args.real),
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "bench_extract.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    (RESULTS / "bench_extract.md").write_text(markdown(report))
    print(markdown(report))


if __name__ == "__main__":
    main()
