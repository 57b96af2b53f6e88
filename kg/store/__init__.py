"""Writers of the corpus graph to Neo4j and a local Neo4j server for machines without Docker."""
