// Question: Which entities are mentioned in the most articles (optionally of one label)?
// Param: $label string = "" — an entity label such as Company to restrict to; empty for every label
// Param: $limit int = 20 — the most rows to return
// Example: kg query most_mentioned --param label=Company --param limit=10
MATCH (e:Entity)
WHERE $label = '' OR $label IN labels(e)
OPTIONAL MATCH (e)-[m:MENTIONED_IN]->(:Article)
WITH e, count(m) AS articles, sum(size(m.starts)) AS mentions
RETURN
  e.name AS name,
  [l IN labels(e) WHERE l <> 'Entity'][0] AS label,
  articles,
  mentions
ORDER BY articles DESC, mentions DESC, name
LIMIT $limit
