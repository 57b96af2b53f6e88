// Question: What surrounds one entity: every fact within two hops (returns paths, which Neo4j Browser draws)?
// Param: $name string e.g. 金河经济技术开发区 — the entity's name or any of its aliases
// Param: $limit int = 100 — the most paths to return
// Names: $name Entity
// Example: kg query neighbourhood --param name=金河经济技术开发区
MATCH (e:Entity)
WHERE e.name = $name OR $name IN e.aliases
MATCH path = (e)-[*1..2]-(:Entity)
WHERE all(n IN nodes(path) WHERE n:Entity)
RETURN path
LIMIT $limit
