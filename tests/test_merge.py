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


# ---------------------------------------------------------------------------------------------------------
# The keyed merge (issue 9) gives what the merge before it gave, in any order, streamed or not

import io  # noqa: E402
import random  # noqa: E402

import merge_reference  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from kg.io import json_item, json_text, write_corpus_json  # noqa: E402
from kg.merge import Merger, NameIndex, corpus_entity_id  # noqa: E402
from kg.model import CorpusGraph, DocGraph, Entity, Evidence, Mention, Relation, entity_key, stable_id  # noqa: E402

POOL = ["星岚精密", "星岚", "星岚精密材料有限公司", "蓝桥科技", "蓝桥", "金河经开区", "金河经济技术开发区", "比亚迪",
        "宁德时代"]  # fmt: skip
TYPES = ["LOCATED_IN", "SUPPLIES_TO", "COOPERATES_WITH", "WORKS_FOR"]


def random_docs(seed: int, articles: int) -> list[DocGraph]:
    """Articles whose firms share names and aliases across articles, disagree on figures, and state the same
    relation several times with tied confidences: every rule of the merge is exercised."""
    rng = random.Random(seed)
    docs = []
    for a in range(articles):
        text = "".join(rng.sample(POOL, 4)) * 3
        article = Article.make(f"/news/{rng.choice('abc')}/{a:02d}.txt", text)
        entities: list[Entity] = []
        used: set[tuple[str, str]] = set()
        for _ in range(rng.randint(1, 6)):
            label = rng.choice(["Company", "DevelopmentZone"])
            name = rng.choice(POOL)
            if (label, name) in used:
                continue
            used.add((label, name))
            aliases = tuple(sorted({rng.choice(POOL) for _ in range(rng.randint(0, 2))} - {name}))
            props = {"jobs": rng.choice([10, 20, 30])} if rng.random() < 0.5 else {}
            at = rng.randrange(0, 20)
            mentions = tuple(sorted({Mention(at, at + 2, text[at : at + 2]), Mention(0, 2, text[:2])}))
            entities.append(Entity(stable_id("E", entity_key(label, name)), label, name, aliases, props, mentions))
        relations = []
        for _ in range(rng.randint(0, 6)):
            head, tail = rng.choice(entities), rng.choice(entities)
            conf = rng.choice([0.5, 0.7, 0.9])
            at = rng.randrange(0, 10)
            ev = tuple(Evidence(text[at + j : at + j + 8], at + j, at + j + 8, c)
                       for j, c in enumerate((conf, rng.choice([0.5, 0.9]))))  # fmt: skip
            props = {"amount": rng.choice([1, 2])} if rng.random() < 0.5 else {}
            relations.append(Relation(rng.choice(TYPES), head.id, tail.id, props, ev))
        docs.append(DocGraph(article, tuple(entities), tuple(relations)))
    return docs


@settings(max_examples=60, deadline=None)
@given(st.integers(0, 10**6), st.integers(1, 8))
def test_the_keyed_merge_equals_the_reference_merge_in_any_order(seed: int, articles: int) -> None:
    docs = random_docs(seed, articles)
    expected = json_text(merge_reference.merge(docs).to_dict())
    shuffled = docs + docs[:1]  # one article given twice counts once
    random.Random(seed).shuffle(shuffled)
    assert json_text(merge(shuffled).to_dict()) == expected


def test_graph_json_written_as_a_stream_is_the_same_bytes() -> None:
    docs = random_docs(7, 6)
    merger = Merger()
    for doc in docs:
        merger.add(doc)
    merged = merger.finish()
    out = io.StringIO()
    write_corpus_json(
        out,
        (json_item(a.to_dict()) for a in merged.articles),
        (json_item(e.to_dict()) for e in merged.entities()),
        (json_item(r.to_dict()) for r in merged.relations()),
    )
    assert out.getvalue() == json_text(merged.corpus().to_dict())
    empty = io.StringIO()
    write_corpus_json(empty, [], [], [])
    assert empty.getvalue() == json_text(CorpusGraph((), (), ()).to_dict())


def test_names_join_through_aliases_whatever_the_order() -> None:
    """元泰 ~ 元泰高导 (one record), 元泰高导 ~ 元泰高导材料有限公司 (another): one thing, named by its longest name."""
    records = [("Company", ("元泰",)), ("Company", ("元泰高导材料有限公司", "元泰高导")),
               ("Company", ("元泰高导", "元泰"))]  # fmt: skip
    for order in (records, records[::-1], [records[1], records[0], records[2]]):
        index = NameIndex()
        nodes = [index.add(label, names) for label, names in order]
        assert {index.entity_id(n) for n in nodes} == {corpus_entity_id("Company", "元泰高导材料有限公司")}


def test_one_character_names_do_not_join_but_never_give_two_nodes_one_id() -> None:
    one = doc_graph_with("/a.txt", [("Company", "甲", ())])
    two = doc_graph_with("/b.txt", [("Company", "甲", ())])
    corpus = merge([one, two])
    assert len(corpus.entities) == len({e.id for e in corpus.entities}) == 1


def doc_graph_with(source: str, specs: list[tuple[str, str, tuple[str, ...]]]) -> DocGraph:
    article = Article.make(source, "".join(name for _, name, _ in specs))
    ents = tuple(Entity(stable_id("E", entity_key(lb, n)), lb, n, al) for lb, n, al in specs)
    return DocGraph(article, ents, ())
