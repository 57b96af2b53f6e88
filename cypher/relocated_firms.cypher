// Question: Which firms relocated here from elsewhere, from where, and where are they now?
// Param: $limit int = 50 — the most rows to return
// Example: kg query relocated_firms
MATCH (c:Company)-[moved:RELOCATED_FROM]->(origin:Region)
OPTIONAL MATCH (c)-[:LOCATED_IN]->(now:Entity)
RETURN
  c.name AS company,
  origin.name AS moved_from,
  collect(DISTINCT now.name) AS now_in,
  moved.evidence_sentences[0] AS evidence
ORDER BY company, moved_from
LIMIT $limit
