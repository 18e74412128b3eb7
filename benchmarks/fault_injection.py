"""Fault injection: kill runs at random moments, feed bad files, count what survives.

Run by hand:  python benchmarks/fault_injection.py [--kills 20] [--seed 1]

1. An uninterrupted run of the bundled corpus gives the reference artifacts.
2. ``--kills`` times, a run in one output folder is killed with SIGKILL after a random
   delay; after each kill every JSON file under the output and models folders must
   parse and validate. Every fifth kill, and at the end, a run completes the work and
   its artifacts must equal the reference byte for byte (report.html aside: it carries
   its build time).
3. The bad-input files of tests/test_reliability.py are run as one batch: every one must
   be reported on one line, with no traceback.

Prints: kill points tried, runs recovered, invalid artifacts found (target 0), bad-input
files handled without a traceback (target all).
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from pipeline.store import validate  # noqa: E402
from pipeline.errors import ArtifactError  # noqa: E402


def command(corpus: Path, work: Path) -> list[str]:
    return [sys.executable, str(REPO / "run_pipeline.py"), "run", "--quiet", "--corpus", str(corpus),
            "--output", str(work / "output"), "--models", str(work / "models")]


# Caches, not artifacts: the index and the file-hash cache are journals whose lines depend
# on the runs that wrote them, and the report's section cache is rewritten only when enough
# sections miss it; report.html carries its build time.
NOT_COMPARED = ("report.html", ".lock", ".artifact-index", ".file-hashes", "sections.cache")


def snapshot(work: Path) -> dict[str, bytes]:
    files = {}
    for folder in ("output", "models"):
        for path in sorted((work / folder).rglob("*")):
            if path.is_file() and path.name not in NOT_COMPARED:
                files[str(path.relative_to(work))] = path.read_bytes()
    return files


def differing(a: dict[str, bytes], b: dict[str, bytes]) -> list[str]:
    return sorted(name for name in set(a) | set(b) if a.get(name) != b.get(name))


def invalid_artifacts(work: Path) -> list[str]:
    bad = []
    for folder in ("output", "models"):
        for path in (work / folder).rglob("*.json"):
            try:
                obj = json.loads(path.read_text(encoding="utf-8"))
                validate(obj["header"]["schema"], obj, where=str(path))
            except (ValueError, KeyError, TypeError, ArtifactError) as exc:
                bad.append(f"{path}: {exc}")
    return bad


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    root = Path(tempfile.mkdtemp(prefix="faults_"))
    try:
        corpus = REPO / "corpus"
        began = time.perf_counter()
        subprocess.run(command(corpus, root / "reference"), check=True, capture_output=True)
        full = time.perf_counter() - began
        reference = snapshot(root / "reference")

        work = root / "killed"
        invalid, recovered = [], 0
        for attempt in range(args.kills):
            proc = subprocess.Popen(command(corpus, work), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            time.sleep(rng.uniform(0.2, full * 1.1))
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            invalid += invalid_artifacts(work)
            if attempt % 5 == 4:
                # Every fifth kill, let a run finish and check it matches the reference.
                subprocess.run(command(corpus, work), check=True, capture_output=True)
                now = snapshot(work)
                recovered += now == reference
                if now != reference:
                    print(f"after kill {attempt + 1}: differs from the reference: {differing(now, reference)[:5]}")
                shutil.rmtree(work)
        subprocess.run(command(corpus, work), check=True, capture_output=True)
        final = snapshot(work)
        final_equal = final == reference
        if not final_equal:
            print(f"final run differs from the reference: {differing(final, reference)[:5]}")
        leftovers = list(work.rglob("*.tmp"))

        from tests.test_reliability import write_bad_corpus  # the same files the tests use

        bad = root / "bad"
        bad.mkdir()
        write_bad_corpus(bad / "corpus")
        (bad / "small.toml").write_text("[ingest]\nmax_bytes = 1500000\n", encoding="utf-8")
        proc = subprocess.run(command(bad / "corpus", bad) + ["--config", str(bad / "small.toml")],
                              capture_output=True, text=True)
        names = sorted(p.name for p in (bad / "corpus").iterdir())
        reported = [n for n in names if any(n in line for line in proc.stderr.splitlines())]

        print(f"full run of the bundled corpus: {full:.1f} s")
        print(f"kill points tried: {args.kills}; recovery checks: {args.kills // 5}, "
              f"recovered identical: {recovered}; final run identical to reference: {final_equal}")
        print(f"invalid artifacts seen after kills: {len(invalid)} (target 0); leftover temporaries: {len(leftovers)}")
        for line in invalid[:5]:
            print("   ", line)
        print(f"bad-input batch: exit code {proc.returncode}, traceback: {'Traceback' in proc.stderr}; "
              f"files named in messages: {len(reported)} of {len(names)} (the good seed and clean files need none)")
        for line in proc.stderr.splitlines():
            print("   ", line)
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
