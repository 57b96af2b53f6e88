// Question: Which supply chains run through a company: its suppliers and customers up to 3 hops away?
// Param: $company string e.g. 星岚精密材料（山西）有限公司 — the company's name or any of its aliases
// Names: $company Company
// Example: kg query supply_chain --param company=星岚精密材料（山西）有限公司
MATCH (c:Company)
WHERE c.name = $company OR $company IN c.aliases
CALL (c) {
  MATCH path = (c)-[:SUPPLIES_TO*1..3]->(:Company)
  RETURN 'downstream' AS direction, path
  UNION ALL
  MATCH path = (:Company)-[:SUPPLIES_TO*1..3]->(c)
  RETURN 'upstream' AS direction, path
}
RETURN
  direction,
  length(path) AS hops,
  [n IN nodes(path) | n.name] AS chain,
  [r IN relationships(path) | r.evidence_sentences[0]] AS evidence
ORDER BY direction, hops, chain
