// Question: What is made in a development zone: the products of its firms and projects, and who makes them?
// Param: $zone string e.g. 金河经济技术开发区 — the zone's name or any of its aliases
// Names: $zone DevelopmentZone
// Example: kg query products_by_zone --param zone=金河经济技术开发区
MATCH (z:DevelopmentZone)
WHERE z.name = $zone OR $zone IN z.aliases
OPTIONAL MATCH (park:Park)-[:PART_OF]->(z)
WITH z, [z] + collect(park) AS places
MATCH (firm:Company)-[:LOCATED_IN]->(place)
WHERE place IN places
OPTIONAL MATCH (firm)-[:OPERATES|INVESTS_IN]->(project:Project)
WITH z, firm, [firm] + collect(project) AS makers
UNWIND makers AS maker
MATCH (maker)-[:PRODUCES]->(product:Product)
RETURN DISTINCT
  product.name AS product,
  firm.name AS company,
  CASE WHEN maker = firm THEN null ELSE maker.name END AS via_project,
  z.name AS zone
ORDER BY product, company
