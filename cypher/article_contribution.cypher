// Question: What did one article contribute: the entities it mentions and the facts it supports?
// Param: $article string e.g. 01_jinhe_zone.txt — the article's id, file name or source path
// Names: $article Article
// Example: kg query article_contribution --param article=01_jinhe_zone.txt
MATCH (a:Article)
WHERE a.id = $article OR a.doc = $article OR a.source = $article
CALL (a) {
  MATCH (e:Entity)-[m:MENTIONED_IN]->(a)
  RETURN 'entity' AS kind, [l IN labels(e) WHERE l <> 'Entity'][0] AS type, e.name AS fact,
    size(m.starts) AS mentions
  UNION ALL
  MATCH (h:Entity)-[r]->(t:Entity)
  WHERE a.id IN r.evidence_articles
  RETURN 'relation' AS kind, type(r) AS type, h.name + ' → ' + t.name AS fact, 1 AS mentions
}
RETURN a.doc AS doc, kind, type, fact, mentions
ORDER BY doc, kind, type, fact
