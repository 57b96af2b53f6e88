"""Corpus graphs built in code: small, exact and independent of the extraction rules.

`sample_like_corpus()` mirrors the facts of kg/samples/articles (a zone with two parks, a copper-foil firm
that supplies 比亚迪 and moved from 广东东莞, a project with its investment, officials with their posts), so the
analytics, the viz and the query tests have a graph whose every node and edge is known in advance.
"""

# ruff: noqa: E501  (tables of Chinese sentences read better unbroken)
from __future__ import annotations

import itertools
from typing import Any

from kg.merge import merge
from kg.model import Article, CorpusGraph, DocGraph, Entity, Evidence, Mention, Relation, stable_id

EntitySpec = tuple[str, str, tuple[str, ...], dict[str, Any]]  # label, name, aliases, props
RelationSpec = tuple[str, str, str, dict[str, Any], str]  # type, head name, tail name, props, sentence


def doc_graph(source: str, text: str, entities: list[EntitySpec], relations: list[RelationSpec]) -> DocGraph:
    """One article's graph; mentions and evidence offsets are found in `text`, so they are real offsets."""
    article = Article.make(source, text, title=text.split("。", 1)[0][:30])
    ids: dict[str, str] = {}
    ents: list[Entity] = []
    for label, name, aliases, props in entities:
        eid = stable_id("L", label, name)
        ids[name] = eid
        mentions = []
        for form in (name, *aliases):
            at = text.find(form)
            if at >= 0:
                mentions.append(Mention(at, at + len(form), form, article.id))
        ents.append(Entity(eid, label, name, aliases, props, tuple(sorted(mentions)), (article.id,)))
    rels = []
    for rtype, head, tail, props, sentence in relations:
        at = text.find(sentence)
        assert at >= 0, f"evidence sentence not in text: {sentence}"
        ev = Evidence(sentence, at, at + len(sentence), 0.9, article.id)
        rels.append(Relation(rtype, ids[head], ids[tail], props, (ev,)))
    return DocGraph(article, tuple(ents), tuple(rels))


ZONE = "金河经济技术开发区"
PARK_A = "东坪新材料产业园"
PARK_B = "柳湾物流园区"
FOIL = "星岚精密材料（山西）有限公司"
BYD = "比亚迪"
CATL = "宁德时代"
FOIL_PROJECT = "2 万吨锂电铜箔项目"
DONGGUAN = "广东东莞"

