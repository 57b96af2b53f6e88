"""`kg query`, `kg viz`, `kg stats`: ask the graph questions, look at it, measure it."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from kg.cli import app
from kg.errors import InputError

FORMATS = ("table", "json", "csv")


@app.command("query")
def query_command(
    name: Annotated[str, typer.Argument(help="The query's name (a file stem in cypher/); see --list.")] = "",
    param: Annotated[
        list[str] | None, typer.Option("--param", "-p", help="A parameter as key=value; repeat for more.")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="Output format: table, json or csv.")] = "table",
    list_: Annotated[
        bool, typer.Option("--list", help="List the queries, their questions and parameters.")
    ] = False,
    directory: Annotated[
        Path | None, typer.Option("--dir", help="The query library (default: $KG_CYPHER_DIR or cypher/).")
    ] = None,
    uri: Annotated[str, typer.Option(envvar="NEO4J_URI", help="Bolt URI.")] = "bolt://localhost:7687",
    user: Annotated[str, typer.Option(envvar="NEO4J_USER", help="Neo4j user.")] = "neo4j",
    password: Annotated[
        str,
        typer.Option(
            envvar="NEO4J_PASSWORD", help="Neo4j password (prefer the env var).", show_default=False
        ),
    ] = "",
    database: Annotated[str, typer.Option(envvar="NEO4J_DATABASE", help="Database name.")] = "neo4j",
) -> None:
    """Run one analyst question from the Cypher library against Neo4j and print its rows."""
    from kg import queries
    from kg.store.neo4j import Connection, connect

    if list_ or not name:
        for q in queries.library(directory).values():
            typer.echo(f"{q.name}: {q.question}")
            for p in q.params:
                need = f"default {p.default!r}" if not p.required else f"required, e.g. {p.example}"
                typer.echo(f"    --param {p.name}=…  ({p.type}, {need}) {p.doc}")
        return
    if fmt not in FORMATS:
        raise typer.BadParameter(f"expected one of {', '.join(FORMATS)}", param_hint="--format")
    query = queries.get_query(name, directory)
    params = queries.bind(query, queries.parse_assignments(param or []))
    conn = Connection.from_env(uri, user, password, database)
    with connect(conn) as driver:
        rows = queries.run(query, params, driver, database=conn.database)
        missing = queries.missing_names(query, params, driver, database=conn.database) if not rows else []
    if missing:
        # "(no rows)" would read as "none in that zone" when the zone itself is unknown (a typo, another name).
        raise InputError(
            f"{'; '.join(missing)} in the graph (query {query.name}); "
            "find the names it holds with: kg query search_names --param query=…"
        )
    typer.echo(queries.format_rows(rows, fmt))


@app.command("viz")
def viz_command(
    input: Annotated[Path, typer.Argument(help="A `kg build` JSON file, or articles (built first).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The HTML file to write.")] = Path(
        "graph.html"
    ),
    title: Annotated[str, typer.Option(help="The page title.")] = "kg graph",
) -> None:
    """Write a self-contained interactive HTML view of the graph (no server, no network needed)."""
    from kg.cli.report import say, whole_or_nothing
    from kg.pipeline import read_input
    from kg.viz import write_html

    got = read_input(input)
    whole_or_nothing(got.batch, "view")
    graph = got.corpus
    write_html(graph, output, title=title)
    say(f"wrote {output} ({len(graph.entities)} nodes, {len(graph.relations)} edges)")


@app.command("stats")
def stats_command(
    input: Annotated[Path, typer.Argument(help="A `kg build` JSON file, or articles (built first).")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="Output format: table or json.")] = "table",
    top: Annotated[int, typer.Option(min=1, help="How many companies and zones to rank.")] = 10,
) -> None:
    """Print analytics: counts, hubs (degree, betweenness), components, supply-chain depth, investment."""
    from kg.analytics import stats
    from kg.cli.report import report
    from kg.pipeline import read_input
    from kg.queries import format_table

    if fmt not in ("table", "json"):
        raise typer.BadParameter("expected table or json", param_hint="--format")
    got = read_input(input)
    if report(got.batch):
        raise typer.Exit(1)
    result = stats(got.corpus)
    if fmt == "json":
        data = asdict(result)
        data["centrality"] = data["centrality"][:top]
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    typer.echo(f"articles: {result.articles}")
    typer.echo("entities: " + ", ".join(f"{k} {v}" for k, v in result.entities.items()))
    typer.echo("relations: " + ", ".join(f"{k} {v}" for k, v in result.relations.items()))
    typer.echo(f"connected components: {result.components} (largest: {result.largest_component} nodes)")
    chain = result.supply_chain
    typer.echo(
        f"supply-chain depth: {chain.depth}" + (f" ({' → '.join(chain.chain)})" if chain.chain else "")
    )
    typer.echo("\nmost connected companies and zones:")
    hubs = [
        {"name": c.name, "label": c.label, "degree": c.degree, "betweenness": c.betweenness}
        for c in result.centrality[:top]
    ]
    typer.echo(format_table(hubs))
    typer.echo("\ninvestment by zone:")
    zones = [{k: v for k, v in asdict(z).items() if k != "id"} for z in result.zones[:top]]
    typer.echo(format_table(zones))
