"""Scale (issue 9): time per MB of one file of many items against a folder of the same text, and `kg build` of
a synthetic corpus of many articles in one process, with `--workers 2` and with `--scheduler local:2`, with
wall time and peak memory per process, their growth with the corpus, and an extrapolation to 1,000,000
articles on 50 workers.

The corpus is made from kg's own sample articles (kg/samples/articles, names made up): their news items are
recombined, 1 to 3 per article, and the trade names of firms, zones and parks and the names of people are
replaced in each article by made-up ones drawn from a small syllable pool, so articles name different
things and some share them (hubs, as in real archives); place names and well-known buyers stay. No text of
../shared/corpus is used.

Every figure is measured as a fresh `kg` process (start-up included), once; the load average is printed with
each. Peak memory per process comes from polling the process tree (psutil, which Dask brings; without it
only the peak of the largest process is known).

    python bench/bench_scale.py [--sizes 5000,20000] [--file-mb 0.25,0.5,1,2] [--skip-dask] [--keep DIR]
"""

from __future__ import annotations

import argparse
import functools
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.append(str(ROOT))  # an installed kg (or PYTHONPATH) comes first

from kg.io import read_article  # noqa: E402
from kg.pipeline import sample_articles_dir  # noqa: E402

SYLLABLES = "青禾澜峰锦泽瑞恒晟辰宏远晶曜昊朗岳川晖铭源拓航骏煜霖"
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰涛明超秀霞平刚"


# ---------------------------------------------------------------------------------------------------------
# The synthetic corpus


def sample_items() -> list[str]:
    """The news items of the sample articles: a file is cut after each byline (a line holding only a name)."""
    _, people = name_table()
    byline = re.compile(r"(?<=\n)(?:" + "|".join(map(re.escape, people)) + r")\n")
    items: list[str] = []
    for path in sorted(sample_articles_dir().glob("*.txt")):
        text = read_article(path).text
        start = 0
        for m in byline.finditer(text):
            items.append(text[start : m.end()].strip() + "\n")
            start = m.end()
        if text[start:].strip():
            items.append(text[start:].strip() + "\n")
    return items


KEEP = ("比亚", "宁德", "山西", "无人", "国投", "河源")  # brands, places and words that are not trade names


@functools.cache
def name_table() -> tuple[list[str], list[str]]:
    """Trade names (the first two characters of firm, zone and park names) and people's names of the samples."""
    from kg.extract import extract

    prefixes: set[str] = set()
    people: set[str] = set()
    for path in sorted(sample_articles_dir().glob("*.txt")):
        for entity in extract(read_article(path)).entities:
            if entity.label in ("Company", "DevelopmentZone", "Park") and len(entity.name) >= 4:
                head = entity.name[:2]
                if re.fullmatch(r"[\u4e00-\u9fff]{2}", head) and head not in KEEP:
                    prefixes.add(head)
            if entity.label == "Person" and 2 <= len(entity.name) <= 3:
                people.add(entity.name)
    return sorted(prefixes, key=lambda p: (-len(p), p)), sorted(people, key=lambda p: (-len(p), p))


def synthetic_article(rng: random.Random, items: list[str], prefixes: list[str], people: list[str]) -> str:
    text = "\n\n".join(rng.sample(items, rng.randint(1, min(3, len(items)))))
    mapping = {p: rng.choice(SYLLABLES) + rng.choice(SYLLABLES) for p in prefixes}
    mapping |= {p: rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in p[1:]) for p in people}
    pattern = re.compile("|".join(re.escape(k) for k in sorted(mapping, key=len, reverse=True)))
    return pattern.sub(lambda m: mapping[m.group(0)], text)


def make_corpus(folder: Path, count: int, seed: int = 9) -> int:
    """`count` articles in `folder` (100 per sub-folder); returns the bytes written."""
    items = sample_items()
    prefixes, people = name_table()
    rng = random.Random(seed)
    size = 0
    for i in range(count):
        sub = folder / f"{i // 100:04d}"
        sub.mkdir(parents=True, exist_ok=True)
        data = synthetic_article(rng, items, prefixes, people).encode("utf-8")
        (sub / f"{i:06d}.txt").write_bytes(data)
        size += len(data)
    return size


