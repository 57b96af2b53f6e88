"""Outputs that are switched in whole or not at all: a file, or a folder of files written as one set.

A reader (or a user after Ctrl-C, kill -9 or a failed run) sees either the previous output or the new one,
never a mixture. A file is written under a hidden temporary name beside it and renamed over it. A folder is
written as a hidden staging folder beside it and exchanged with it in one step (Linux `renameat2` with
RENAME_EXCHANGE; elsewhere two renames, with a moment between them that the next run repairs). What the
folder held that kg did not write (a user's notes, another build's sub-folder) is carried over; what an
earlier run wrote and this one did not (the graph of a file that is gone, or failed this time) is removed.

Temporary names carry the writer's pid, so a later run can tell the leftovers of a killed run (removed)
from those of a run still going (left alone).
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import shutil
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TextIO

from kg.errors import ExportError, shown

_TMP_TAG = ".kg-tmp-"
_NEW_TAG = ".kg-new-"
_OLD_TAG = ".kg-old-"
_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _pid_of(name: str, tag: str) -> int | None:
    """The pid in a temporary name `.<target>.kg-…-<pid>-<random>`, or None."""
    rest = name.split(tag, 1)[-1]
    head = rest.split("-", 1)[0]
    return int(head) if head.isdigit() else None


def _remove(path: Path) -> None:
    with contextlib.suppress(OSError):
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path)
        else:
            path.unlink(missing_ok=True)


def _leftovers(target: Path, tag: str) -> list[Path]:
    """Temporary siblings of `target` with `tag` whose writer is no longer running."""
    prefix = f".{target.name}{tag}"
    try:
        names = sorted(n for n in os.listdir(target.parent) if n.startswith(prefix))
    except OSError:
        return []
    out = []
    for name in names:
        pid = _pid_of(name, tag)
        if pid is None or not _alive(pid):
            out.append(target.parent / name)
    return out


# ---------------------------------------------------------------------------------------------------------
# One file


@contextlib.contextmanager
def open_atomic(path: Path | str, what: str = "") -> Iterator[TextIO]:
    """A text stream (UTF-8, "\\n" newlines) whose content replaces `path` only when the block ends normally.

    On any exception, Ctrl-C included, the temporary file is removed and `path` keeps its old content.
    Leftovers of a writer killed before it could clean up are removed the next time `path` is written.
    """
    target = Path(path)
    if target.is_dir():
        raise ExportError(f"{shown(path)}: is a directory, expected a file name")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        for stale in _leftovers(target, _TMP_TAG):
            _remove(stale)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}{_TMP_TAG}{os.getpid()}-", dir=target.parent)
    except OSError as e:
        raise ExportError(f"{shown(path)}: cannot write{f' {what}' if what else ''} ({e.strerror or e})") from e
    tmp = Path(tmp_name)
    try:
        with open(fd, "w", encoding="utf-8", newline="\n", buffering=1 << 20) as out:
            yield out
        _keep_mode(target, tmp)
        tmp.replace(target)
    except OSError as e:
        _remove(tmp)
        raise ExportError(f"{shown(path)}: cannot write{f' {what}' if what else ''} ({e.strerror or e})") from e
    except BaseException:
        _remove(tmp)
        raise


def _keep_mode(target: Path, tmp: Path) -> None:
    """mkstemp makes 0600 files; give the new file what the old one had, or what the umask gives new files."""
    try:
        mode = target.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        mode = 0o666 & ~umask
    os.chmod(tmp, mode)


def write_text(path: Path | str, text: str, what: str = "") -> None:
    """Replace `path` with `text` atomically (see open_atomic)."""
    with open_atomic(path, what) as out:
        out.write(text)


# ---------------------------------------------------------------------------------------------------------
# A folder written as one set


@dataclass(frozen=True)
class Ownership:
    """Which entries of an output folder a command writes (and may therefore replace or remove).

    `names`: the top-level names it owns (None: any name). An owned entry must be a file whose name ends in
    one of `suffixes`, or a folder holding only such files; anything else in the folder is the user's.
    """

    command: str
    names: frozenset[str] | None
    suffixes: tuple[str, ...] = (".json",)

    def owns(self, entry: Path) -> bool:
        if self.names is not None and entry.name not in self.names:
            return False
        return _only_files_with(entry, self.suffixes)


def _only_files_with(entry: Path, suffixes: tuple[str, ...]) -> bool:
    if entry.is_symlink():
        return False
    if entry.is_file():
        return entry.name.endswith(suffixes)
    if entry.is_dir():
        try:
            return all(_only_files_with(child, suffixes) for child in entry.iterdir())
        except OSError:
            return False
    return False


def _rename_exchange(a: Path, b: Path) -> bool:
    """Swap two paths in one step; False where the system or file system cannot."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    done = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    if done == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False
    raise OSError(code, os.strerror(code), str(b))


