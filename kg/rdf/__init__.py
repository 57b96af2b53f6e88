"""RDF export of the corpus graph against kg's own ontology (schema/ontology.ttl)."""
