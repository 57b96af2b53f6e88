// Question: What is the evidence behind the facts linking two entities: which sentence, in which article?
// Param: $head string e.g. 星岚精密材料（山西）有限公司 — the name or an alias of the fact's head (its subject)
// Param: $tail string e.g. 比亚迪 — the name or an alias of the fact's tail (its object)
// Param: $type string = "" — a relation type such as SUPPLIES_TO to restrict to; empty for any type
// Names: $head Entity
// Names: $tail Entity
// Example: kg query fact_evidence --param head=星岚精密材料（山西）有限公司 --param tail=比亚迪
MATCH (h:Entity)-[r]->(t:Entity)
WHERE (h.name = $head OR $head IN h.aliases)
  AND (t.name = $tail OR $tail IN t.aliases)
  AND ($type = '' OR type(r) = $type)
UNWIND range(0, size(r.evidence_articles) - 1) AS i
OPTIONAL MATCH (a:Article)
WHERE a.id = r.evidence_articles[i]
RETURN
  type(r) AS relation,
  h.name AS head,
  t.name AS tail,
  r.evidence_sentences[i] AS sentence,
  r.evidence_confidences[i] AS confidence,
  a.doc AS doc,
  a.title AS article_title,
  r.evidence_starts[i] AS char_start,
  r.evidence_ends[i] AS char_end
ORDER BY relation, doc, char_start
