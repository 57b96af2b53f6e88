// Question: Which bodies approved which projects, and on what evidence?
// Param: $limit int = 50 — the most rows to return
// Example: kg query approvals
MATCH (body:Entity)-[a:APPROVED]->(p:Project)
RETURN
  body.name AS approved_by,
  p.name AS project,
  p.investment_cny AS investment_cny,
  a.evidence_sentences[0] AS evidence
ORDER BY approved_by, project
LIMIT $limit
