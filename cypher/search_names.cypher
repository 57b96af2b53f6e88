// Question: Which entities match a name, a short form or an alias (full-text search, any label)?
// Param: $query string e.g. 星岚 — words to look for; Lucene syntax (AND, OR, "phrases", wildcards*)
// Param: $limit int = 20 — the most rows to return
// Example: kg query search_names --param query=星岚
CALL db.index.fulltext.queryNodes('entity_names', $query) YIELD node, score
RETURN
  node.name AS name,
  [l IN labels(node) WHERE l <> 'Entity'][0] AS label,
  node.aliases AS aliases,
  round(score, 3) AS score
ORDER BY score DESC, name
LIMIT $limit
