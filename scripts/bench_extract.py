"""Benchmark extraction from PDF: pdfplumber's plain text against our read stage and the whole pipeline.

    .venv/bin/python scripts/bench_extract.py [--pages 100] [--repeat 3] [--no-real-pdfs]

Documents, made in a temporary folder for the run:

- ``multiparty``: a 100-page two-column agreement of 64 signatories (``tests/agreement_factory.py``):
  party list, goals, a commitment section per party with a list of undertakings and sentences that
  name the party and another, a signature block per party, running header, "Sida N av M" footers;
- ``generated``: the 100-page two-column agreement of ``tests/pdf_factory.py`` (Swedish agreement
  text, header, footer, a ruled table every twenty pages; it names no party list);
- ``real text``: the real corpus texts (``corpus/seeds`` and ``../shared/corpus/{dev,train}``, read
  in place) laid out as PDFs, one PDF per document (``real text, per document``) and all of them in
  one long PDF (``real text, one PDF``).

Speed: for each document, ``--repeat`` rounds in this one process, the three stages taking turns
within a round (a burst of load on the shared machine falls on all three), CPU time
(``process_time``), medians of the rounds. Imports and a warm-up of our stages come first.

- ``baseline``: pdfplumber, ``page.extract_text()`` on every page, each page closed after use;
- ``read``: ``rok_compare.ingest.read_document`` (reading order, furniture, hyphens, tables);
- ``extract``: ``rok_compare.extract.extract_document`` (read + segment + extract, every model).

Also: peak memory of the whole extraction of each document in a fresh process (``VmHWM``,
interpreter and imports included); the trained models' share of extraction CPU; how extraction
time grows with document length (the multi-party agreement at 25, 50, 100 and 200 pages: the slope
of log time against log characters); and, unless ``--no-real-pdfs``, the read stage and OCR on the
real PDFs of ``../shared/pdf/real``. Results go to ``scripts/results/bench_extract.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
RESULTS = ROOT / "scripts" / "results"
TARGETS = {"multiparty_extract": 15.0, "real_text_extract": 10.0, "read": 30.0, "peak_rss_mb": 200.0,
           "models_share": 0.10, "growth_exponent": 1.15}
GROWTH_PAGES = (25, 50, 100, 200)
sys.path.insert(0, str(ROOT / "tests"))


# --- the documents -----------------------------------------------------------------------------

def real_texts() -> list[Path]:
    """The real corpus texts: the bundled seeds and the shared development and training documents."""
    folders = [ROOT / "corpus" / "seeds", SHARED / "corpus" / "dev", SHARED / "corpus" / "train"]
    return [path for folder in folders if folder.is_dir() for path in sorted(folder.glob("*.txt"))]


def make_documents(folder: Path, pages: int) -> dict[str, dict]:
    """Every benchmark document set: name -> description and PDF paths."""
    from agreement_factory import multiparty_agreement, text_pdf
    from pdf_factory import benchmark_agreement

    documents: dict[str, dict] = {}
    path = folder / "multiparty.pdf"
    spec = multiparty_agreement(path, pages=pages)
    documents["multiparty"] = {"paths": [path], "pages": spec.pages,
                               "about": f"{spec.pages}-page two-column agreement of 64 parties: party list, "
                                        "per-party commitment sections, signature blocks, header, footer"}
    path = folder / "generated.pdf"
    spec = benchmark_agreement(path, pages=pages)
    documents["generated"] = {"paths": [path], "pages": spec.pages,
                              "about": f"{spec.pages}-page two-column agreement, header, footer, ruled tables, "
                                       "no party list"}
    texts = real_texts()
    if texts:
        paths, total = [], 0
        for text in texts:
            target = folder / "real" / f"{text.parent.name}_{text.stem}.pdf"
            target.parent.mkdir(exist_ok=True)
            total += text_pdf(target, text.read_text(encoding="utf-8"), text.stem.replace("_", " ")).pages
            paths.append(target)
        documents["real text, per document"] = {
            "paths": paths, "pages": total,
            "about": f"the {len(texts)} real corpus texts, one PDF each ({total} pages)"}
        path = folder / "real_all.pdf"
        joined = "\n\n".join(text.read_text(encoding="utf-8") for text in texts)
        spec = text_pdf(path, joined, "Regionala överenskommelser")
        documents["real text, one PDF"] = {"paths": [path], "pages": spec.pages,
                                           "about": f"the {len(texts)} real corpus texts in one "
                                                    f"{spec.pages}-page PDF"}
    for document in documents.values():
        document["chars"] = sum(len(_read(p).text) for p in document["paths"])
    return documents


def _read(path: Path):
    from rok_compare.ingest import read_document

    return read_document(path)


# --- the stages ---------------------------------------------------------------------------------

def _baseline(paths: list[Path]) -> int:
    import pdfplumber

    pages = 0
    for path in paths:
        with pdfplumber.open(path) as pdf:
            for page in pdf.pages:
                page.extract_text()
                page.close()
            pages += len(pdf.pages)
    return pages


def _read_stage(paths: list[Path]) -> int:
    return sum(len(_read(path).pages) for path in paths)


def _extract_stage(paths: list[Path]) -> int:
    from rok_compare.extract import extract_document

    return sum(len(extract_document(path).source.pages) for path in paths)


STAGES: dict[str, Callable[[list[Path]], int]] = {"baseline": _baseline, "read": _read_stage,
                                                  "extract": _extract_stage}


def _cpu(function: Callable[[], object]) -> float:
    started = time.process_time()
    function()
    return time.process_time() - started


def time_stages(paths: list[Path], repeat: int) -> dict[str, dict]:
    """CPU seconds of each stage, ``repeat`` rounds with the stages taking turns."""
    _extract_stage(paths[:1])  # warm: models loaded, patterns compiled, caches filled
    runs: dict[str, list[float]] = {name: [] for name in STAGES}
    for _ in range(repeat):
        for name, stage in STAGES.items():
            runs[name].append(_cpu(lambda stage=stage: stage(paths)))
    return {name: {"cpu_s": [round(r, 4) for r in values], "median_cpu_s": round(statistics.median(values), 4)}
            for name, values in runs.items()}


def _peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def peak_memory(paths: list[Path]) -> float:
    """Peak resident memory (MB) of a fresh process that extracts ``paths``."""
    code = ("import sys, json; sys.path.insert(0, sys.argv[1]); import bench_extract as b; "
            "b._extract_stage([b.Path(p) for p in sys.argv[2:]]); print(b._peak_rss_mb())")
    done = subprocess.run([sys.executable, "-c", code, str(ROOT / "scripts"), *map(str, paths)],
                          capture_output=True, text=True, check=False,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    if done.returncode != 0:
        raise SystemExit(f"peak memory run failed: {done.stderr.strip().splitlines()[-1:]}")
    return round(float(done.stdout.strip().splitlines()[-1]), 1)


def model_share(path: Path, repeat: int) -> dict:
    """CPU time of the trained models (the extraction deciders and the clause models) within the
    extraction of ``path``: the models must stay a small part of extraction."""
    from rok_compare.classify.shipped import ClauseModels
    from rok_compare.extract import extract
    from rok_compare.extract.decider import LinearDecider

    spent = {"deciders": 0.0, "clause_models": 0.0}

    def timed(function, key):
        def wrapper(*args, **kwargs):
            started = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent[key] += time.process_time() - started
        return wrapper

    source = _read(path)
    extract(source)
    originals = (LinearDecider.predict_proba, ClauseModels.predict)
    LinearDecider.predict_proba = timed(originals[0], "deciders")
    ClauseModels.predict = timed(originals[1], "clause_models")
    try:
        total = sum(_cpu(lambda: extract(source)) for _ in range(repeat))
    finally:
        LinearDecider.predict_proba, ClauseModels.predict = originals
    return {"extract_cpu_s": round(total / repeat, 3), "deciders_cpu_s": round(spent["deciders"] / repeat, 4),
            "clause_models_cpu_s": round(spent["clause_models"] / repeat, 4),
            "models_share": round((spent["deciders"] + spent["clause_models"]) / total, 3)}


def growth(folder: Path, repeat: int) -> dict:
    """Whole extraction of the multi-party agreement at several lengths: CPU medians and the
    least-squares slope of log time against log characters (1.0 = linear)."""
    from agreement_factory import multiparty_agreement

    rows = []
    for pages in GROWTH_PAGES:
        path = folder / f"growth_{pages}.pdf"
        multiparty_agreement(path, pages=pages)
        seconds = statistics.median(_cpu(lambda path=path: _extract_stage([path])) for _ in range(repeat))
        rows.append({"pages": pages, "chars": len(_read(path).text), "extract_cpu_s": round(seconds, 4)})
        print(f"growth: {rows[-1]}", file=sys.stderr)
    xs = [math.log(r["chars"]) for r in rows]
    ys = [math.log(r["extract_cpu_s"]) for r in rows]
    mx, my = statistics.fmean(xs), statistics.fmean(ys)
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum((x - mx) ** 2 for x in xs)
    return {"rows": rows, "exponent": round(slope, 3)}


def real_pdfs(folder: Path) -> dict | None:
    """Every real PDF read with OCR off (CPU, ours against pdfplumber's ``extract_text``), then the
    pages without a usable text layer read with OCR on (wall time: Tesseract runs in its own process)."""
    pdfs = sorted(folder.glob("*.pdf")) if folder.is_dir() else []
    if not pdfs:
        return None
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
        plumber = _cpu(lambda path=path: _baseline([path]))
        pages = _page_count(path)
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
    return {"documents": len(pdfs), "pages": sum(r["pages"] for r in rows), "read_cpu_s": round(ours_total, 2),
            "pdfplumber_cpu_s": round(plumber_total, 2), "read_speedup": round(plumber_total / ours_total, 1),
            "ocr_pages": ocr_pages, "ocr_s_per_page": round(ocr_seconds / ocr_pages, 2) if ocr_pages else None,
            "files": rows}


def _page_count(path: Path) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(str(path))
    try:
        return len(document)
    finally:
        document.close()


# --- the report ---------------------------------------------------------------------------------

def verdicts(report: dict) -> dict:
    documents = report["documents"]

    def factor(name: str, stage: str) -> float:
        return documents.get(name, {}).get("speedup", {}).get(stage) or 0.0

    reads = [d["speedup"]["read"] for d in documents.values() if d["pages"] >= 50]
    return {
        "multiparty_extract": factor("multiparty", "extract") >= TARGETS["multiparty_extract"],
        "real_text_extract": all(factor(name, "extract") >= TARGETS["real_text_extract"]
                                 for name in documents if name.startswith("real text")),
        "read": bool(reads) and min(reads) >= TARGETS["read"],
        "peak_rss_mb": max(d["peak_rss_mb"] for d in documents.values()) <= TARGETS["peak_rss_mb"],
        "models_share": report["models_in_extraction"]["models_share"] <= TARGETS["models_share"],
        "growth_exponent": report["growth"]["exponent"] <= TARGETS["growth_exponent"],
    }


def markdown(report: dict) -> str:
    machine = report["machine"]
    lines = ["# Extraction benchmark", "",
             f"{machine['cpus']} CPUs, Python {machine['python']}, {report['date']}, load average "
             f"{report['load_average']:.1f} at the start. CPU seconds, medians of {report['repeat']} rounds "
             "in one process, the three stages taking turns in each round; imports and a warm-up first. "
             "Peak RSS: the whole extraction in a fresh process (interpreter and imports included).", "",
             "| document | pages | pdfplumber `extract_text` s | read s | × | whole extraction s | × | peak RSS MB |",
             "|---|---:|---:|---:|---:|---:|---:|---:|"]
    for name, d in report["documents"].items():
        s, f = d["stages"], d["speedup"]
        lines.append(f"| {name} | {d['pages']} | {s['baseline']['median_cpu_s']:.2f} | {s['read']['median_cpu_s']:.3f} "
                     f"| **{f['read']}×** | {s['extract']['median_cpu_s']:.3f} | **{f['extract']}×** "
                     f"| {d['peak_rss_mb']:.0f} |")
    lines += [""] + [f"- {name}: {d['about']}." for name, d in report["documents"].items()]
    models, grow = report["models_in_extraction"], report["growth"]
    lines += ["", "Trained models within extraction (multi-party agreement): deciders "
              f"{models['deciders_cpu_s']:.3f} s and clause models {models['clause_models_cpu_s']:.3f} s "
              f"of {models['extract_cpu_s']:.3f} s CPU, "
              f"{models['models_share']:.1%}.", "",
              "Growth of whole extraction with length (multi-party agreement): "
              + ", ".join(f"{r['pages']} pages {r['extract_cpu_s']:.2f} s" for r in grow["rows"])
              + f"; exponent {grow['exponent']} (time ∝ characters^k).", ""]
    met = {key: "met" if value else "NOT met" for key, value in report["meets_targets"].items()}
    lines += ["Targets: whole extraction ≥ 15× on the multi-party agreement "
              f"({met['multiparty_extract']}), ≥ 10× on real text ({met['real_text_extract']}); read ≥ 30× "
              f"on the long PDFs ({met['read']}); peak ≤ 200 MB ({met['peak_rss_mb']}); models ≤ 10 % "
              f"({met['models_share']}); growth exponent ≤ 1.15 ({met['growth_exponent']}).", ""]
    real = report.get("real_pdfs")
    if real:
        ocr = f"; OCR {real['ocr_s_per_page']} s a page for {real['ocr_pages']} pages" if real["ocr_pages"] else ""
        lines += [f"Real PDFs ({real['documents']} files of ../shared/pdf/real, {real['pages']} pages): read "
                  f"{real['read_speedup']}× pdfplumber ({real['read_cpu_s']} s against {real['pdfplumber_cpu_s']} s "
                  f"CPU){ocr}.", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3, help="rounds of the three stages (median)")
    parser.add_argument("--only", nargs="*", help="document sets to run (default: all)")
    parser.add_argument("--no-growth", action="store_true", help="skip the growth measurement")
    parser.add_argument("--no-real-pdfs", action="store_true", help="skip ../shared/pdf/real")
    args = parser.parse_args()
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench_extract_") as name:
        folder = Path(name)
        documents = make_documents(folder, args.pages)
        if args.only:
            documents = {k: v for k, v in documents.items() if k in args.only}
        for label, document in documents.items():
            stages = time_stages(document["paths"], max(1, args.repeat))
            base = stages["baseline"]["median_cpu_s"]
            document["stages"] = stages
            document["speedup"] = {stage: round(base / stages[stage]["median_cpu_s"], 1)
                                   for stage in ("read", "extract")}
            document["peak_rss_mb"] = peak_memory(document["paths"])
            document["paths"] = len(document["paths"])
            print(f"{label}: {document['speedup']} {stages}", file=sys.stderr)
        multiparty = folder / "multiparty.pdf"
        report = {
            "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "load_average": load,
            "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
            "repeat": args.repeat, "documents": documents, "targets": TARGETS,
            "models_in_extraction": model_share(multiparty, max(1, args.repeat)),
            "growth": {"rows": [], "exponent": float("nan")} if args.no_growth else growth(folder, max(1, args.repeat)),
            "real_pdfs": None if args.no_real_pdfs else real_pdfs(SHARED / "pdf" / "real"),
        }
    report["meets_targets"] = verdicts(report)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "bench_extract.json").write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
    (RESULTS / "bench_extract.md").write_text(markdown(report))
    print(markdown(report))


if __name__ == "__main__":
    main()
