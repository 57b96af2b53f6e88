// Question: Which companies are in a development zone, directly or through one of its parks?
// Param: $zone string e.g. 金河经济技术开发区 — the zone's name or any of its aliases
// Names: $zone DevelopmentZone
// Example: kg query companies_in_zone --param zone=金河经济技术开发区
MATCH (z:DevelopmentZone)
WHERE z.name = $zone OR $zone IN z.aliases
OPTIONAL MATCH (park:Park)-[:PART_OF]->(z)
WITH z, [z] + collect(park) AS places
UNWIND places AS place
MATCH (c:Company)-[:LOCATED_IN]->(place)
RETURN DISTINCT
  c.name AS company,
  CASE WHEN place = z THEN null ELSE place.name END AS park,
  z.name AS zone,
  size(c.articles) AS articles
ORDER BY company, park
