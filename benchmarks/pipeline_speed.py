"""Speed of the full pipeline on the SINTA abstracts, cold and warm, against a naive script.

Run by hand:  python benchmarks/pipeline_speed.py [--limit N] [--scale 10] [--jobs J]

It writes each record of ``../shared/data/corpus/sinta_abstracts.jsonl`` as a
``title\\n\\nabstract`` text file, and, with ``--scale S``, also a corpus S times
larger made from it (copies with distinct ids and lightly varied text: one word
dropped, two neighbouring sentences swapped, so no copy is a byte-duplicate). On
each corpus it runs the whole pipeline cold (empty output) and warm (nothing
changed; a new ``Pipeline`` object, so nothing is remembered in memory), and prints
per step: documents per second, wall time, CPU time and peak memory of the whole
process tree (this process and its workers: proportional set size, sampled from /proc every
50 ms). The
naive script of ``benchmarks/naive_baseline.py`` is timed in the same run on the
same 1x corpus; the ratio is pipeline docs/s over naive docs/s (above 1: faster).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(REPO / "benchmarks"))

from naive_baseline import load_texts, run_naive, sinta_records  # noqa: E402
from pipeline.run.executors import available_cores  # noqa: E402
from pipeline.run import Pipeline, Reporter  # noqa: E402

SINTA = REPO.parent / "shared" / "data" / "corpus" / "sinta_abstracts.jsonl"
_TICKS = os.sysconf("SC_CLK_TCK")
_PAGE = os.sysconf("SC_PAGE_SIZE")


class TreeSampler(threading.Thread):
    """Samples the memory and CPU time of this process and all its descendants.

    Memory is the sum of the processes' proportional set sizes (PSS: a page shared
    by forked workers counts once in total, not once per process), from
    ``/proc/<pid>/smaps_rollup``. ``begin(name)``/``end(name)`` measure a segment
    (a run, a step): its peak memory and the CPU time (user + system) the tree
    spent in it, including workers that ended within it.
    """

    def __init__(self, interval: float = 0.05):
        super().__init__(daemon=True)
        self.interval = interval
        self.root = os.getpid()
        self._cpu_seen: dict[int, float] = {}
        self._lock = threading.Lock()
        self._halt = threading.Event()
        self._segments: dict[str, list] = {}
        #: Where the highest sample was taken: ``(bytes, open segments, last segment ended)``.
        self.peak_at: tuple[int, tuple[str, ...], str] = (0, (), "")
        self._last_ended = ""

    @staticmethod
    def _stat(pid: int):
        try:
            with open(f"/proc/{pid}/stat", "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
        except OSError:
            return None
        # after the command: state, ppid (index 1), ..., utime (11), stime (12), rss (21)
        return int(fields[1]), (int(fields[11]) + int(fields[12])) / _TICKS, int(fields[21]) * _PAGE

    @staticmethod
    def _pss(pid: int, rss: int) -> int:
        try:
            with open(f"/proc/{pid}/smaps_rollup", "rb") as handle:
                for line in handle:
                    if line.startswith(b"Pss:"):
                        return int(line.split()[1]) * 1024
        except OSError:
            pass
        return rss

    def sample(self) -> None:
        stats = {}
        for name in os.listdir("/proc"):
            if name.isdigit():
                stat = self._stat(int(name))
                if stat:
                    stats[int(name)] = stat
        children: dict[int, list[int]] = {}
        for pid, (ppid, _, _) in stats.items():
            children.setdefault(ppid, []).append(pid)
        tree, frontier = {self.root}, [self.root]
        while frontier:
            for child in children.get(frontier.pop(), []):
                if child not in tree:
                    tree.add(child)
                    frontier.append(child)
        memory = sum(self._pss(p, stats[p][2]) for p in tree if p in stats)
        with self._lock:
            for pid in tree:
                if pid in stats:
                    self._cpu_seen[pid] = stats[pid][1]
            for segment in self._segments.values():
                segment[1] = max(segment[1], memory)
            if memory > self.peak_at[0]:
                self.peak_at = (memory, tuple(sorted(n for n in self._segments if n != "run")), self._last_ended)

    def cpu(self) -> float:
        """CPU seconds of the tree so far (ended workers counted at their last sample)."""
        self.sample()
        with self._lock:
            return sum(self._cpu_seen.values())

    def begin(self, name: str) -> None:
        now = self.cpu()
        with self._lock:
            self._segments[name] = [now, 0]
        self.sample()

    def end(self, name: str) -> tuple[float, int]:
        """A segment's CPU seconds and peak bytes."""
        now = self.cpu()
        with self._lock:
            cpu0, peak = self._segments.pop(name)
            self._last_ended = name
        return now - cpu0, peak

    def reset_peak(self) -> None:
        with self._lock:
            self.peak_at = (0, (), "")

    def run(self) -> None:
        while not self._halt.wait(self.interval):
            self.sample()

    def stop(self) -> None:
        self._halt.set()


