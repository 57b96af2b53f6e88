// Question: What is known about one company: where it is, what it makes, its projects, people, partners and trade?
// Param: $company string e.g. 星岚精密材料（山西）有限公司 — the company's name or any of its aliases
// Names: $company Company
// Example: kg query company_profile --param company=星岚精密材料（山西）有限公司
MATCH (c:Company)
WHERE c.name = $company OR $company IN c.aliases
MATCH (c)-[r]-(other:Entity)
RETURN
  c.name AS company,
  type(r) AS relation,
  CASE WHEN startNode(r) = c THEN 'out' ELSE 'in' END AS direction,
  other.name AS other,
  [l IN labels(other) WHERE l <> 'Entity'][0] AS other_label,
  coalesce(r.title, r.amount) AS detail,
  r.evidence_sentences[0] AS evidence
ORDER BY relation, direction, other
