"""The `kg` command: thin typer commands over the library. Only this package prints.

Each area registers its commands on `app` from its own module, so the modules stay small and separate.
"""

from __future__ import annotations

import sys

import typer

from kg.errors import KgError

app = typer.Typer(
    name="kg",
    help="Turn Chinese industrial news into a knowledge graph (extract, build, load, export, query).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Importing a module registers its commands on `app`, in the order `kg --help` lists them: the data flow.
# isort: off
from kg.cli import extract as _extract  # noqa: E402,F401
from kg.cli import evaluate as _evaluate  # noqa: E402,F401
from kg.cli import store as _store  # noqa: E402,F401
from kg.cli import export as _export  # noqa: E402,F401
from kg.cli import use as _use  # noqa: E402,F401
# isort: on


def main() -> None:
    """Entry point: user mistakes become one line on stderr and exit status 2, never a traceback."""
    try:
        code = app(standalone_mode=False)
        if isinstance(code, int) and code:
            sys.exit(code)
    except KgError as e:
        print(f"kg: error: {e}", file=sys.stderr)
        sys.exit(2)
    except typer.Exit as e:
        sys.exit(e.exit_code)
    except typer.Abort:
        print("kg: aborted", file=sys.stderr)
        sys.exit(130)
    except KeyboardInterrupt:
        print("kg: interrupted", file=sys.stderr)
        sys.exit(130)
    except Exception as e:
        # Usage errors (missing argument, bad option) carry their own one-screen message. typer vendors its
        # own copy of click, so recognise them by shape rather than by class.
        show = getattr(e, "show", None)
        if callable(show) and isinstance(getattr(e, "exit_code", None), int):
            show()
            sys.exit(e.exit_code)  # type: ignore[attr-defined]
        raise
