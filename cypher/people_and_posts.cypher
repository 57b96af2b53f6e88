// Question: Who are the people in the news, what posts do they hold, and where?
// Param: $limit int = 100 — the most rows to return
// Example: kg query people_and_posts --param limit=50
MATCH (p:Person)
OPTIONAL MATCH (p)-[w:WORKS_FOR]->(employer:Entity)
WITH p, w, employer
WHERE w IS NOT NULL OR p.title IS NOT NULL
RETURN
  p.name AS person,
  coalesce(w.title, p.title) AS title,
  employer.name AS employer,
  [l IN labels(employer) WHERE l <> 'Entity'][0] AS employer_label
ORDER BY person, employer
LIMIT $limit
