"""`kg export`, `kg validate`: writers of the corpus graph to files (RDF, neo4j-admin CSV)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from kg.cli import app
from kg.errors import ExportError, shown
from kg.model import CorpusGraph

EXPORT_FORMATS = ("turtle", "nt", "jsonld", "neo4j-import")


@app.command("export")
def export_command(
    source: Annotated[
        str,
        typer.Argument(metavar="INPUT", help="A corpus-graph JSON from `kg build`, or article files/folder."),
    ],
    output: Annotated[
        str, typer.Option("--output", "-o", help="File to write (`-` for stdout); a folder for neo4j-import.")
    ] = "-",
    fmt: Annotated[str, typer.Option("--format", "-f", help="turtle | nt | jsonld | neo4j-import.")] = "turtle",
    base: Annotated[
        str | None,
        typer.Option(
            "--base",
            envvar="KG_BASE_IRI",
            help="Base IRI of minted IRIs (default https://kg.example.org/id/).",
        ),
    ] = None,
) -> None:
    """Export the corpus graph as RDF (against schema/ontology.ttl) or as neo4j-admin import CSVs."""
    if fmt not in EXPORT_FORMATS:
        raise ExportError(f"unknown format {fmt!r}; expected one of {', '.join(EXPORT_FORMATS)}")
    from kg.rdf.export import base_from_env, check_format, export

    if fmt == "neo4j-import":
        if output == "-":
            raise ExportError("neo4j-import writes a folder of CSV files: name it with -o DIR")
        if Path(output).exists() and not Path(output).is_dir():
            raise ExportError(f"{shown(output)}: exists and is not a folder")
        try:
            from kg.store.neo4j_import import write_import_csvs
        except ModuleNotFoundError as e:
            if e.name != "kg.store.neo4j_import":
                raise
            raise ExportError("neo4j-import is not available in this installation of kg") from e
        graph = _graph(source)
        write_import_csvs(graph, Path(output))
        print(
            f"kg: wrote neo4j-admin import files for {len(graph.entities)} entities and "
            f"{len(graph.relations)} relations to {output}",
            file=sys.stderr,
        )
        return
    check_format(fmt)
    base_iri = base_from_env(base)
    graph = _graph(source)
    counts = export(graph, output, fmt, base_iri)
    print(
        f"kg: wrote {counts.triples} triples ({counts.entities} entities, {counts.relations} relations, "
        f"{counts.articles} articles) to {counts.path}",
        file=sys.stderr,
    )


def _graph(source: str) -> CorpusGraph:
    """The corpus graph to export; a file that fails is named, and the export is refused rather than
    written without it (an export is meant to be the whole graph)."""
    from kg.cli.report import whole_or_nothing
    from kg.pipeline import read_input

    got = read_input(source)
    whole_or_nothing(got.batch, "export")
    return got.corpus


@app.command("validate")
def validate_command(
    file: Annotated[str, typer.Argument(help="An RDF file written by `kg export` (.ttl, .nt, .jsonld).")],
    fmt: Annotated[
        str | None, typer.Option("--format", "-f", help="turtle | nt | jsonld (default: from the suffix).")
    ] = None,
) -> None:
    """Check an RDF file against kg's SHACL shapes (schema/shapes.ttl); exit 1 on violations."""
    from kg.rdf.validate import validate

    if fmt is not None and fmt not in ("turtle", "nt", "jsonld"):
        raise ExportError(f"unknown RDF format {fmt!r}; expected one of turtle, nt, jsonld")
    report = validate(file, fmt)
    print(f"{file}: {report.text}")
    if not report.conforms:
        # SystemExit, not typer.Exit: under main()'s standalone_mode=False click returns Exit's code unused.
        raise SystemExit(1)