class StepTimer(Reporter):
    """Per step: CPU seconds and peak memory of the process tree (from the sampler)."""

    def __init__(self, sampler: TreeSampler):
        self.sampler = sampler
        self.steps: dict[str, tuple[float, int]] = {}

    def start_step(self, step, total):
        self.sampler.begin(step.name)

    def advance(self, step, key, action):
        pass

    def end_step(self, step, summary):
        self.steps[step.name] = self.sampler.end(step.name)

    def waiting(self, message):
        pass


def write_corpus(folder: Path, texts: list[tuple[str, str]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for doc_id, text in texts:
        (folder / f"{doc_id}.txt").write_text(text, encoding="utf-8")


def vary(text: str, rng: random.Random) -> str:
    """A light variation: one word dropped and two neighbouring sentences swapped."""
    title, _, abstract = text.partition("\n\n")
    words = abstract.split(" ")
    if len(words) > 10:
        del words[rng.randrange(len(words))]
    sentences = re.split(r"(?<=[.!?]) ", " ".join(words))
    if len(sentences) > 2:
        i = rng.randrange(len(sentences) - 1)
        sentences[i], sentences[i + 1] = sentences[i + 1], sentences[i]
    return f"{title}\n\n{' '.join(sentences).strip()}\n"


def scaled(records: list[tuple[str, str]], scale: int) -> list[tuple[str, str]]:
    out = list(records)
    for copy in range(1, scale):
        rng = random.Random(copy)
        out.extend((f"{doc_id}-v{copy}", vary(text, rng)) for doc_id, text in records)
    return out


def time_runs(corpus: Path, label: str, sampler: TreeSampler, jobs: int | None, executor: str,
              scheduler: str | None, cli_warm: bool) -> dict:
    work = Path(tempfile.mkdtemp(prefix="bench_"))
    out = {"label": label}
    try:
        runs = {}
        for phase in ("cold", "warm"):
            pipeline = Pipeline(corpus, work / "output", work / "models", jobs=jobs, executor=executor,
                                scheduler=scheduler)
            timer = StepTimer(sampler)
            sampler.reset_peak()
            sampler.begin("run")
            began = time.perf_counter()
            summary = pipeline.run(reporter=timer)
            wall = time.perf_counter() - began
            cpu, peak = sampler.end("run")
            runs[phase] = (summary, wall, cpu, peak, timer.steps, sampler.peak_at)
        docs = runs["cold"][0].documents
        print(f"\n{label}: {docs} documents, jobs={jobs or available_cores()}, executor={executor}")
        for phase, (summary, wall, cpu, peak, steps, peak_at) in runs.items():
            print(f"  {phase}: wall {wall:.2f} s ({docs / wall:.1f} docs/s), CPU {cpu:.1f} s, "
                  f"peak {peak / 2**20:.0f} MiB, ran {summary.ran} step runs, errors {len(summary.errors)}")
            during = ", ".join(peak_at[1]) or f"no step (after {peak_at[2] or 'the start'})"
            print(f"    peak sampled during: {during}")
            if phase == "cold":
                print(f"    {'step':<16}{'ran':>6}{'wall s':>9}{'docs/s':>9}{'CPU s':>8}{'peak MiB':>10}")
                for step in summary.steps:
                    step_cpu, step_peak = steps.get(step.name, (0.0, 0))
                    rate = docs / step.seconds if step.seconds else float("inf")
                    print(f"    {step.name:<16}{step.ran:>6}{step.seconds:>9.2f}{rate:>9.1f}"
                          f"{step_cpu:>8.1f}{step_peak / 2**20:>10.0f}")
        out.update(documents=docs, cold_s=runs["cold"][1], warm_s=runs["warm"][1],
                   cold_cpu=runs["cold"][2], peak=max(runs["cold"][3], runs["warm"][3]))
        if cli_warm:
            # What a user waits for: a new process, imports included.
            cmd = [sys.executable, str(REPO / "run_pipeline.py"), "run", "--quiet", "--corpus", str(corpus),
                   "--output", str(work / "output"), "--models", str(work / "models")]
            began = time.perf_counter()
            done = subprocess.run(cmd, capture_output=True, text=True)
            cli = time.perf_counter() - began
            began = time.perf_counter()
            subprocess.run([sys.executable, "-c", "import pipeline.run"], cwd=REPO)
            imports = time.perf_counter() - began
            print(f"  warm through the CLI (new process): {cli:.2f} s, of which importing the package "
                  f"about {imports:.2f} s (exit {done.returncode})")
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--limit", type=int, default=None, metavar="N", help="only the first N SINTA abstracts")
    parser.add_argument("--scale", type=int, default=10, metavar="S",
                        help="also time a corpus S times larger (0 or 1: skip); default 10")
    parser.add_argument("--jobs", type=int, default=None, help="worker processes (default: every core)")
    parser.add_argument("--executor", default="local", choices=("local", "dask"))
    parser.add_argument("--scheduler", default=None, help="Dask scheduler address (with --executor dask)")
    parser.add_argument("--no-naive", action="store_true", help="skip the naive script")
    parser.add_argument("--no-cli", action="store_true", help="skip the warm run through the CLI")
    args = parser.parse_args()
    if not SINTA.exists():
        sys.exit(f"{SINTA} not found")
    print(f"machine: {os.cpu_count()} cores ({available_cores()} usable), Python {sys.version.split()[0]}, "
          f"load average {', '.join(f'{x:.2f}' for x in os.getloadavg())}")
    sampler = TreeSampler()
    sampler.start()
    records = sinta_records(args.limit)
    folder = Path(tempfile.mkdtemp(prefix="sinta_corpus_"))
    try:
        naive = None
        if not args.no_naive:
            sampler.begin("naive")
            naive = run_naive(load_texts(SINTA, args.limit))
            _, naive_peak = sampler.end("naive")
            print(f"naive script (one process): {naive['documents']} documents, {naive['total_s']:.1f} s "
                  f"({naive['docs_per_s']:.1f} docs/s), CPU {naive['cpu_s']:.1f} s, "
                  f"peak {naive_peak / 2**20:.0f} MiB")
        write_corpus(folder / "x1", records)
        one = time_runs(folder / "x1", f"SINTA x1", sampler, args.jobs, args.executor, args.scheduler,
                        not args.no_cli)
        if naive:
            rate = one["documents"] / one["cold_s"]
            print(f"  ratio pipeline/naive (docs/s, cold): {rate / naive['docs_per_s']:.2f}; "
                  f"CPU per document: pipeline {one['cold_cpu'] / one['documents'] * 1000:.0f} ms, "
                  f"naive {naive['cpu_s'] / naive['documents'] * 1000:.0f} ms")
        if args.scale and args.scale > 1:
            shutil.rmtree(folder / "x1")
            write_corpus(folder / "big", scaled(records, args.scale))
            big = time_runs(folder / "big", f"SINTA x{args.scale}", sampler, args.jobs, args.executor,
                            args.scheduler, False)
            print(f"  x{args.scale} / x1 cold time: {big['cold_s'] / one['cold_s']:.2f} "
                  f"(target at most {args.scale * 1.1:.0f}); peak {big['peak'] / 2**20:.0f} MiB")
    finally:
        sampler.stop()
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
