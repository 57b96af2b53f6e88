"""kg.atomic: a file or a folder of files is replaced whole or not at all; what the user keeps in an output
folder survives; what a killed run leaves behind is cleaned up by the next one."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from kg import atomic
from kg.errors import ExportError

JSON_ONLY = atomic.Ownership("test", frozenset({"graph.json", "docs"}))


def snapshot(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def siblings(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.parent.iterdir() if p.name != folder.name)


def write_build(stage: Path, tag: str, docs: tuple[str, ...]) -> None:
    (stage / "docs").mkdir()
    for name in docs:
        (stage / "docs" / f"{name}.json").write_text(f'{{"{tag}": "{name}"}}', encoding="utf-8")
    (stage / "graph.json").write_text(f'{{"{tag}": {list(docs)!r}}}'.replace("'", '"'), encoding="utf-8")


@pytest.fixture()
def out(tmp_path: Path) -> Path:
    folder = tmp_path / "parent" / "out"
    with atomic.output_dir(folder, JSON_ONLY) as stage:
        write_build(stage, "old", ("a", "b"))
    return folder


def test_the_new_set_replaces_the_old_one_and_stale_files_go(out: Path) -> None:
    (out / "corpus").mkdir()
    (out / "corpus" / "notes.txt").write_text("mine", encoding="utf-8")
    with atomic.output_dir(out, JSON_ONLY) as stage:
        write_build(stage, "new", ("a",))
    assert snapshot(out) == {
        "corpus/notes.txt": b"mine",
        "docs/a.json": b'{"new": "a"}',
        "graph.json": b'{"new": ["a"]}',
    }
    assert siblings(out) == []


def test_an_exception_inside_leaves_the_old_set_and_no_temporary_folder(out: Path) -> None:
    before = snapshot(out)
    with pytest.raises(KeyboardInterrupt), atomic.output_dir(out, JSON_ONLY) as stage:
        write_build(stage, "new", ("a",))
        raise KeyboardInterrupt
    assert snapshot(out) == before and siblings(out) == []


def test_a_user_folder_named_like_ours_is_never_replaced(tmp_path: Path) -> None:
    folder = tmp_path / "project"
    (folder / "docs").mkdir(parents=True)
    (folder / "docs" / "browser.png").write_bytes(b"\x89PNG")
    with pytest.raises(ExportError, match="is not something test wrote"), atomic.output_dir(folder, JSON_ONLY) as s:
        write_build(s, "new", ("a",))
    assert snapshot(folder) == {"docs/browser.png": b"\x89PNG"} and siblings(folder) == []


def test_leftovers_of_a_killed_run_are_repaired(out: Path) -> None:
    before = snapshot(out)
    dead = _dead_pid()
    stale_stage = out.parent / f".out.kg-new-{dead}-abc"  # killed while writing
    stale_stage.mkdir()
    (stale_stage / "graph.json").write_text("half", encoding="utf-8")
    moved_old = out.parent / f".out.kg-new-{dead}-def"  # killed after the exchange: the previous set, with
    moved_old.mkdir()  # the user's entry not yet carried back
    (moved_old / "graph.json").write_text("older", encoding="utf-8")
    (moved_old / "mine.txt").write_text("keep me", encoding="utf-8")
    atomic.recover(out, JSON_ONLY)
    assert snapshot(out) == {**before, "mine.txt": b"keep me"}
    assert siblings(out) == []


def test_a_folder_moved_aside_is_put_back(out: Path) -> None:
    before = snapshot(out)
    aside = out.parent / f".out.kg-old-{_dead_pid()}-x"
    out.rename(aside)  # killed between the two renames of the fallback switch
    atomic.recover(out, JSON_ONLY)
    assert snapshot(out) == before and siblings(out) == []


def test_a_running_writers_temporary_folder_is_left_alone(out: Path) -> None:
    mine = out.parent / f".out.kg-new-{os.getppid()}-zzz"
    mine.mkdir()
    atomic.recover(out, JSON_ONLY)
    assert mine.is_dir()


def test_the_switch_works_without_renameat2(out: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(atomic, "_rename_exchange", lambda a, b: False)
    (out / "mine.txt").write_text("x", encoding="utf-8")
    with atomic.output_dir(out, JSON_ONLY) as stage:
        write_build(stage, "new", ("c",))
    assert sorted(snapshot(out)) == ["docs/c.json", "graph.json", "mine.txt"] and siblings(out) == []


def test_a_file_is_replaced_atomically_and_keeps_its_mode(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "g.ttl"
    atomic.write_text(path, "one")
    path.chmod(0o640)
    with pytest.raises(KeyboardInterrupt), atomic.open_atomic(path) as out:
        out.write("two, half written")
        raise KeyboardInterrupt
    assert path.read_text() == "one" and [p.name for p in path.parent.iterdir()] == ["g.ttl"]
    atomic.write_text(path, "three")
    assert path.read_text() == "three" and path.stat().st_mode & 0o777 == 0o640


def test_temporary_files_of_a_killed_writer_are_removed_next_time(tmp_path: Path) -> None:
    path = tmp_path / "g.ttl"
    stale = tmp_path / f".g.ttl.kg-tmp-{_dead_pid()}-abcd"
    stale.write_text("partial", encoding="utf-8")
    atomic.write_text(path, "whole")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.ttl"]


def _dead_pid() -> int:
    """The pid of a process that has exited (and been reaped)."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    return int(done.stdout)
