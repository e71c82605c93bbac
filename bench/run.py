"""Runs the benchmark scripts, every one to the end: a script that fails (an exception, a non-zero
exit, a timeout) is reported and the others still run; the exit status is the number that failed.

    .venv/bin/python bench/run.py            # make bench: full size; results in bench/results/,
                                             # then the README's table written from them
    .venv/bin/python bench/run.py --smoke    # make bench-smoke: each script at a tiny size, two at a time
    .venv/bin/python bench/run.py --table    # only write the README's table from bench/results/
    .venv/bin/python bench/run.py bench/bench_pdf.py ...   # some scripts only (no table)

A full run keeps, per script, its output (``bench/results/<script>.log``) and its figures
(``<script>.jsonl``, written by ``bench.measure.result``), and the machine it ran on
(``machine.json``). The table between the README's ``bench-table`` markers is made from those
files only, so it always shows one run's figures, never a hand-picked mix.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
RESULTS = BENCH / "results"
README = ROOT / "README.md"
START, END = "<!-- bench-table:start -->", "<!-- bench-table:end -->"
TIMEOUT = {"full": 1800, "smoke": 60}  # seconds per script
SMOKE_BUDGET = 90  # seconds for every script at its smoke size (make bench-smoke is part of make test)
SMOKE_JOBS = 2  # smoke scripts run two at a time (their figures mean nothing; a full run measures one at a time)
_print_lock = threading.Lock()


def scripts() -> list[Path]:
    return sorted(BENCH.glob("bench_*.py"))


def machine() -> dict:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        memory = int(Path("/proc/meminfo").read_text().split()[1]) // 1024 // 1024
    except (OSError, ValueError, IndexError):
        memory = None
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    return {
        "cpu": cpu or platform.processor(),
        "cpus": os.cpu_count(),
        "memory_gb": memory,
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "load_at_start": round(os.getloadavg()[0], 1),
        "commit": commit.strip(),
        "date": datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    }


def run_one(script: Path, smoke: bool, folder: Path) -> tuple[bool, float, str]:
    """Run ``script``; its output goes to the terminal and to ``folder``/<name>.log."""
    name = script.stem
    log_path, results = folder / f"{name}.log", folder / f"{name}.jsonl"
    results.unlink(missing_ok=True)
    env = dict(os.environ, BENCH_RESULTS=str(results), PYTHONUNBUFFERED="1")
    if smoke:
        env["BENCH_SMOKE"] = "1"
    else:
        env.pop("BENCH_SMOKE", None)
    with _print_lock:
        print(f"== {script.relative_to(ROOT)}{' (smoke)' if smoke else ''}", flush=True)
    started = time.perf_counter()
    with open(log_path, "w", encoding="utf-8") as log:
        process = subprocess.Popen(
            [sys.executable, str(script)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        deadline = time.monotonic() + TIMEOUT["smoke" if smoke else "full"]
        problem = ""
        try:
            for line in process.stdout:
                if not smoke:
                    sys.stdout.write(line)
                log.write(line)
                if time.monotonic() > deadline:
                    raise subprocess.TimeoutExpired(process.args, TIMEOUT["smoke" if smoke else "full"])
            process.wait(max(1.0, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, 9)  # its own session: the script and whatever it started
            process.wait()
            problem = f"timed out after {TIMEOUT['smoke' if smoke else 'full']} s"
        seconds = time.perf_counter() - started
        if not problem and process.returncode != 0:
            problem = f"exit status {process.returncode}"
    with _print_lock:
        print(f"-- {name}: {seconds:.1f} s, load average {os.getloadavg()[0]:.1f}", flush=True)
        if problem:
            tail = log_path.read_text(encoding="utf-8", errors="replace").splitlines()[-15:]
            print(f"!! {name} FAILED ({problem}); the end of its output:\n    " + "\n    ".join(tail), flush=True)
    return not problem, seconds, problem


def _write_machine(info: dict, outcomes: list, minutes: float, planned: int) -> None:
    info.update(
        minutes=round(minutes, 1),
        load_at_end=round(os.getloadavg()[0], 1),
        complete=len(outcomes) == planned,
        scripts=[
            {"name": name, "ok": ok, "seconds": round(seconds), "problem": problem}
            for name, ok, seconds, problem in outcomes
        ],
    )
    (RESULTS / "machine.json").write_text(json.dumps(info, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def table() -> str:
    """The README's benchmark table, from the files of the last full run."""
    info = json.loads((RESULTS / "machine.json").read_text(encoding="utf-8"))
    lines = [
        f"Measured by one `make bench` run on {info['date']} (commit {info['commit']}): {info['cpu']}, "
        f"{info['cpus']} CPUs, {info['memory_gb']} GB, {info['system']}, Python {info['python']}; load "
        f"average {info['load_at_start']} at the start"
        + (f" and {info['load_at_end']} at the end" if "load_at_end" in info else "")
        + " (the machine is shared: other work slows every figure). "
        f"The whole run took {info.get('minutes', '?')} minutes"
        + ("" if info.get("complete", True) else " (stopped before its end: the scripts below only)")
        + "; each script's output and time are in `bench/results/`.",
        "",
        "Time per script: "
        + ", ".join(f"{entry['name']} {entry['seconds']} s" for entry in info.get("scripts", []))
        + ".",
        "",
        "| script | what | target | measured | verdict |",
        "|---|---|---|---|---|",
    ]
    for entry in info.get("scripts", []):
        name = entry["name"]
        path = RESULTS / f"{name}.jsonl"
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []
        if not entry["ok"]:
            lines.append(f"| {name} | the script failed: {entry['problem']} | | | FAIL |")
        for row in rows:
            cells = [name, row["what"], row["target"] or "—", row["measured"], row["verdict"] or "—"]
            lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in cells) + " |")
    return "\n".join(lines)


