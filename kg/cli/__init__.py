"""The `kg` command: thin typer commands over the library. Only this package prints.

Each area registers its commands on `app` from its own module, so the modules stay small and separate.
"""

from __future__ import annotations

import errno
import signal
import sys
import traceback
from importlib import metadata
from typing import Annotated, Any

import typer

from kg.cli.state import state
from kg.errors import KgError, shown

app = typer.Typer(
    name="kg",
    help="Turn Chinese industrial news into a knowledge graph (extract, build, load, export, query).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def version() -> str:
    try:
        return metadata.version("kg")
    except metadata.PackageNotFoundError:  # a source tree that was never installed
        return "unknown"


def _show_version(value: bool) -> None:
    if value:
        print(f"kg {version()}")
        raise typer.Exit()


@app.callback()
def _options(
    debug: Annotated[
        bool, typer.Option("--debug", envvar="KG_DEBUG", help="Print tracebacks of unexpected errors.")
    ] = False,
    show_version: Annotated[
        bool,
        typer.Option("--version", callback=_show_version, is_eager=True, help="Print kg's version and exit."),
    ] = False,
) -> None:
    """Turn Chinese industrial news into a knowledge graph (extract, build, load, export, query)."""
    state.debug = state.debug or debug


# Importing a module registers its commands on `app`, in the order `kg --help` lists them: the data flow.
# isort: off
from kg.cli import extract as _extract  # noqa: E402,F401
from kg.cli import evaluate as _evaluate  # noqa: E402,F401
from kg.cli import train as _train  # noqa: E402,F401
from kg.cli import store as _store  # noqa: E402,F401
from kg.cli import export as _export  # noqa: E402,F401
from kg.cli import use as _use  # noqa: E402,F401
# isort: on

INTERRUPTED = 130


def _error(message: str) -> None:
    """One line on stderr, whatever the message holds (a file name with a newline, bytes that are not UTF-8)."""
    print(f"kg: error: {shown(message)}", file=sys.stderr)


def _terminate(signum: int, frame: Any) -> None:
    """SIGTERM stops kg as Ctrl-C does, so temporary files are removed on the way out."""
    raise KeyboardInterrupt


def main() -> None:
    """Entry point: user mistakes become one line on stderr and exit status 2, never a traceback; Ctrl-C
    prints "kg: interrupted" (typer turns it into exit status 130 before we see it); a bug becomes one line
    too, with the traceback under --debug."""
    # --debug is accepted anywhere on the line (kg --debug build, kg build --debug): taken out here.
    args = [a for a in sys.argv[1:] if a != "--debug"]
    state.debug = state.debug or len(args) < len(sys.argv) - 1
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, _terminate)
    try:
        code = app(args=args, standalone_mode=False)
        if code == INTERRUPTED:
            print("kg: interrupted", file=sys.stderr)
        if isinstance(code, int) and code:
            sys.exit(code)
    except KgError as e:
        _error(str(e))
        sys.exit(2)
    except typer.Exit as e:
        sys.exit(e.exit_code)
    except typer.Abort:
        print("kg: aborted", file=sys.stderr)
        sys.exit(INTERRUPTED)
    except KeyboardInterrupt:
        print("kg: interrupted", file=sys.stderr)
        sys.exit(INTERRUPTED)
    except BrokenPipeError:
        sys.exit(1)
    except SystemExit:
        raise
    except Exception as e:
        # Usage errors (missing argument, bad option) carry their own one-screen message. typer vendors its
        # own copy of click, so recognise them by shape rather than by class.
        show = getattr(e, "show", None)
        if callable(show) and isinstance(getattr(e, "exit_code", None), int):
            show()
            sys.exit(e.exit_code)  # type: ignore[attr-defined]
        if isinstance(e, OSError) and e.errno not in (None, errno.EIO):
            where = f"{e.filename}: " if e.filename else ""
            _error(f"{where}{e.strerror or e}")
            sys.exit(2)
        if state.debug:
            traceback.print_exc()
        first = str(e).strip().splitlines()[0] if str(e).strip() else ""
        what = f"{type(e).__name__}: {first}" if first else type(e).__name__
        _error(f"unexpected {what} (a bug in kg; --debug shows the traceback)")
        sys.exit(1)