def has_output(target: Path | str, ownership: Ownership) -> bool:
    """True when `target` holds something this command wrote before (so a failed run must not replace it)."""
    folder = Path(target)
    try:
        return folder.is_dir() and any(ownership.owns(e) for e in folder.iterdir())
    except OSError:
        return False


def check_target(target: Path | str, ownership: Ownership, inputs: tuple[Path, ...] = ()) -> Path:
    """Refuse an output folder that a switch would damage, before any work is done; return its real path.

    Refused: a file; the current folder or one holding it (the user's shell would be left in the old one);
    a folder holding the inputs.
    """
    folder = Path(os.path.abspath(target))
    if folder.is_symlink():
        folder = folder.resolve()
    if folder.exists() and not folder.is_dir():
        raise ExportError(f"{shown(target)}: exists and is not a folder; {ownership.command} writes a folder here")
    cwd = Path.cwd().resolve()
    real = folder.resolve()
    if real == cwd or real in cwd.parents:
        raise ExportError(
            f"{shown(target)}: is the current folder or holds it; give {ownership.command} an output folder of "
            "its own (e.g. -o out)"
        )
    for item in inputs:
        with contextlib.suppress(OSError, RuntimeError):
            source = item.resolve()
            if source == real or real in source.parents:
                raise ExportError(
                    f"{shown(target)}: holds the input {shown(item)}; write the output to a folder of its own"
                )
    return folder


def recover(folder: Path, ownership: Ownership) -> None:
    """Repair what a run killed mid-switch left: the previous folder put back if the folder is missing, the
    user's entries carried back from a leftover, leftovers removed."""
    leftovers = _leftovers(folder, _NEW_TAG) + _leftovers(folder, _OLD_TAG)
    if not leftovers:
        return
    if not folder.exists():
        old = [p for p in leftovers if _OLD_TAG in p.name]
        if old:
            old[-1].rename(folder)
            leftovers.remove(old[-1])
    for leftover in leftovers:
        _carry_over(leftover, folder, ownership)
        _remove(leftover)


def _carry_over(source: Path, folder: Path, ownership: Ownership) -> None:
    """Move the entries of `source` that the command does not own into `folder` (when absent there)."""
    try:
        entries = sorted(source.iterdir())
    except OSError:
        return
    for entry in entries:
        if ownership.owns(entry):
            continue
        dest = folder / entry.name
        if not dest.exists() and not dest.is_symlink():
            entry.rename(dest)


def _foreign_clash(stage: Path, folder: Path, ownership: Ownership) -> str | None:
    """An entry of the user's in `folder` that has the name of one the new output holds, or None."""
    if not folder.is_dir():
        return None
    for entry in sorted(stage.iterdir()):
        existing = folder / entry.name
        if (existing.exists() or existing.is_symlink()) and not ownership.owns(existing):
            return entry.name
    return None


class Discard(Exception):
    """Raised inside `output_dir` to drop what was staged and leave the target as it was (a run with failed
    files that must not replace a previous output)."""


