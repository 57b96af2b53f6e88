// Question: Which development zones attract the most investment, and what output do they report?
// Counts the distinct projects located in the zone or its parks, or run or funded by firms located there.
// Param: $limit int = 20 — the most rows to return
// Example: kg query zones_by_investment --param limit=5
MATCH (z:DevelopmentZone)
OPTIONAL MATCH (park:Park)-[:PART_OF]->(z)
WITH z, [z] + collect(park) AS places
OPTIONAL MATCH (x:Entity)-[:LOCATED_IN]->(place)
WHERE place IN places
WITH z, collect(DISTINCT x) AS located
OPTIONAL MATCH (runner:Entity)-[:OPERATES|INVESTS_IN]->(run:Project)
WHERE runner IN located
WITH z, located, [n IN located WHERE n:Project] + collect(DISTINCT run) AS projects
CALL (projects) {
  UNWIND projects AS p
  WITH DISTINCT p
  OPTIONAL MATCH (:Entity)-[inv:INVESTS_IN]->(p)
  WITH p, max(inv.amount) AS stated
  RETURN count(p) AS project_count, sum(coalesce(p.investment_cny, stated, 0)) AS investment
}
RETURN
  z.name AS zone,
  investment AS investment_cny,
  z.output_value_cny AS output_value_cny,
  project_count AS projects,
  size([n IN located WHERE n:Company]) AS companies,
  z.area_km2 AS area_km2
ORDER BY investment_cny DESC, coalesce(output_value_cny, 0) DESC, zone
LIMIT $limit
