"""Extraction speed as a user meets it: `kg extract DIR` against bare jieba over the same files, each a fresh
process with its start-up included, and the scorers' share of the time.

    python bench/bench_extract.py [--mb 1.0] [--source auto|corpus|samples] [--workers N] [--repeat 3]

Builds a directory of at least `--mb` MB (UTF-8) of article text from ../shared/corpus when present, else
from the sample articles kg ships, by repeating the articles with their paragraphs rotated (each copy is a
different text, so nothing is served from a cache keyed on the text). Then runs, `--repeat` times each:

  (a) python: import jieba, jieba.lcut every file   (the floor any Chinese pipeline pays, start-up included)
  (b) kg extract DIR -o OUT                         (one process, the shipped scorers)
  (c) kg extract DIR -o OUT with no scorers          (KG_MODEL_DIR pointing at an empty directory: rules only)
  (d) kg extract DIR -o OUT -w N                     (when --workers > 1)

and prints, from the fastest run of each, wall-clock and CPU seconds (of the child process) and the
ratios (b)/(a) (target: at most 3x) and (b)/(c) (the scorers' cost; target: at most 1.2x). Figures only.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from kg.io import read_article  # noqa: E402
from kg.pipeline import sample_articles_dir  # noqa: E402

SHARED_CORPUS = ROOT.parent / "shared" / "corpus"
JIEBA = (
    "import sys, pathlib, jieba\n"
    "jieba.setLogLevel(60)\n"
    "n = 0\n"
    "for p in sorted(pathlib.Path(sys.argv[1]).glob('*.txt')):\n"
    "    n += len(jieba.lcut(p.read_text(encoding='utf-8')))\n"
)


def source_texts(source: str) -> tuple[str, list[str]]:
    use_corpus = source == "corpus" or (source == "auto" and any(SHARED_CORPUS.glob("*.txt")))
    folder = SHARED_CORPUS if use_corpus else sample_articles_dir()
    paths = sorted(folder.glob("*.txt"))
    if not paths:
        raise SystemExit(f"bench: no .txt articles in {folder}")
    label = "shared corpus" if use_corpus else "kg sample articles"
    return f"{label} ({folder}, {len(paths)} files)", [read_article(p).text for p in paths]


def rotated(text: str, k: int) -> str:
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


def run(cmd: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(cmd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


def best(cmd: list[str], env: dict[str, str], repeat: int, out: Path | None = None) -> tuple[float, float]:
    runs = []
    for _ in range(repeat):
        if out is not None and out.exists():
            shutil.rmtree(out)
        runs.append(run(cmd, env))
    return min(runs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mb", type=float, default=1.0, help="MB of article text (UTF-8), at least")
    parser.add_argument("--source", choices=("auto", "corpus", "samples"), default="auto")
    parser.add_argument("--workers", type=int, default=1, help="also time kg extract -w N")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each command; the fastest counts")
    args = parser.parse_args()

    where, seeds = source_texts(args.source)
    texts = build_texts(seeds, int(args.mb * 1024 * 1024))
    chars = sum(len(t) for t in texts)
    size = sum(len(t.encode("utf-8")) for t in texts)
    print(f"text: {len(texts)} files, {chars:,} chars, {size / 1024 / 1024:.2f} MB, built from {where}")
    print(f"cpus: {os.cpu_count()}, python {sys.version.split()[0]}, load average {os.getloadavg()[0]:.1f}")

    kg = [sys.executable, "-m", "kg"]  # the installed entry point, without a version manager's shim
    with tempfile.TemporaryDirectory(prefix="kg-bench-") as tmp:
        src, out, empty = Path(tmp) / "in", Path(tmp) / "out", Path(tmp) / "no-models"
        src.mkdir()
        empty.mkdir()
        for i, text in enumerate(texts):
            (src / f"a{i:05d}.txt").write_text(text, encoding="utf-8")
        env = dict(os.environ)
        rules_env = {**env, "KG_MODEL_DIR": str(empty)}
        figures = {
            "(a) bare jieba, one process": best([sys.executable, "-c", JIEBA, str(src)], env, args.repeat),
            "(b) kg extract DIR, one process": best(
                [*kg, "extract", str(src), "-o", str(out), "-q"], env, args.repeat, out
            ),
            "(c) kg extract DIR, rules only": best(
                [*kg, "extract", str(src), "-o", str(out), "-q"], rules_env, args.repeat, out
            ),
        }
        if args.workers > 1:
            cmd = [*kg, "extract", str(src), "-o", str(out), "-q", "-w", str(args.workers)]
            figures[f"(d) kg extract DIR -w {args.workers}"] = best(cmd, env, args.repeat, out)

    print("start-up included, fastest of", args.repeat, "runs:")
    for label, (wall, cpu) in figures.items():
        print(f"  {label:<38} {wall:7.2f} s wall {chars / wall:>9,.0f} chars/s | {cpu:7.2f} s cpu")
    a, b, c = (figures[k] for k in list(figures)[:3])
    print(f"ratio kg/jieba: {b[0] / a[0]:.2f}x wall, {b[1] / a[1]:.2f}x cpu (target <= 3x)")
    print(f"scorers' cost, kg/rules-only: {b[0] / c[0]:.2f}x wall, {b[1] / c[1]:.2f}x cpu (target <= 1.2x)")


if __name__ == "__main__":
    main()
