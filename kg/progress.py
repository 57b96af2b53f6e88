"""Progress of long runs on stderr: a bar with rate, elapsed time and ETA on a terminal (rich, which typer
already brings), plain lines every few seconds when asked for in a log, nothing otherwise.

Only the CLI creates one; library functions take a plain callback (`on_done`), so they print nothing.
"""

from __future__ import annotations

import sys
import time
from types import TracebackType
from typing import Any, TextIO

from kg.errors import shown

LOG_EVERY = 10.0  # seconds between two plain lines in a log


def _clock(seconds: float) -> str:
    seconds = int(seconds)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class Bar:
    """`with Bar(total, "articles", live=…) as bar: bar.advance(name)`.

    `live`: True draws it (a terminal: a rich bar redrawn in place; anything else: a line every LOG_EVERY
    seconds and one at the end, so a log file does not fill with carriage returns); False keeps silent.
    The bar starts at the first `advance`, after any worker processes have been forked.
    """

    def __init__(self, total: int, unit: str, live: bool, stream: TextIO | None = None) -> None:
        self.total, self.unit, self.live, self.done = total, unit, live, 0
        self._stream = stream or sys.stderr
        self._started = time.monotonic()
        self._last_line = self._started
        self._rich: Any = None
        self._task: Any = None

    @staticmethod
    def wanted(total: int, quiet: bool, asked: bool = False, stream: TextIO | None = None) -> bool:
        """Whether to draw: not with -q, not for one item, and only on a terminal unless asked."""
        stream = stream or sys.stderr
        return not quiet and total > 1 and (asked or stream.isatty())

    def __enter__(self) -> Bar:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, tb: TracebackType | None) -> None:
        self.close(finished=kind is None)

    def _start(self) -> None:
        if not self._stream.isatty():
            return
        from rich.console import Console
        from rich.progress import (
            BarColumn,
            MofNCompleteColumn,
            Progress,
            TextColumn,
            TimeElapsedColumn,
            TimeRemainingColumn,
        )

        console = Console(file=self._stream, highlight=False)
        self._rich = Progress(
            BarColumn(),
            MofNCompleteColumn(),
            TextColumn("{task.fields[rate]}"),
            TextColumn("elapsed"),
            TimeElapsedColumn(),
            TextColumn("ETA"),
            TimeRemainingColumn(),
            TextColumn("{task.fields[name]}"),
            console=console,
            transient=False,
        )
        self._rich.start()
        self._task = self._rich.add_task("", total=self.total, rate="", name="")

    def rate(self) -> float:
        elapsed = time.monotonic() - self._started
        return self.done / elapsed if elapsed > 0 else 0.0

    def advance(self, name: str = "", step: int = 1) -> None:
        if not self.live:
            self.done += step
            return
        if self.done == 0 and self._rich is None:
            self._start()
        self.done += step
        rate = f"{self.rate():,.1f} {self.unit}/s"
        if self._rich is not None:
            self._rich.update(self._task, completed=self.done, rate=rate, name=shown(name)[-40:])
            return
        now = time.monotonic()
        if now - self._last_line >= LOG_EVERY or self.done == self.total:
            self._last_line = now
            self._line()

    def _line(self) -> None:
        elapsed = time.monotonic() - self._started
        rate = self.rate()
        left = (self.total - self.done) / rate if rate > 0 else 0.0
        share = f" ({self.done / self.total:.0%})" if self.total else ""
        print(
            f"kg: {self.done}/{self.total} {self.unit}{share}, {rate:,.1f}/s, elapsed {_clock(elapsed)}, "
            f"ETA {_clock(left)}",
            file=self._stream,
            flush=True,
        )

    def close(self, finished: bool = True) -> None:
        if self._rich is not None:
            self._rich.stop()
            self._rich = None
        elif self.live and finished and self.done and self.done != self.total and not self._stream.isatty():
            self._line()
