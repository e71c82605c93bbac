"""Benchmark of the job-description parser: accuracy on the test corpus, then speed.

Accuracy: every document of ``tests/jobs/corpus`` (or of ``--corpus DIR``, same layout) is
parsed and compared with its hand-checked expectation (see ``tests/jobs/corpus_measure.py``);
one line per document (title, fields, purpose, duty and requirement precision/recall), then the
totals, then the same for the documents marked ``oneline`` with their line breaks removed.
``--verbose`` shows what each document got wrong.

Speed: 1,000 documents of about 2,000 characters, built deterministically by slicing and mixing
the seed texts and the corpus, parsed one after the other; the wall time and the CPU time are
printed (on a busy machine the CPU time is what an idle one would take).

Run from the repository root: ``python bench/bench_parser.py``. Prints figures, asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.jobs.parser import parse_job_description  # noqa: E402
from bench.measure import result, scaled  # noqa: E402  (standard library only, like the parser)
from tests.jobs import corpus_measure as cm  # noqa: E402

SEEDS = ROOT / "app" / "demo" / "seeds"
DOCS = 1000
DOC_CHARS = 2000
SMOKE_DOCS = 20


def seed_texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*_*.txt"))]
    if not texts:
        sys.exit(f"no seed texts in {SEEDS}")
    return texts + [d.text for d in cm.load()]


def build_documents(texts: list[str], count: int = DOCS, size: int = DOC_CHARS) -> list[str]:
    """Each document: pieces of 200-1,500 characters cut at line starts from random texts,
    joined until the document holds about ``size`` characters."""
    rng = random.Random(1234)
    starts = [[0] + [i + 1 for i, c in enumerate(t) if c == "\n"] for t in texts]
    docs = []
    for _ in range(count):
        pieces, total = [], 0
        while total < size:
            k = rng.randrange(len(texts))
            start = rng.choice(starts[k])
            piece = texts[k][start : start + rng.randint(200, 1500)]
            pieces.append(piece)
            total += len(piece) + 1
        docs.append("\n".join(pieces)[:size])
    return docs


def pr(c: cm.Counts) -> str:
    return f"{c.precision:5.2f} {c.recall:5.2f}" if c.expected or c.found else "   -     -  "


def report(title: str, scores: list[cm.Score], verbose: bool) -> None:
    print(f"\n{title}")
    print(f"{'document':38} title fields purpose  duties P/R    reqs P/R     kpis P/R")
    for s in scores:
        print(
            f"{s.name[:38]:38} {'ok' if s.title else 'NO':5} {s.fields[0]}/{s.fields[1]:<4} "
            f"{'ok' if s.purpose else 'NO':7}  {pr(s.duties)}  {pr(s.requirements)}  {pr(s.kpis)}"
            f"{'' if s.exact else '  *'}"
        )
        if verbose and s.missed:
            print("    " + json.dumps(s.missed, ensure_ascii=False))
    t = cm.totals(scores)
    print(
        f"total: {t['documents']} documents, {t['exact']} exact; title {t['title']}/{t['documents']}, "
        f"fields {t['fields'][0]}/{t['fields'][1]}, purpose {t['purpose']}/{t['documents']}"
    )
    for key in ("duties", "requirements", "kpis"):
        c = t[key]
        print(
            f"  {key:12} precision {c.precision:.3f} recall {c.recall:.3f} F1 {c.f1:.3f} "
            f"({c.right} right of {c.found} found, {c.expected} expected)"
        )


def speed() -> None:
    docs = build_documents(seed_texts(), scaled(DOCS, SMOKE_DOCS))
    chars = sum(len(d) for d in docs)
    parse_job_description(docs[0])  # warm-up
    began, cpu = time.perf_counter(), time.process_time()
    items = sum(len(parse_job_description(d)["duties"]) for d in docs)
    elapsed, cpu = time.perf_counter() - began, time.process_time() - cpu
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(
        f"\nspeed: parsed {len(docs)} docs ({chars / 1e6:.1f} M chars) in {elapsed:.2f} s "
        f"({cpu:.2f} s of CPU; load average {load:.1f}): {elapsed * 1000 / len(docs):.2f} ms/doc, "
        f"{items} duties found"
    )
    result(
        f"parse {len(docs):,} pasted documents of ~{DOC_CHARS:,} characters", f"{elapsed:.2f} s", "< 2 s", elapsed < 2
    )


def main() -> None:
    args = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    args.add_argument("--corpus", type=Path, default=cm.CORPUS, help="folder of NAME.txt + NAME.json")
    args.add_argument("--verbose", "-v", action="store_true", help="show what each document got wrong")
    args.add_argument("--no-speed", action="store_true")
    opts = args.parse_args()
    docs = cm.load(opts.corpus)
    report(f"accuracy on {opts.corpus} ({len(docs)} documents)", cm.measure(docs), opts.verbose)
    report(
        "the same documents with their line breaks removed (those marked oneline)",
        cm.measure(docs, oneline=True),
        opts.verbose,
    )
    if not opts.no_speed:
        speed()


if __name__ == "__main__":
    main()
