// Question: What is known about one project: its figures, who runs, funds and approved it, where it is, what it makes?
// Param: $project string e.g. 3 万吨再生铝项目 — the project's name or any of its aliases
// Names: $project Project
// Example: kg query project_profile --param "project=3 万吨再生铝项目"
MATCH (p:Project)
WHERE p.name = $project OR $project IN p.aliases
OPTIONAL MATCH (p)-[r]-(other:Entity)
RETURN
  p.name AS project,
  p.investment_cny AS investment_cny,
  p.capacity_t AS capacity_t,
  p.output_value_cny AS output_value_cny,
  p.jobs AS jobs,
  p.year_started AS year_started,
  type(r) AS relation,
  CASE WHEN startNode(r) = p THEN 'out' ELSE 'in' END AS direction,
  other.name AS other,
  r.amount AS amount
ORDER BY relation, other
