"""Kill `rok ingest` at random moments and check that a re-run leaves the store a clean run leaves.

    python scripts/kill_ingest.py                     # 20 SIGKILLs + 3 Ctrl-Cs, 40 documents
    python scripts/kill_ingest.py --kills 5 --interrupts 1 --seed 3

The corpus: the 34 development documents (read in place from ../shared/corpus/dev, when present)
and variants of the five seed documents (a paragraph added, so each is new content), 40 in all;
without ../shared, 40 seed variants. The real extractor runs in 2 worker processes.

First one clean run gives the reference store. Then, per trial, a fresh store: `rok ingest` is
started in its own session and signalled at a random moment: during start-up (a random delay),
after a random number of documents is stored (the store is watched), or during the clustering at
the end (all documents stored, clustering still due); either with SIGKILL to the driver alone or
with SIGINT to the whole process group (what Ctrl-C in a terminal does). Then it is run again to
the end. Checked each time:
- the store after the re-run equals the reference: documents, clauses, parties, commitments,
  goals, reuse clusters (representative wording, sizes, members), failures; no incomplete
  document; the full-text indexes pass their integrity check;
- a Ctrl-C exits with 130 and prints exactly one line, which says what was kept;
- no helper process of the killed run (worker, fork server) is alive 5 s after the kill.
Where each kill landed (documents stored, clustering due) is recorded too. Results go to
``scripts/results/kill_ingest.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS = ROOT / "corpus" / "seeds"
DEV = ROOT.parent / "shared" / "corpus" / "dev"
ROK = Path(sys.executable).parent / "rok"
RESULTS = ROOT / "scripts" / "results" / "kill_ingest.json"
MARK = "ROK_KILL_TEST"


def make_corpus(folder: Path, total: int, dev_folder: Path = DEV) -> list[Path]:
    """The dev documents (in place) plus seed variants up to ``total`` documents; returns the paths to ingest."""
    dev = sorted(dev_folder.glob("*.txt"))[:total] if dev_folder.is_dir() else []
    variants = folder / "variants"
    variants.mkdir(parents=True)
    seeds = sorted(SEEDS.glob("*.txt"))
    for k in range(total - len(dev)):
        seed = seeds[k % len(seeds)]
        text = seed.read_text(encoding="utf-8")
        paragraphs = text.split("\n\n")
        extra = f"Tillägg {k}: parterna följer upp överenskommelsen vid {k + 2} tillfällen per år."
        paragraphs.insert(len(paragraphs) // 2, extra)
        (variants / f"v{k:02d}_{seed.name}").write_text("\n\n".join(paragraphs), encoding="utf-8")
    if dev and len(dev) == len(list(dev_folder.glob("*.txt"))):
        return [dev_folder, variants]
    return [*dev, variants]


def snapshot(db: Path) -> dict[str, object]:
    """Everything a user reads from the store, without ids and timestamps (they differ between runs)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    q = conn.execute
    docs = dict(q("SELECT id, path FROM documents").fetchall())
    sections = dict(q("SELECT id, heading FROM sections").fetchall())
    clause_at = {cid: (docs[d], o) for cid, d, o in q("SELECT id, document_id, ord FROM clauses")}
    data: dict[str, object] = {
        "documents": sorted(q(
            "SELECT path, sha256, format, title, county_name, county_code, period_start, period_end, revision_date, "
            "doc_type, n_pages, encoding, n_sections, n_clauses, n_parties, n_commitments, n_goals, warnings "
            "FROM documents").fetchall()),
        "clauses": sorted((docs[d], *rest, sections.get(sec)) for d, *rest, sec in q(
            'SELECT document_id, ord, clause_key, kind, themes, text, norm_hash, page, start, "end", section_id '
            "FROM clauses")),
        "parties": sorted((docs[d], *rest) for d, *rest in q(
            'SELECT document_id, ord, name, canonical, kind, page, start, "end" FROM parties')),
        "commitments": sorted((docs[d], *rest) for d, *rest in q(
            'SELECT document_id, ord, party, text, strength, section, page, start, "end" FROM commitments')),
        "goals": sorted((docs[d], *rest) for d, *rest in q(
            'SELECT document_id, ord, text, section, page, start, "end" FROM goals')),
        "failures": sorted(q("SELECT path, kind, error FROM failures").fetchall()),
    }
    members: dict[int, list[tuple[object, ...]]] = {}
    for cluster, clause, score in q("SELECT cluster_id, clause_id, score FROM cluster_members"):
        members.setdefault(cluster, []).append((*clause_at[clause], score))
    data["reuse_clusters"] = sorted(
        (method, text, n, nd, nv, sorted(members.get(cid, [])))
        for cid, method, text, n, nd, nv in q(
            "SELECT id, method, representative_text, n_members, n_documents, n_variants FROM reuse_clusters"))
    data["variants"] = sorted(q(
        "SELECT r.representative_text, v.text, v.n_documents, v.n_members FROM cluster_variants v "
        "JOIN reuse_clusters r ON r.id = v.cluster_id").fetchall())
    data["incomplete"] = [row[0] for row in q(
        "SELECT d.path FROM documents d WHERE d.n_clauses != (SELECT COUNT(*) FROM clauses c "
        "WHERE c.document_id = d.id) OR d.n_parties != (SELECT COUNT(*) FROM parties p WHERE p.document_id = d.id)")]
    conn.close()
    check = sqlite3.connect(db)  # the FTS5 integrity check needs a writable connection (it writes nothing)
    for table in ("clauses_fts", "clauses_tri"):
        check.execute(f"INSERT INTO {table}({table}) VALUES ('integrity-check')")
    check.close()
    return json.loads(json.dumps(data))


