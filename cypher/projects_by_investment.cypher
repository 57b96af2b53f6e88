// Question: Which projects carry the largest investment, who runs and funds them, and how big are they?
// Param: $limit int = 20 — the most rows to return
// Example: kg query projects_by_investment --param limit=10
MATCH (p:Project)
OPTIONAL MATCH (investor:Entity)-[inv:INVESTS_IN]->(p)
WITH p, max(inv.amount) AS stated, collect(DISTINCT investor.name) AS investors
OPTIONAL MATCH (operator:Company)-[:OPERATES]->(p)
WITH p, coalesce(p.investment_cny, stated) AS investment, investors, collect(DISTINCT operator.name) AS operators
WHERE investment IS NOT NULL
RETURN
  p.name AS project,
  investment AS investment_cny,
  p.capacity_t AS capacity_t,
  p.jobs AS jobs,
  p.year_started AS year_started,
  operators,
  investors
ORDER BY investment_cny DESC, project
LIMIT $limit