@contextlib.contextmanager
def output_dir(target: Path | str, ownership: Ownership, inputs: tuple[Path, ...] = ()) -> Iterator[Path]:
    """A fresh staging folder to write the whole output in; switched in for `target` when the block ends.

    On an exception (Ctrl-C included) the staging folder is removed and `target` is untouched; `Discard`
    does the same and is not raised further. Hidden entries of the stage named `.kg-work*` (a build's
    scratch files) are removed before the switch.
    """
    folder = check_target(target, ownership, inputs)
    try:
        folder.parent.mkdir(parents=True, exist_ok=True)
        recover(folder, ownership)
        stage = Path(tempfile.mkdtemp(prefix=f".{folder.name}{_NEW_TAG}{os.getpid()}-", dir=folder.parent))
    except OSError as e:
        if e.errno in (errno.EACCES, errno.EPERM, errno.EROFS) and folder.is_dir():
            with _in_place(folder, ownership) as stage:
                yield stage
            return
        raise ExportError(f"{shown(target)}: cannot write ({e.strerror or e})") from e
    try:
        stage.chmod(_dir_mode())
        try:
            yield stage
        except Discard:
            _remove(stage)
            return
        _drop_scratch(stage)
        clash = _foreign_clash(stage, folder, ownership)
        if clash is not None:
            raise ExportError(
                f"{shown(folder / clash)}: is not something {ownership.command} wrote, and the new output has an "
                "entry of that name; move it away or write elsewhere"
            )
        _switch(stage, folder, ownership)
    except OSError as e:
        _remove(stage)
        raise ExportError(f"{shown(target)}: cannot write ({e.strerror or e})") from e
    except BaseException:
        _remove(stage)
        raise


SCRATCH = ".kg-work"


def _drop_scratch(stage: Path) -> None:
    for entry in stage.glob(f"{SCRATCH}*"):
        _remove(entry)


def _dir_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o777 & ~umask


def _switch(stage: Path, folder: Path, ownership: Ownership) -> None:
    if not folder.exists():
        stage.rename(folder)
        return
    if _rename_exchange(stage, folder):
        _keep_folder_mode(stage, folder)
    else:
        old = Path(tempfile.mkdtemp(prefix=f".{folder.name}{_OLD_TAG}{os.getpid()}-", dir=folder.parent))
        old.rmdir()
        folder.rename(old)
        stage.rename(folder)
        stage = old
    _carry_over(stage, folder, ownership)
    _remove(stage)


def _keep_folder_mode(old: Path, new: Path) -> None:
    with contextlib.suppress(OSError):
        new.chmod(old.stat().st_mode & 0o7777)


@contextlib.contextmanager
def _in_place(folder: Path, ownership: Ownership) -> Iterator[Path]:
    """For a folder whose parent we may not write (a mounted volume): stage inside it, then replace entry by
    entry. Each entry switches atomically; the set does not."""
    for stale in _leftovers(folder / "x", _NEW_TAG):
        _remove(stale)
    stage = Path(tempfile.mkdtemp(prefix=f".x{_NEW_TAG}{os.getpid()}-", dir=folder))
    try:
        try:
            yield stage
        except Discard:
            return
        _drop_scratch(stage)
        new = {e.name for e in stage.iterdir()}
        for entry in sorted(folder.iterdir()):
            if entry != stage and entry.name not in new and ownership.owns(entry):
                _remove(entry)
        for entry in sorted(stage.iterdir()):
            dest = folder / entry.name
            if (dest.exists() or dest.is_symlink()) and not ownership.owns(dest):
                raise ExportError(f"{shown(dest)}: is not something {ownership.command} wrote; move it away")
            if entry.is_dir() and dest.is_dir() and _rename_exchange(entry, dest):
                continue
            if dest.is_dir():
                _remove(dest)
            entry.rename(dest)
    finally:
        _remove(stage)


def write_files(folder: Path, files: dict[str, Callable[[IO[str]], Any]]) -> None:
    """Write several text files under `folder` (relative names; sub-folders created)."""
    for rel, write in files.items():
        path = folder / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as out:
            write(out)
