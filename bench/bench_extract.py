"""Extraction throughput against bare jieba segmentation of the same text, in the same process.

    python bench/bench_extract.py [--mb 1.0] [--workers N] [--source auto|corpus|samples]

Builds at least `--mb` MB (UTF-8) of article text from ../shared/corpus when present, else from the sample
articles that ship with kg, by repeating the articles with their paragraphs rotated (each copy is a
different text, so nothing can be served from a cache keyed on the text). Then times, after a warm-up:

  (a) jieba.lcut over every article text (the floor any Chinese pipeline pays),
  (b) kg.extract.extract over the same Articles on one core,
  (c) kg.pipeline.extract_many over the article files with --workers N processes (reading included).

Prints characters per second for each and the ratio (b)/(a) in time; the target is at most 3x.
Figures only: no assertion on time.
"""

from __future__ import annotations

import argparse
import os
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


def timed(label: str, chars: int, seconds: float) -> None:
    print(f"  {label:<44} {seconds:8.2f} s  {chars / seconds:>12,.0f} chars/s")


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
        start = time.perf_counter()
        for text in texts:
            jieba.lcut(text)
        t_jieba = time.perf_counter() - start

        from kg.extract import extract, warm_up

        warm_up()
        extract(articles[0])
        start = time.perf_counter()
        for article in articles:
            extract(article)
        t_kg = time.perf_counter() - start

        start = time.perf_counter()
        results = list(extract_many(paths, workers=args.workers))
        t_many = time.perf_counter() - start
        failed = sum(1 for r in results if r.error)

    print("throughput:")
    timed("(a) jieba.lcut, one core", chars, t_jieba)
    timed("(b) kg.extract.extract, one core", chars, t_kg)
    timed(f"(c) kg.pipeline.extract_many, --workers {args.workers}", chars, t_many)
    ratio = t_kg / t_jieba
    verdict = "meets" if ratio <= TARGET_RATIO else "misses"
    print(f"ratio kg/jieba (time, one core): {ratio:.2f}x  ({verdict} the target of <= {TARGET_RATIO:.0f}x)")
    print(f"speed-up of --workers {args.workers} over one core: {t_kg / t_many:.2f}x")
    if failed:
        print(f"warning: {failed} files failed in (c)")


if __name__ == "__main__":
    main()
