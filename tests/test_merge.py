"""Cross-article identity: the same firm in two articles is one node carrying both articles."""

from __future__ import annotations

from kg.extract import extract
from kg.merge import merge
from kg.model import Article


def test_same_firm_across_articles_is_one_node_with_both_articles() -> None:
    a = extract(Article.make("a.txt", "记者走进了星岚精密材料（山西）有限公司，看到车间忙碌。"))
    b = extract(Article.make("b.txt", "厂长韩立军说，星岚精密材料(山西)有限公司今年实现量产。"))
    corpus = merge([b, a])
    firms = [e for e in corpus.entities if e.label == "Company"]
    assert len(firms) == 1
    assert set(firms[0].articles) == {a.article.id, b.article.id}
    assert merge([a, b]).to_dict() == corpus.to_dict()


def test_relations_keep_evidence_per_article() -> None:
    text = "金河经济技术开发区党工委书记邓慧明告诉记者。"
    a = extract(Article.make("a.txt", text))
    b = extract(Article.make("b.txt", text + "企业实现达标排放。"))
    corpus = merge([a, b])
    works = [r for r in corpus.relations if r.type == "WORKS_FOR"]
    assert works and {e.article for e in works[0].evidence} == {a.article.id, b.article.id}


def test_identical_texts_in_two_files_stay_two_articles_and_one_file_given_twice_counts_once() -> None:
    """Identity is the source (issue 10): same text, other file → another article; same file twice → one."""
    from synthetic import doc_graph

    text = "星岚精密材料（山西）有限公司落户金河经济技术开发区。"
    spec = [("Company", "星岚精密材料（山西）有限公司", (), {}), ("DevelopmentZone", "金河经济技术开发区", (), {})]
    rel = [("LOCATED_IN", "星岚精密材料（山西）有限公司", "金河经济技术开发区", {}, text)]
    a, b = doc_graph("/news/a.txt", text, spec, rel), doc_graph("/news/b.txt", text, spec, rel)
    corpus = merge([a, b, a])
    assert [x.source for x in corpus.articles] == ["/news/a.txt", "/news/b.txt"]
    assert len({x.id for x in corpus.articles}) == 2
    (located,) = corpus.relations
    assert sorted(e.article for e in located.evidence) == sorted(x.id for x in corpus.articles)
    firm = next(e for e in corpus.entities if e.label == "Company")
    assert len(firm.articles) == 2 and len(firm.mentions) == 2