_TEXT_1 = (
    "金河经济技术开发区（以下简称“金河经开区”）规划面积 24.6 平方公里，总体布局为“一区两园”：东坪新材料产业园和柳湾物流园区。"
    "东坪新材料产业园内的星岚精密材料（山西）有限公司生产 6 微米锂电铜箔。"
    "比亚迪上用的电池，原材料就是星岚精密材料（山西）有限公司生产的。"
    "星岚精密材料（山西）有限公司与宁德时代已经成功签订合同。"
    "厂长韩立军说，工厂从广东东莞搬迁到山西沁阳县。"
    "星岚精密材料（山西）有限公司 2 万吨锂电铜箔项目，总投资 6.5 亿元。"
    "金河经济技术开发区全年完成产值 126.5 亿元。"
    "金河经济技术开发区党工委书记邓慧明告诉记者。"
)
_ENTITIES_1: list[EntitySpec] = [
    ("DevelopmentZone", ZONE, ("金河经开区",), {"area_km2": 24.6, "output_value_cny": 12650000000}),
    ("Park", PARK_A, (), {}),
    ("Park", PARK_B, (), {}),
    ("Company", FOIL, (), {}),
    ("Company", BYD, (), {}),
    ("Company", CATL, (), {}),
    ("Product", "6 微米锂电铜箔", (), {}),
    ("Project", FOIL_PROJECT, (), {"investment_cny": 650000000, "capacity_t": 20000}),
    ("Region", DONGGUAN, (), {}),
    ("Region", "山西沁阳县", (), {}),
    ("Person", "韩立军", (), {"title": "厂长"}),
    ("Person", "邓慧明", (), {"title": "党工委书记"}),
]
_RELATIONS_1: list[RelationSpec] = [
    ("PART_OF", PARK_A, ZONE, {}, "总体布局为“一区两园”：东坪新材料产业园和柳湾物流园区。"),
    ("PART_OF", PARK_B, ZONE, {}, "总体布局为“一区两园”：东坪新材料产业园和柳湾物流园区。"),
    ("LOCATED_IN", FOIL, PARK_A, {}, "东坪新材料产业园内的星岚精密材料（山西）有限公司生产 6 微米锂电铜箔。"),
    (
        "PRODUCES",
        FOIL,
        "6 微米锂电铜箔",
        {},
        "东坪新材料产业园内的星岚精密材料（山西）有限公司生产 6 微米锂电铜箔。",
    ),
    ("SUPPLIES_TO", FOIL, BYD, {}, "比亚迪上用的电池，原材料就是星岚精密材料（山西）有限公司生产的。"),
    ("COOPERATES_WITH", FOIL, CATL, {}, "星岚精密材料（山西）有限公司与宁德时代已经成功签订合同。"),
    ("RELOCATED_FROM", FOIL, DONGGUAN, {}, "厂长韩立军说，工厂从广东东莞搬迁到山西沁阳县。"),
    ("WORKS_FOR", "韩立军", FOIL, {"title": "厂长"}, "厂长韩立军说，工厂从广东东莞搬迁到山西沁阳县。"),
    ("WORKS_FOR", "邓慧明", ZONE, {"title": "党工委书记"}, "金河经济技术开发区党工委书记邓慧明告诉记者。"),
    (
        "OPERATES",
        FOIL,
        FOIL_PROJECT,
        {},
        "星岚精密材料（山西）有限公司 2 万吨锂电铜箔项目，总投资 6.5 亿元。",
    ),
    (
        "INVESTS_IN",
        FOIL,
        FOIL_PROJECT,
        {"amount": 650000000},
        "星岚精密材料（山西）有限公司 2 万吨锂电铜箔项目，总投资 6.5 亿元。",
    ),
]

_TEXT_2 = (
    "平川县蓝桥科技总投资 8600 万元的 3 万吨再生铝项目正式开工，生产 ADC12 铝合金锭。"
    "国投集团批复蓝桥科技 3 万吨再生铝项目开工。"
    "蓝桥科技为星岚精密材料（山西）有限公司配套供应铝材。"
)
_ENTITIES_2: list[EntitySpec] = [
    ("Company", "蓝桥科技", (), {}),
    ("Company", FOIL, (), {}),
    ("Company", "国投集团", (), {}),
    ("Project", "3 万吨再生铝项目", (), {"investment_cny": 86000000, "capacity_t": 30000}),
    ("Product", "ADC12 铝合金锭", (), {}),
    ("Region", "平川县", (), {}),
]
_RELATIONS_2: list[RelationSpec] = [
    (
        "LOCATED_IN",
        "蓝桥科技",
        "平川县",
        {},
        "平川县蓝桥科技总投资 8600 万元的 3 万吨再生铝项目正式开工，生产 ADC12 铝合金锭。",
    ),
    (
        "INVESTS_IN",
        "蓝桥科技",
        "3 万吨再生铝项目",
        {"amount": 86000000},
        "平川县蓝桥科技总投资 8600 万元的 3 万吨再生铝项目正式开工，生产 ADC12 铝合金锭。",
    ),
    ("OPERATES", "蓝桥科技", "3 万吨再生铝项目", {}, "国投集团批复蓝桥科技 3 万吨再生铝项目开工。"),
    ("APPROVED", "国投集团", "3 万吨再生铝项目", {}, "国投集团批复蓝桥科技 3 万吨再生铝项目开工。"),
    (
        "PRODUCES",
        "3 万吨再生铝项目",
        "ADC12 铝合金锭",
        {},
        "平川县蓝桥科技总投资 8600 万元的 3 万吨再生铝项目正式开工，生产 ADC12 铝合金锭。",
    ),
    ("SUPPLIES_TO", "蓝桥科技", FOIL, {}, "蓝桥科技为星岚精密材料（山西）有限公司配套供应铝材。"),
]

