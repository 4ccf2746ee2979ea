"""Benchmark the command line's start-up: what ``rok --help`` and a one-file ``rok extract`` cost
before any work, and which imports that time goes to.

    .venv/bin/python scripts/bench_startup.py [--repeat 5]

Each command runs ``--repeat`` times as a fresh process; its CPU time (user + system, from
``wait4``) is reported as the median, with ``python -c pass`` (the bare interpreter) measured in
the same run as the baseline. The overhead of a one-file extraction is the command's CPU time less
the interpreter and less the extraction itself (the same file extracted again in a warm process).
Bytecode is written and read as on a user's machine (an untimed first run of each command writes
it). ``python -X importtime`` then attributes the import time of ``rok --help`` and of the extractor to
top-level packages. Results go to ``scripts/results/bench_startup.json`` and ``.md``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "scripts" / "results"
SEED = ROOT / "corpus" / "seeds" / "000_7d7dd3b94a00e6f5.txt"
TARGET_S = 0.3
ROK = [sys.executable, "-c", "import sys; from rok_compare.cli.entry import main; sys.argv[0] = 'rok'; main()"]
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
"""Bytecode is written and read, as on a user's machine: a shell that sets PYTHONDONTWRITEBYTECODE
would otherwise make every run compile the project from source (about 0.12 s)."""


def cpu_seconds(command: list[str]) -> float:
    """User + system CPU seconds of one run of ``command`` (its children included)."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=ENV)
    _, status, usage = os.wait4(process.pid, 0)
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command[-3:])} failed")
    return usage.ru_utime + usage.ru_stime


def median_cpu(command: list[str], repeat: int) -> float:
    cpu_seconds(command)  # untimed: writes the bytecode a first run on a fresh install writes
    return round(statistics.median(cpu_seconds(command) for _ in range(repeat)), 3)


def warm_extraction_cpu(path: Path, repeat: int) -> float:
    """CPU seconds of extracting ``path`` in a process that has extracted it once already."""
    code = ("import statistics, sys, time\nfrom rok_compare.extract import extract_document\n"
            "extract_document(sys.argv[1])\nruns = []\n"
            f"for _ in range({repeat}):\n    t = time.process_time(); extract_document(sys.argv[1])\n"
            "    runs.append(time.process_time() - t)\nprint(statistics.median(runs))")
    done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True)
    return float(done.stdout.strip())


def import_profile(statement: str) -> dict[str, float]:
    """Seconds of import time (``-X importtime``, self time summed) per top-level package."""
    done = subprocess.run([sys.executable, "-X", "importtime", "-c", statement], capture_output=True, text=True,
                          cwd=ROOT, check=False, env=ENV)
    packages: Counter[str] = Counter()
    for line in done.stderr.splitlines():
        if not line.startswith("import time:") or "self [us]" in line:
            continue
        own, _, name = line[len("import time:"):].split("|")
        packages[name.strip().split(".")[0]] += int(own) / 1e6
    return {name: round(seconds, 3) for name, seconds in packages.most_common(12)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    repeat = max(3, args.repeat)
    with tempfile.TemporaryDirectory() as folder:
        no_store = str(Path(folder) / "none.db")
        bare = median_cpu([sys.executable, "-c", "pass"], repeat)
        help_cpu = median_cpu([*ROK, "--help"], repeat)
        extract_cpu = median_cpu([*ROK, "extract", "--db", no_store, "--timeout", "0", str(SEED)], repeat)
    work = round(warm_extraction_cpu(SEED, repeat), 3)
    report = {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"), "load_average": os.getloadavg()[0],
        "repeat": repeat, "python_bare_cpu_s": bare,
        "help": {"cpu_s": help_cpu, "overhead_s": round(help_cpu - bare, 3)},
        "extract_one_file": {"file": SEED.name, "cpu_s": extract_cpu, "warm_extraction_cpu_s": work,
                             "overhead_s": round(extract_cpu - bare - work, 3)},
        "imports": {"rok --help": import_profile(
                        "import sys; from rok_compare.cli.entry import main; sys.argv=['rok', '--help']\n"
                        "try:\n    main()\nexcept SystemExit:\n    pass"),
                    "import rok_compare.extract": import_profile("import rok_compare.extract")},
        "target_overhead_s": TARGET_S,
    }
    lines = ["# Start-up benchmark", "",
             f"{report['date']}, load average {report['load_average']:.1f}; CPU seconds (user + system), medians "
             f"of {repeat} fresh processes; the bare interpreter (`python -c pass`) took {bare:.3f} s.", "",
             "| command | CPU s | overhead s (less interpreter and work) | target |", "|---|---:|---:|---:|",
             f"| `rok --help` | {help_cpu:.3f} | {report['help']['overhead_s']:.3f} | ≤ {TARGET_S} |",
             f"| `rok extract --timeout 0 {SEED.name}` | {extract_cpu:.3f} | "
             f"{report['extract_one_file']['overhead_s']:.3f} (extraction itself {work:.3f}) | ≤ {TARGET_S} |", ""]
    for name, packages in report["imports"].items():
        lines.append(f"Import time of `{name}` by package (s): "
                     + ", ".join(f"{package} {seconds:.3f}" for package, seconds in packages.items()) + ".")
        lines.append("")
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "bench_startup.json").write_text(json.dumps(report, indent=2) + "\n")
    (RESULTS / "bench_startup.md").write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