def write_table() -> None:
    text = README.read_text(encoding="utf-8")
    before, start, rest = text.partition(START)
    _old, end, after = rest.partition(END)
    if not start or not end:
        sys.exit(f"README.md has no {START} … {END} markers")
    README.write_text(f"{before}{START}\n{table()}\n{END}{after}", encoding="utf-8")
    print(f"README.md: benchmark table written from {RESULTS.relative_to(ROOT)}/")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="each script at a tiny size (BENCH_SMOKE=1)")
    parser.add_argument("--table", action="store_true", help="only write the README's table from bench/results/")
    parser.add_argument("scripts", nargs="*", type=Path)
    args = parser.parse_args()
    if args.table:
        write_table()
        return 0
    chosen = [path.resolve() for path in args.scripts] or scripts()
    everything = not args.scripts and not args.smoke
    info = machine()
    with tempfile.TemporaryDirectory(prefix="rolebook-bench-") as tmp:
        folder = Path(tmp) if args.smoke or not everything else RESULTS
        folder.mkdir(exist_ok=True)
        started = time.perf_counter()
        outcomes = []
        if args.smoke:  # scripts at their smoke size run side by side (each binds its own free port and files)
            with ThreadPoolExecutor(max_workers=SMOKE_JOBS) as pool:
                ran = pool.map(lambda script: (script.stem, *run_one(script, True, folder)), chosen)
                outcomes.extend(ran)
        for script in [] if args.smoke else chosen:
            outcomes.append((script.stem, *run_one(script, args.smoke, folder)))
            if everything:  # after each script, so that a run stopped half way still says what it ran
                _write_machine(info, outcomes, (time.perf_counter() - started) / 60, len(chosen))
        minutes = (time.perf_counter() - started) / 60
    failed = [name for name, ok, _seconds, _problem in outcomes if not ok]
    print(f"\n{'script':24} {'seconds':>8}  outcome")
    for name, ok, seconds, problem in outcomes:
        print(f"{name:24} {seconds:8.1f}  {'ran to the end' if ok else 'FAILED: ' + problem}")
    print(
        f"{len(outcomes)} scripts in {minutes * 60:.0f} s: {len(outcomes) - len(failed)} ran to the end, "
        f"{len(failed)} failed"
        + (f" ({', '.join(failed)})" if failed else "")
        + (f"; a smoke run should take under {SMOKE_BUDGET} s" if args.smoke and minutes * 60 > SMOKE_BUDGET else "")
        + f"; load average {info['load_at_start']} at the start, {os.getloadavg()[0]:.1f} at the end"
    )
    if everything:
        write_table()
    return min(len(failed), 125)


if __name__ == "__main__":
    sys.exit(main())
