// Question: What is a zone made of: its parks and bodies, their size and how many firms each holds?
// Param: $zone string e.g. 金河经济技术开发区 — the zone's name or any of its aliases
// Names: $zone DevelopmentZone
// Example: kg query zone_parks --param zone=金河经济技术开发区
MATCH (z:DevelopmentZone)
WHERE z.name = $zone OR $zone IN z.aliases
MATCH (part:Entity)-[:PART_OF]->(z)
OPTIONAL MATCH (firm:Company)-[:LOCATED_IN]->(part)
RETURN
  part.name AS part,
  [l IN labels(part) WHERE l <> 'Entity'][0] AS label,
  part.area_km2 AS area_km2,
  count(DISTINCT firm) AS companies,
  collect(DISTINCT firm.name) AS company_names,
  z.name AS zone
ORDER BY label, part
