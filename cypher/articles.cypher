// Question: Which articles are in the graph, and how many entities and facts does each contribute?
// Param: $limit int = 100 — the most rows to return
// Example: kg query articles
MATCH (a:Article)
OPTIONAL MATCH (e:Entity)-[:MENTIONED_IN]->(a)
WITH a, count(e) AS entities
OPTIONAL MATCH (:Entity)-[r]->(:Entity)
WHERE a.id IN r.evidence_articles
RETURN
  a.doc AS doc,
  a.title AS title,
  a.chars AS chars,
  entities,
  count(r) AS facts,
  a.id AS id
ORDER BY doc, id
LIMIT $limit
