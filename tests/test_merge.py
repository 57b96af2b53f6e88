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