def make_items_file(path: Path, folder: Path, megabytes: float, seed: int = 5) -> int:
    """One file of news items of about `megabytes` MB, and the same items as one file each in `folder`."""
    items = sample_items()
    prefixes, people = name_table()
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    parts: list[str] = []
    size = 0
    while size < megabytes * 1e6:
        item = synthetic_article(rng, items[:1] + items[1:], prefixes, people).strip() + "\n\n"
        (folder / f"{len(parts):06d}.txt").write_text(item, encoding="utf-8")
        parts.append(item)
        size += len(item.encode("utf-8"))
    path.write_text("".join(parts), encoding="utf-8")
    return size


# ---------------------------------------------------------------------------------------------------------
# Running and measuring


@dataclass
class Run:
    wall: float
    code: int
    peaks: dict[str, float] = field(default_factory=dict)  # process role → peak RSS in MB
    cpu: dict[str, float] = field(default_factory=dict)  # process role → CPU seconds (user + system)
    load: str = ""


def _role(proc: object, root: int) -> str:
    """The kg process itself, its extraction workers (forked for -w N, spawned by Dask), or a helper."""
    import psutil

    assert isinstance(proc, psutil.Process)
    if proc.pid == root:
        return "kg"
    try:
        cmd = " ".join(proc.cmdline())
    except psutil.Error:
        return "?"
    if "resource_tracker" in cmd:
        return "tracker"
    return "worker"


