"""`kg load`, `kg unload`, `kg neo4j start|stop|status`: the corpus graph in Neo4j, and a local server."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from kg.cli import app
from kg.cli.extract import Source
from kg.cli.report import say
from kg.errors import shown
from kg.store import server
from kg.store.connection import DEFAULT_BATCH_SIZE, DEFAULT_WRITERS, Connection

Uri = Annotated[str | None, typer.Option("--uri", envvar="NEO4J_URI", help="Bolt URI (default bolt://localhost:7687)")]
User = Annotated[str | None, typer.Option("--user", envvar="NEO4J_USER", help="User (default neo4j)")]
Password = Annotated[
    str | None, typer.Option("--password", envvar="NEO4J_PASSWORD", show_default=False, help="Password")
]
Database = Annotated[str | None, typer.Option("--database", envvar="NEO4J_DATABASE", help="Database (default neo4j)")]
Home = Annotated[
    Path | None,
    typer.Option(
        "--home",
        envvar="KG_NEO4J_HOME",
        help="Server home (conf, data, logs) (default ~/.local/share/kg/neo4j)",
    ),
]


def _progress(quiet: bool):  # type: ignore[no-untyped-def]
    """Batches written so far, on stderr (data and summaries go to stdout)."""

    def tick(done: int, total: int) -> None:
        if not quiet and sys.stderr.isatty():
            print(
                f"\r[{done}/{total}] batches written",
                end="" if done < total else "\n",
                file=sys.stderr,
                flush=True,
            )

    return tick


@app.command()
def load(
    input: Annotated[str, typer.Argument(help="A corpus-graph JSON (kg build), or articles: a file, a directory, -.")],
    uri: Uri = None,
    user: User = None,
    password: Password = None,
    database: Database = None,
    batch_size: Annotated[int, typer.Option("--batch-size", min=1, help="Rows per transaction.")] = DEFAULT_BATCH_SIZE,
    workers: Annotated[int, typer.Option("--workers", "-w", min=1, help="Extraction processes for articles.")] = 1,
    writers: Annotated[
        int, typer.Option("--writers", min=1, help="Sessions writing at once, each on its own nodes.")
    ] = DEFAULT_WRITERS,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress on stderr.")] = False,
    source: Source = None,
) -> None:
    """Load a corpus graph into Neo4j; an article loaded again replaces its earlier version (same source)."""
    from kg.cli.report import Progress, report
    from kg.pipeline import is_graph_json, listing_of, read_input
    from kg.store.neo4j import load as load_graph
    from kg.store.neo4j import verify

    conn = Connection.from_env(uri, user, password, database)
    listing = None if is_graph_json(input) else listing_of(input)
    if listing is not None:
        # Extraction takes a while; a server that is down or refuses the password should fail before it.
        verify(conn)
    total = len(listing.paths) if listing else 1
    got = read_input(input, workers=workers, source=source, on_done=Progress(total, quiet), listing=listing)
    failures = report(got.batch, quiet)
    graph = got.corpus
    result = load_graph(graph, conn, batch_size=batch_size, on_batch=_progress(quiet), writers=writers)
    replaced = f"; replaced {len(result.replaced)} older article version(s)" if result.replaced else ""
    print(
        f"loaded {result.articles} articles, {result.entities} entities, {result.relations} relations "
        f"into {conn.uri} (database {conn.database}) in {result.seconds:.1f} s{replaced}"
    )
    if failures:
        raise typer.Exit(1)


@app.command()
def unload(
    article: Annotated[str, typer.Argument(help="Article id (A…), the source path it was loaded from, or file name.")],
    uri: Uri = None,
    user: User = None,
    password: Password = None,
    database: Database = None,
) -> None:
    """Remove one article's contribution: facts only it supports go, what other articles support stays."""
    from kg.store.neo4j import unload as unload_article

    conn = Connection.from_env(uri, user, password, database)
    result = unload_article(article, conn)
    print(
        shown(
            f"unloaded {result.article} ({result.source}): {result.entities_deleted} entities and "
            f"{result.relations_deleted} relations deleted"
        )
    )


neo4j_app = typer.Typer(
    name="neo4j",
    help="A local Neo4j Community server from Maven Central (no Docker needed).",
    no_args_is_help=True,
)
app.add_typer(neo4j_app, name="neo4j")


@neo4j_app.command()
def start(
    home: Home = None,
    bolt_port: Annotated[int, typer.Option("--bolt-port", min=1, max=65535, help="Bolt port.")] = 7687,
    http_port: Annotated[int, typer.Option("--http-port", min=1, max=65535, help="HTTP port (Neo4j Browser).")] = 7474,
    heap: Annotated[str, typer.Option("--heap", help="JVM heap size.")] = "1g",
    pagecache: Annotated[str, typer.Option("--pagecache", help="Page cache size.")] = "512m",
    password: Annotated[
        str | None,
        typer.Option("--password", envvar="NEO4J_PASSWORD", show_default=False, help="Initial password (new home)."),
    ] = None,
) -> None:
    """Start Neo4j in the background (the first start fetches its jars with Maven); wait for Bolt."""
    config = server.ServerConfig(
        home=home or server.default_home(),
        bolt_port=bolt_port,
        http_port=http_port,
        heap=heap,
        pagecache=pagecache,
    )
    began = time.monotonic()
    server.check_config(config)
    if not (server.lib_dir(config) / ".complete").is_file():
        print(
            f"fetching Neo4j {config.version} from Maven Central into {server.lib_dir(config)} …",
            file=sys.stderr,
        )
    status = server.start(config, password=password or "")
    print(
        f"Neo4j {status.version} running (pid {status.pid}, {time.monotonic() - began:.0f} s): "
        f"Bolt {status.bolt_uri}, Browser {status.browser_url}, home {status.home}"
    )
    if password and server.password_refused(config, password):
        say(
            f"kg: warning: the server in {status.home} refuses this NEO4J_PASSWORD: it keeps the password set when "
            "its home was created (give that one, or stop it and remove the home to start afresh)"
        )


@neo4j_app.command()
def stop(home: Home = None) -> None:
    """Stop the local server cleanly (its JVM checkpoints and exits; nothing is left running)."""
    home = home or server.default_home()
    if server.stop(home):
        print(f"Neo4j stopped ({home})")
    else:
        print(f"Neo4j was not running ({home})")


@neo4j_app.command()
def status(
    home: Home = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the status as JSON.")] = False,
) -> None:
    """Tell whether the local server runs, and where; exit status 1 when it does not."""
    current = server.status(home or server.default_home())
    if as_json:
        print(json.dumps(current.to_dict(), ensure_ascii=False))
    elif current.running:
        print(
            f"running: pid {current.pid}, Bolt {current.bolt_uri}, Browser {current.browser_url}, home {current.home}"
        )
    else:
        print(f"not running (home {current.home}); start it with `kg neo4j start`")
    if not current.running:
        raise typer.Exit(1)
