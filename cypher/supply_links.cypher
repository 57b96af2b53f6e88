// Question: Who supplies whom: every supplier → customer link, with the sentence that states it?
// Param: $limit int = 50 — the most rows to return
// Example: kg query supply_links --param limit=20
MATCH (supplier:Company)-[s:SUPPLIES_TO]->(customer:Company)
RETURN
  supplier.name AS supplier,
  customer.name AS customer,
  s.confidence AS confidence,
  size(s.evidence_articles) AS articles,
  s.evidence_sentences[0] AS evidence
ORDER BY supplier, customer
LIMIT $limit
