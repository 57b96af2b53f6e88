// Question: Who does an entity cooperate with (contracts, talks, joint work), in either direction?
// Param: $name string e.g. 星岚精密材料（山西）有限公司 — the entity's name or any of its aliases
// Names: $name Entity
// Example: kg query partners --param name=星岚精密材料（山西）有限公司
MATCH (e:Entity)
WHERE e.name = $name OR $name IN e.aliases
MATCH (e)-[c:COOPERATES_WITH]-(partner:Entity)
RETURN
  e.name AS name,
  partner.name AS partner,
  [l IN labels(partner) WHERE l <> 'Entity'][0] AS partner_label,
  c.confidence AS confidence,
  c.evidence_sentences[0] AS evidence
ORDER BY partner
