"""Benchmark of the job-description parser: 1,000 documents of about 2,000 characters, built
deterministically by slicing and mixing the seed texts, parsed one after the other.

Run from the repository root: ``python bench/bench_parser.py``. Prints figures, asserts nothing.
"""
from __future__ import annotations

import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

try:
    from app.jobs.parser import parse_job_description  # noqa: E402
except ImportError:  # app/__init__.py needs Flask; the parser itself is standard library only
    import importlib.util

    _spec = importlib.util.spec_from_file_location("jobs_parser", ROOT / "app" / "jobs" / "parser.py")
    _module = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(_module)
    parse_job_description = _module.parse_job_description

from bench.measure import result, scaled  # noqa: E402  (standard library only, like the parser)

SEEDS = ROOT / "app" / "demo" / "seeds"
DOCS = 1000
SMOKE_DOCS = 20
DOC_CHARS = 2000


def seed_texts() -> list[str]:
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*_*.txt"))]
    if not texts:
        sys.exit(f"no seed texts in {SEEDS}")
    return texts


def build_documents(texts: list[str], count: int = DOCS, size: int = DOC_CHARS) -> list[str]:
    """Each document: pieces of 200-1,500 characters cut at line starts from random seeds,
    joined until the document holds about ``size`` characters."""
    rng = random.Random(1234)
    starts = [[0] + [i + 1 for i, c in enumerate(t) if c == "\n"] for t in texts]
    docs = []
    for _ in range(count):
        pieces, total = [], 0
        while total < size:
            k = rng.randrange(len(texts))
            start = rng.choice(starts[k])
            piece = texts[k][start:start + rng.randint(200, 1500)]
            pieces.append(piece)
            total += len(piece) + 1
        docs.append("\n".join(pieces)[:size])
    return docs


def main() -> None:
    docs = build_documents(seed_texts(), scaled(DOCS, SMOKE_DOCS))
    chars = sum(len(d) for d in docs)
    utf8 = sum(len(d.encode("utf-8")) for d in docs)
    parse_job_description(docs[0])  # warm-up
    began = time.perf_counter()
    items = sum(len(parse_job_description(d)["duties"]) for d in docs)
    elapsed = time.perf_counter() - began
    print(f"parsed {len(docs)} docs ({chars / 1e6:.1f} M chars, {utf8 / 1e6:.1f} MB UTF-8) in {elapsed:.2f} s: "
          f"{elapsed * 1000 / len(docs):.2f} ms/doc, {items} duties found")
    result(f"parse {len(docs):,} pasted documents of ~{DOC_CHARS:,} characters", f"{elapsed:.2f} s", "< 2 s",
           elapsed < 2)


if __name__ == "__main__":
    main()
