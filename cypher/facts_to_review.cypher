// Question: Which facts rest on weak evidence (confidence below a threshold) and should be checked by a person?
// Param: $threshold float = 0.7 — facts with confidence below this are listed
// Param: $limit int = 100 — the most rows to return
// Example: kg query facts_to_review --param threshold=0.95
MATCH (h:Entity)-[r]->(t:Entity)
WHERE r.confidence < $threshold
RETURN
  type(r) AS relation,
  h.name AS head,
  t.name AS tail,
  r.confidence AS confidence,
  r.evidence_sentences[0] AS evidence
ORDER BY confidence, relation, head, tail
LIMIT $limit