def landed(db: Path) -> dict[str, object]:
    """Where a kill landed: documents stored, and whether clustering was due."""
    if not db.exists():
        return {"documents": 0, "clustering_due": None}
    try:
        conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        n = conn.execute("SELECT COUNT(*) FROM documents").fetchone()[0]
        due = conn.execute("SELECT value FROM meta WHERE key = 'reuse_due'").fetchone()
        clusters = conn.execute("SELECT COUNT(*) FROM reuse_clusters").fetchone()[0]
        conn.close()
    except sqlite3.Error as error:
        return {"error": str(error)}
    return {"documents": n, "clustering_due": bool(due and due[0] == "1"), "clusters": clusters}


def helpers(tag: str) -> list[int]:
    """Processes still alive that belong to the run tagged ``tag`` (its environment carries the mark)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
            state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if f"{MARK}={tag}".encode() in environ.split(b"\0") and state != "Z":
            found.append(int(entry.name))
    return found


def rok_ingest(paths: list[Path], db: Path, tag: str) -> subprocess.Popen[str]:
    env = {**os.environ, MARK: tag, "PYTHONUNBUFFERED": "1"}
    env.pop("ROK_EXTRACTOR", None)
    return subprocess.Popen([str(ROK), "ingest", *map(str, paths), "--db", str(db), "--workers", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            start_new_session=True)


def wait_for(target: tuple[str, float], proc: subprocess.Popen[str], db: Path, documents: int) -> None:
    """Return at the moment chosen for the signal: after a delay ("startup"), once ``k`` documents are
    stored ("documents"), or while the clustering runs ("clustering": all stored, clusters still due)."""
    kind, value = target
    if kind == "startup":
        time.sleep(value)
        return
    while proc.poll() is None:
        state = landed(db)
        stored = state.get("documents") or 0
        if kind == "documents" and stored >= value:
            return
        if kind == "clustering" and stored == documents and state.get("clustering_due"):
            time.sleep(value)  # somewhere inside the clustering, not at its first instant
            return
        time.sleep(0.01)


def trial(number: int, how: str, target: tuple[str, float], paths: list[Path], work: Path,
          reference: dict[str, object]) -> dict:
    db = work / f"trial{number:02d}.db"
    tag = f"trial{number}"
    documents = len(reference["documents"])  # type: ignore[arg-type]
    proc = rok_ingest(paths, db, tag)
    started = time.monotonic()
    wait_for(target, proc, db, documents)
    delay = time.monotonic() - started
    finished_first = proc.poll() is not None
    if not finished_first:
        if how == "SIGKILL":
            os.kill(proc.pid, signal.SIGKILL)
        else:
            os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=300)
    result: dict[str, object] = {"trial": number, "signal": how, "aimed_at": list(target), "delay_s": round(delay, 2),
                                 "exit": proc.returncode, "finished_before_signal": finished_first,
                                 "landed": landed(db)}
    deadline = time.monotonic() + 5
    while helpers(tag) and time.monotonic() < deadline:
        time.sleep(0.2)
    orphans = helpers(tag)
    for pid in orphans:  # leave the machine clean for the next trial
        os.kill(pid, signal.SIGKILL)
    result["orphans"] = len(orphans)
    lines = [line for line in err.strip().splitlines() if not line.startswith("note: ")]
    if how == "SIGINT" and proc.returncode == 0:
        result["signal_after_the_work"] = True  # the batch had finished; Python was exiting
    elif how == "SIGINT":
        result["message"] = lines
        result["message_ok"] = proc.returncode == 130 and len(lines) == 1 and lines[0].startswith("error: interrupted")
    again = subprocess.run([str(ROK), "ingest", *map(str, paths), "--db", str(db), "--workers", "2"],
                           capture_output=True, text=True, env={**os.environ, MARK: tag + "b"}, timeout=900)
    result["rerun_exit"] = again.returncode
    result["rerun_summary"] = [line for line in again.stdout.splitlines() if line.startswith((str(db), "reuse"))]
    after = snapshot(db)
    diff = [key for key in reference if after.get(key) != reference[key]]
    result["differs_in"] = diff
    result["equal"] = not diff
    if diff:  # say why, for the record
        result["rerun_stderr"] = again.stderr.strip().splitlines()[:5]
        result["failures_sample"] = after["failures"][:3]  # type: ignore[index]
    db.unlink(missing_ok=True)
    for suffix in ("-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    return result


def main() -> int:
    # A shell starts background jobs with SIGINT ignored, and a child would inherit that: Ctrl-C
    # would do nothing. With a handler here, the child starts with the default disposition.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--interrupts", type=int, default=3)
    parser.add_argument("--documents", type=int, default=40)
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--out", type=Path, default=RESULTS)
    parser.add_argument("--dev", type=Path, default=DEV, help="the development corpus (read in place)")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    with tempfile.TemporaryDirectory(prefix="rok-kill-") as tmp:
        work = Path(tmp)
        paths = make_corpus(work / "corpus", args.documents, args.dev)
        clean = work / "clean.db"
        started = time.monotonic()
        first = subprocess.run([str(ROK), "ingest", *map(str, paths), "--db", str(clean), "--workers", "2"],
                               capture_output=True, text=True, timeout=1800)
        clean_seconds = time.monotonic() - started
        print(first.stdout.strip(), file=sys.stderr)
        reference = snapshot(clean)
        documents = len(reference["documents"])  # type: ignore[arg-type]
        print(f"clean run: {documents} documents, {len(reference['reuse_clusters'])} clusters "  # type: ignore[arg-type]
              f"in {clean_seconds:.1f} s", file=sys.stderr)
        plan = ["SIGKILL"] * args.kills + ["SIGINT"] * args.interrupts
        rng.shuffle(plan)
        results = []
        for number, how in enumerate(plan, 1):
            phase = rng.choices(["startup", "documents", "clustering"], weights=[0.15, 0.6, 0.25])[0]
            target = {"startup": ("startup", round(rng.uniform(0.3, 2.5), 2)),
                      "documents": ("documents", rng.randint(1, documents - 1)),
                      "clustering": ("clustering", round(rng.uniform(0.0, 0.5), 2))}[phase]
            result = trial(number, how, target, paths, work, reference)
            results.append(result)
            print(json.dumps(result, ensure_ascii=False), file=sys.stderr)
    summary = {
        "documents": documents,
        "reuse_clusters": len(reference["reuse_clusters"]),  # type: ignore[arg-type]
        "clean_run_seconds": round(clean_seconds, 1),
        "trials": len(results),
        "sigkill": sum(r["signal"] == "SIGKILL" for r in results),
        "sigint": sum(r["signal"] == "SIGINT" for r in results),
        "signal_after_run_had_ended": sum(bool(r["finished_before_signal"]) for r in results),
        "aimed_at": {phase: sum(r["aimed_at"][0] == phase for r in results)
                     for phase in ("startup", "documents", "clustering")},
        "landed_with_clustering_due": sum(bool(r["landed"].get("clustering_due")) for r in results),
        "landed_with_all_documents_stored": sum(r["landed"].get("documents") == documents for r in results),
        "equal_to_clean_run": sum(bool(r["equal"]) for r in results),
        "ctrl_c_during_the_run": sum("message_ok" in r for r in results),
        "ctrl_c_one_line_message": sum(bool(r.get("message_ok")) for r in results if "message_ok" in r),
        "orphaned_processes": sum(int(r["orphans"]) for r in results),
        "python": sys.version.split()[0],
        "commit": subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                                 text=True).stdout.strip() or None,
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "results": results,
    }
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(summary, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(json.dumps({k: v for k, v in summary.items() if k != "results"}, indent=1))
    ok = summary["equal_to_clean_run"] == len(results) and summary["orphaned_processes"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
