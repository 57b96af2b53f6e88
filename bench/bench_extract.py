"""Extraction throughput against bare jieba segmentation of the same text, in the same process.

    python bench/bench_extract.py [--mb 1.0] [--workers N] [--source auto|corpus|samples]

Builds at least `--mb` MB (UTF-8) of article text from ../shared/corpus when present, else from the sample
articles that ship with kg, by repeating the articles with their paragraphs rotated (each copy is a
different text, so nothing can be served from a cache keyed on the text). Then times, after a warm-up:

  (a) jieba.lcut over every article text (the floor any Chinese pipeline pays),
  (b) kg.extract.extract over the same Articles on one core,
  (c) kg.pipeline.extract_many over the article files with --workers N processes (reading included).

Prints characters per second for each, by wall-clock time and by CPU time (CPU time of this process, and of
the worker processes for (c)), and the ratio (b)/(a); the target is at most 3x. On a shared machine the
CPU-time figures are the steadier ones. Figures only: no assertion on time.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.io import read_article  # noqa: E402
from kg.model import Article  # noqa: E402
from kg.pipeline import extract_many, sample_articles_dir  # noqa: E402

SHARED_CORPUS = ROOT.parent / "shared" / "corpus"
TARGET_RATIO = 3.0


def source_texts(source: str) -> tuple[str, list[str]]:
    """The repaired texts of the seed articles and a line saying where they came from."""
    use_corpus = source == "corpus" or (source == "auto" and any(SHARED_CORPUS.glob("*.txt")))
    folder = SHARED_CORPUS if use_corpus else sample_articles_dir()
    paths = sorted(folder.glob("*.txt"))
    if not paths:
        raise SystemExit(f"bench: no .txt articles in {folder}")
    label = "shared corpus" if use_corpus else "kg sample articles"
    return f"{label} ({folder}, {len(paths)} files)", [read_article(p).text for p in paths]


def rotated(text: str, k: int) -> str:
    """Copy k of an article: its paragraphs rotated by k, so every copy is a distinct, realistic text."""
    lines = text.split("\n")
    k %= max(1, len(lines))
    return "\n".join(lines[k:] + lines[:k])


def build_texts(seeds: list[str], min_bytes: int) -> list[str]:
    texts: list[str] = []
    size = 0
    k = 0
    while size < min_bytes:
        for seed in seeds:
            text = rotated(seed, k)
            texts.append(text)
            size += len(text.encode("utf-8"))
        k += 1
    return texts


class Clock:
    """Wall-clock and CPU seconds of a block; CPU includes finished child processes (the workers of (c))."""

    def __enter__(self) -> Clock:
        self.wall = time.perf_counter()
        self.cpu = self._cpu()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall = time.perf_counter() - self.wall
        self.cpu = self._cpu() - self.cpu

    @staticmethod
    def _cpu() -> float:
        own = resource.getrusage(resource.RUSAGE_SELF)
        kids = resource.getrusage(resource.RUSAGE_CHILDREN)
        return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def timed(label: str, chars: int, clock: Clock) -> None:
    print(
        f"  {label:<44} {clock.wall:7.2f} s wall {chars / clock.wall:>10,.0f} chars/s"
        f"  | {clock.cpu:7.2f} s cpu {chars / clock.cpu:>10,.0f} chars/s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=1.0, help="MB of article text (UTF-8), at least")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="processes for (c)")
    parser.add_argument("--source", choices=("auto", "corpus", "samples"), default="auto")
    args = parser.parse_args()

    where, seeds = source_texts(args.source)
    texts = build_texts(seeds, int(args.mb * 1024 * 1024))
    chars = sum(len(t) for t in texts)
    size = sum(len(t.encode("utf-8")) for t in texts)
    print(f"text: {len(texts)} articles, {chars:,} chars, {size / 1024 / 1024:.2f} MB, built from {where}")
    print(f"cpus: {os.cpu_count()}, python {sys.version.split()[0]}")

    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        paths = []
        for i, text in enumerate(texts):
            path = Path(tmp) / f"a{i:05d}.txt"
            path.write_text(text, encoding="utf-8")
            paths.append(path)
        articles = [Article.make(source=str(p), text=t) for p, t in zip(paths, texts, strict=True)]

        import jieba

        jieba.setLogLevel(60)
        jieba.initialize()
        jieba.lcut(texts[0])
        with Clock() as t_jieba:
            for text in texts:
                jieba.lcut(text)

        from kg.extract import extract, warm_up

        warm_up()
        extract(articles[0])
        with Clock() as t_kg:
            for article in articles:
                extract(article)

        with Clock() as t_many:
            results = list(extract_many(paths, workers=args.workers))
        failed = sum(1 for r in results if r.error)

    print("throughput:")
    timed("(a) jieba.lcut, one core", chars, t_jieba)
    timed("(b) kg.extract.extract, one core", chars, t_kg)
    timed(f"(c) kg.pipeline.extract_many, --workers {args.workers}", chars, t_many)
    for kind, ratio in (("wall", t_kg.wall / t_jieba.wall), ("cpu", t_kg.cpu / t_jieba.cpu)):
        verdict = "meets" if ratio <= TARGET_RATIO else "misses"
        target = f"{verdict} the target of <= {TARGET_RATIO:.0f}x"
        print(f"ratio kg/jieba ({kind} time, one core): {ratio:.2f}x  ({target})")
    print(f"wall-clock speed-up of --workers {args.workers} over one core: {t_kg.wall / t_many.wall:.2f}x")
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cpus")
    if failed:
        print(f"warning: {failed} files failed in (c)")


if __name__ == "__main__":
    main()