def run(args: list[str], env: dict[str, str] | None = None) -> Run:
    """Run `python -m kg ARGS`, polling every process of its tree for RSS and CPU time."""
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "kg", *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, **(env or {})})  # fmt: skip
    peaks: dict[int, tuple[str, float]] = {}
    cpu: dict[int, tuple[str, float]] = {}
    done = threading.Event()

    def poll() -> None:
        try:
            import psutil
        except ImportError:
            return
        root = psutil.Process(proc.pid)
        while not done.is_set():
            try:
                tree = [root, *root.children(recursive=True)]
            except psutil.Error:
                break
            for p in tree:
                try:
                    rss = p.memory_info().rss / 1e6
                    times = p.cpu_times()
                    role = peaks.get(p.pid, (None, 0.0))[0] or _role(p, proc.pid)
                    peaks[p.pid] = (role, max(rss, peaks.get(p.pid, (role, 0.0))[1]))
                    cpu[p.pid] = (role, times.user + times.system)
                except psutil.Error:
                    continue
            time.sleep(0.2)

    watcher = threading.Thread(target=poll, daemon=True)
    watcher.start()
    _, err = proc.communicate()
    done.set()
    watcher.join()
    wall = time.perf_counter() - started
    if proc.returncode not in (0, 1):
        print(err.decode()[-2000:], file=sys.stderr)
    result = Run(wall, proc.returncode, load="load average {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    for role, mb in peaks.values():
        if role == "tracker":
            continue
        key = role
        n = 1
        while key in result.peaks:
            n += 1
            key = f"{role} {n}"
        result.peaks[key] = mb
    for role, seconds in cpu.values():
        result.cpu[role] = result.cpu.get(role, 0.0) + seconds
    return result


def peaks_text(r: Run) -> str:
    parts = sorted(r.peaks.items(), key=lambda kv: (kv[0] != "kg", kv[0]))
    return ", ".join(f"{k} {v:,.0f} MB" for k, v in parts)


# ---------------------------------------------------------------------------------------------------------


def file_vs_folder(tmp: Path, sizes: list[float]) -> None:
    print("one file of many items vs a folder of the same items (kg build, fresh process, start-up included):")
    base = run(["build", str(sample_articles_dir() / "03_gbk_drone.txt"), "-o", str(tmp / "startup"), "-q"])
    print(f"  start-up (one small article): {base.wall:.1f} s; {base.load}")
    for mb in sizes:
        path, folder = tmp / f"items-{mb}.txt", tmp / f"items-{mb}"
        size = make_items_file(path, folder, mb)
        one = run(["build", str(path), "-o", str(tmp / f"out-file-{mb}"), "-q"])
        many = run(["build", str(folder), "-o", str(tmp / f"out-dir-{mb}"), "-q"])
        per = (one.wall - base.wall) / (size / 1e6)
        per_dir = (many.wall - base.wall) / (size / 1e6)
        print(
            f"  {size / 1e6:5.2f} MB: one file {one.wall:6.1f} s ({per:5.1f} s/MB beyond start-up), "
            f"{len(list(folder.iterdir())):,} files {many.wall:6.1f} s ({per_dir:5.1f} s/MB); "
            f"peak {one.peaks.get('kg', 0):,.0f} / {many.peaks.get('kg', 0):,.0f} MB; {one.load}"
        )


def corpus_builds(tmp: Path, sizes: list[int], dask: bool) -> None:
    rows: dict[tuple[str, int], Run] = {}
    for n in sizes:
        folder = tmp / f"corpus-{n}"
        t = time.perf_counter()
        size = make_corpus(folder, n)
        print(f"corpus of {n:,} articles ({size / 1e6:.1f} MB) made in {time.perf_counter() - t:.1f} s")
        variants = [("one process", []), ("--workers 2", ["-w", "2"])]
        if dask:
            variants.append(("--scheduler local:2", ["--scheduler", "local:2"]))
        outputs = []
        for what, extra in variants:
            out = tmp / f"out-{n}-{len(outputs)}"
            r = run(["build", str(folder), "-o", str(out), "-q", *extra])
            rows[(what, n)] = r
            outputs.append(out / "graph.json")
            cpu = ", ".join(f"{k} {v:,.0f} s" for k, v in sorted(r.cpu.items(), key=lambda kv: kv[0] != "kg"))
            print(f"  {what:<20} {r.wall:7.1f} s ({r.wall / n * 1000:6.2f} ms/article), exit {r.code}; "
                  f"peak RSS: {peaks_text(r)}; CPU: {cpu}; {r.load}")  # fmt: skip
        same = len({p.read_bytes() for p in outputs if p.is_file()}) == 1
        print(f"  graph.json identical across the {len(outputs)} builds: {same}")
        if n == sizes[-1]:
            export_memory(outputs[0], tmp)
            merge_growth(outputs[0].parent / "docs", [2000, 10000, n])
            ship_or_write(folder, min(n, 4000))
        for out in outputs:
            shutil.rmtree(out.parent, ignore_errors=True)
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        for other in sizes[1:]:
            print(f"growth from {small:,} to {other:,} articles (×{other / small:.0f} input):")
            for what in sorted({w for w, _ in rows}):
                a, b = rows.get((what, small)), rows.get((what, other))
                if a and b:
                    worker = max((v for k, v in b.peaks.items() if k != "kg"), default=0.0)
                    worker_a = max((v for k, v in a.peaks.items() if k != "kg"), default=0.0)
                    grown = f", largest worker ×{worker / worker_a:.2f}" if worker and worker_a else ""
                    print(f"  {what:<20} time ×{b.wall / a.wall:.2f}, peak RSS of kg ×"
                          f"{b.peaks.get('kg', 0) / max(a.peaks.get('kg', 1), 1):.2f}{grown}")  # fmt: skip
        extrapolate(rows, large)


def export_memory(graph: Path, tmp: Path) -> None:
    """Where the memory limit of the writers of a built graph is: `kg export` reads graph.json whole (as
    `kg load` does), so its peak grows with the graph file."""
    size = graph.stat().st_size / 1e6
    for fmt, target in (("neo4j-import", tmp / "export-csv"), ("nt", tmp / "export.nt")):
        r = run(["export", str(graph), "-f", fmt, "-o", str(target)])
        peak = r.peaks.get("kg", 0)
        print(f"  kg export -f {fmt:<12} of graph.json ({size:,.0f} MB): {r.wall:6.1f} s, exit {r.code}, "
              f"peak RSS {peak:,.0f} MB ({peak / size:.1f} × the file); {r.load}")  # fmt: skip
        shutil.rmtree(target, ignore_errors=True) if target.is_dir() else target.unlink(missing_ok=True)


def merge_growth(docs: Path, counts: list[int]) -> None:
    """The merge alone, in this process, on article graphs of the corpus: the merge before issue 9 (kept in
    tests/merge_reference.py) against the keyed one."""
    sys.path.insert(0, str(ROOT / "tests"))
    import merge_reference

    from kg.io import iter_json_files, read_doc_graph
    from kg.merge import merge

    graphs = [read_doc_graph(p) for p in iter_json_files(docs)]
    for count in sorted({min(c, len(graphs)) for c in counts}):
        part = graphs[:count]
        t = time.process_time()
        new = merge(part)
        t_new = time.process_time() - t
        t = time.process_time()
        old = merge_reference.merge(part) if count <= 20000 else None
        t_old = time.process_time() - t
        same = old is None or old.to_dict() == new.to_dict()
        print(f"  merge of {count:>6,} article graphs: keyed {t_new:6.2f} s CPU ({t_new / count * 1e3:.3f} ms each), "
              f"before issue 9 {t_old:6.2f} s ({t_old / count * 1e3:.3f} ms each); same graph: {same}")  # fmt: skip


def ship_or_write(folder: Path, count: int) -> None:
    """-w 2 in this process: workers send whole article graphs back and the parent writes their JSON (as
    before issue 9), against workers writing their own JSON and sending the merge's records."""
    from kg.build import doc_names, extract_files
    from kg.io import json_text, list_articles
    from kg.pipeline import extract_many

    paths = list(list_articles(folder).paths)[:count]
    names = doc_names(paths, folder)
    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        for result in extract_many(paths, workers=2):
            if result.graph is not None:
                target = Path(tmp) / "a" / names[result.path]
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(json_text(result.graph.to_dict()), encoding="utf-8")
        shipped = time.perf_counter() - t
        t = time.perf_counter()
        for _ in extract_files(paths, Path(tmp) / "b", names, workers=2):
            pass
        written = time.perf_counter() - t
    print(f"  -w 2 on {count:,} articles: graphs shipped to the parent {shipped:.1f} s, workers writing their own "
          f"JSON {written:.1f} s (×{shipped / written:.2f}); {os.getloadavg()[0]:.2f} load")  # fmt: skip


def extrapolate(rows: dict[tuple[str, int], Run], n: int) -> None:
    """1,000,000 articles on 50 workers, from the per-article costs of the largest measured build."""
    one = rows.get(("one process", n))
    dask = rows.get(("--scheduler local:2", n))
    if one is None:
        return
    extract_cpu = one.cpu.get("kg", one.wall) / n  # one process: all of it is extraction + merge + writing
    target, workers = 1_000_000, 50
    print(f"extrapolation to {target:,} articles on {workers} workers:")
    print(f"  extraction and merge, one process: {extract_cpu * 1000:.2f} CPU ms/article")
    spread = target * extract_cpu / workers
    if dask is not None:
        client = dask.cpu.get("kg", 0.0) / n
        workers_cpu = sum(v for k, v in dask.cpu.items() if k != "kg") / n
        serial = target * client
        print(f"  on Dask: workers {workers_cpu * 1000:.2f} CPU ms/article, client {client * 1000:.2f} CPU ms/article "
              f"(name index, article items, writing graph.json)")  # fmt: skip
        spread = target * workers_cpu / workers
        bound = "the client (names, graph.json)" if serial > spread else "extraction on the workers"
        print(f"  → workers {spread / 60:.0f} min in parallel, client {serial / 60:.0f} min serial: "
              f"about {max(spread, serial) / 60:.0f} min, bounded by {bound}")  # fmt: skip
    else:
        print(f"  → about {spread / 60:.0f} min of extraction spread over {workers} workers")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="5000,20000", help="corpus sizes in articles")
    parser.add_argument("--file-mb", default="0.25,0.5,1,2", help="sizes of the one-file runs (MB); empty: skip")
    parser.add_argument("--skip-dask", action="store_true")
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    args = parser.parse_args()
    tmp = args.keep or Path(tempfile.mkdtemp(prefix="kg-scale-"))
    tmp.mkdir(parents=True, exist_ok=True)
    try:
        if args.file_mb:
            file_vs_folder(tmp, [float(x) for x in args.file_mb.split(",")])
        sizes = [int(x) for x in args.sizes.split(",") if x]
        if sizes:
            corpus_builds(tmp, sizes, not args.skip_dask)
    finally:
        if args.keep is None:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