_TEXT_3 = (
    "长平翼航智能科技有限公司正式入驻安平高新技术产业开发区。公司已与长平职业技术学院建立起深度校企合作。"
)
_ENTITIES_3: list[EntitySpec] = [
    ("Company", "长平翼航智能科技有限公司", (), {}),
    ("DevelopmentZone", "安平高新技术产业开发区", ("安平高新区",), {}),
    ("Organization", "长平职业技术学院", (), {}),
]
_RELATIONS_3: list[RelationSpec] = [
    (
        "LOCATED_IN",
        "长平翼航智能科技有限公司",
        "安平高新技术产业开发区",
        {},
        "长平翼航智能科技有限公司正式入驻安平高新技术产业开发区。",
    ),
    (
        "COOPERATES_WITH",
        "长平翼航智能科技有限公司",
        "长平职业技术学院",
        {},
        "公司已与长平职业技术学院建立起深度校企合作。",
    ),
]


def sample_like_corpus() -> CorpusGraph:
    """Three articles merged: the foil firm appears in two of them and becomes one node."""
    return merge(
        [
            doc_graph("synthetic/01_zone.txt", _TEXT_1, _ENTITIES_1, _RELATIONS_1),
            doc_graph("synthetic/02_aluminium.txt", _TEXT_2, _ENTITIES_2, _RELATIONS_2),
            doc_graph("synthetic/03_drone.txt", _TEXT_3, _ENTITIES_3, _RELATIONS_3),
        ]
    )


def chain_corpus(length: int) -> CorpusGraph:
    """A supply chain 甲0 → 甲1 → … of `length` SUPPLIES_TO edges, for depth checks."""
    names = [f"链条企业{i}有限公司" for i in range(length + 1)]
    text = "。".join(f"{a}为{b}供货" for a, b in itertools.pairwise(names)) + "。"
    entities: list[EntitySpec] = [("Company", n, (), {}) for n in names]
    relations: list[RelationSpec] = [
        ("SUPPLIES_TO", a, b, {}, f"{a}为{b}供货") for a, b in itertools.pairwise(names)
    ]
    return merge([doc_graph("synthetic/chain.txt", text, entities, relations)])


def hub_corpus(articles: int, firms: int) -> CorpusGraph:
    """`articles` articles that all name one zone and one buyer (hubs), each with `firms` firms of its own and
    one firm shared with the next article: many relationships end on the same nodes, the case that makes
    parallel writers contend for locks."""
    zone, buyer = "云岭经济技术开发区", "比亚迪"
    docs = []
    for i in range(articles):
        own = [f"岭{i}号{j}材料有限公司" for j in range(firms)]
        shared = f"共享{i % max(articles - 1, 1)}号科技有限公司"
        sentences = [f"{firm}落户{zone}，为{buyer}供货。" for firm in own]
        sentences.append(f"{own[0]}与{shared}合作。")
        text = "".join(sentences)
        entities: list[EntitySpec] = [("DevelopmentZone", zone, (), {}), ("Company", buyer, (), {})]
        entities += [("Company", firm, (), {"jobs": 10 + j}) for j, firm in enumerate(own)]
        entities.append(("Company", shared, (), {}))
        relations: list[RelationSpec] = []
        for firm, sentence in zip(own, sentences, strict=False):
            relations += [("LOCATED_IN", firm, zone, {}, sentence), ("SUPPLIES_TO", firm, buyer, {}, sentence)]
        relations.append(("COOPERATES_WITH", own[0], shared, {}, sentences[-1]))
        docs.append(doc_graph(f"synthetic/hub/{i:03d}.txt", text, entities, relations))
    return merge(docs)
