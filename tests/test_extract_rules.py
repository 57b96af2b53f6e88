"""Extraction end to end, with the shipped scorers: sentences in the style of the corpus (names made up) →
expected entities and relations, each in full-width and in ASCII punctuation."""

from __future__ import annotations

import pytest

from kg import relations
from kg.extract import extract
from kg.mentions import mentions
from kg.model import Article, DocGraph
from kg.models import default_models
from kg.nlp.lexicon import load_lexicon
from kg.reading import read
from kg.relations.pairs import MAX_PAIRS
from kg.resolve import Resolver

_ASCII = str.maketrans({"，": ",", "：": ":", "；": ";", "（": "(", "）": ")", "！": "!", "？": "?"})


def both(text: str) -> list[str]:
    ascii_ = text.translate(_ASCII)
    return [text] if ascii_ == text else [text, ascii_]


def graph_of(text: str) -> DocGraph:
    return extract(Article.make("t.txt", text))


def names(graph: DocGraph, label: str) -> set[str]:
    return {n.translate(_ASCII) for e in graph.entities if e.label == label for n in e.names()}


def facts(graph: DocGraph) -> set[tuple[str, str, str]]:
    by_id = {e.id: e for e in graph.entities}
    out = set()
    for r in graph.relations:
        for h in by_id[r.head].names():
            for t in by_id[r.tail].names():
                out.add((r.type, h.translate(_ASCII), t.translate(_ASCII)))
    return out


@pytest.mark.parametrize(
    ("text", "label", "name"),
    [
        ("以岚峰高导材料（山西）有限公司为代表的一批企业加大研发投入。", "Company", "岚峰高导材料(山西)有限公司"),
        ("记者走进了山西蓝屿铝业新材料科技有限公司，看到车间忙碌。", "Company", "山西蓝屿铝业新材料科技有限公司"),
        ("今年，青禾经济技术开发区全年完成产值12亿元。", "DevelopmentZone", "青禾经济技术开发区"),
        ("青禾经济技术开发区党工委书记柴明远告诉记者，企业达标排放。", "Organization", "青禾经济技术开发区党工委"),
        ("厂长蔺舟说，产品供不应求。", "Person", "蔺舟"),
        ("被问到为何从广东东莞搬迁到山西时，他笑了。", "Region", "东莞"),
        ("岚峰铝业有限公司年产5万吨铝合金杆项目开工。", "Project", "年产5万吨铝合金杆项目"),
        ("岚峰铝业有限公司年产5万吨铝合金杆项目开工。", "Product", "铝合金杆"),
        ("为华为配套的澜翕电子有限公司落户澄江工业园。", "Company", "华为"),
        ("（记者 卢青舟 通讯员 贺岚）近日，青禾经开区召开推进会。", "Person", "贺岚"),
        ("岚峰隔膜有限公司为LG新能源、三星SDI供应隔膜。", "Company", "三星SDI"),
        ("公司建设8条三元前驱体生产线。", "Product", "三元前驱体"),
        ("澄江新材料有限公司产品包括片剂、胶囊剂等产品。", "Product", "胶囊剂"),
        ("50公里内，则有上汽、岚峰汽配等一批企业。", "Company", "上汽"),
        ("岚峰铝业有限公司的产品出口挪威、丹麦等国。", "Region", "挪威"),
    ],
)
def test_entities(text: str, label: str, name: str) -> None:
    for variant in both(text):
        assert name in names(graph_of(variant), label), variant


@pytest.mark.parametrize(
    ("text", "label", "name"),
    [
        ("该公司第一条生产线正式建成。", "Company", "该公司"),
        ("重点推进包联项目和重大项目建设。", "Project", "重大项目"),
        ("园区内现代厂房林立。", "Park", "园区"),
        ("风景很美的地方，游客很多。", "Company", "美的"),
        ("公司建设8条三元前驱体生产线。", "Company", "三元"),
        ("双方将通力合作，推动项目落地。", "Company", "通力"),
        ("新增一条生产线。", "Product", "新增一条"),
        ("50公里内，则有上汽、岚峰汽配等一批企业。", "Company", "则有上汽"),
        ("座谈会上，柴明远代表市委、市政府致辞。", "Organization", "柴明远代表市委"),
    ],
)
def test_generic_words_are_not_entities(text: str, label: str, name: str) -> None:
    for variant in both(text):
        assert name not in names(graph_of(variant), label), variant


def test_short_name_and_declared_abbreviation_resolve_to_one_entity() -> None:
    text = (
        "青禾讯 云岭经济技术开发区（以下简称“云岭经开区”）与澄澜环保科技有限公司（以下简称“澄澜环保”）"
        "进行座谈。双方认为，云岭经开区与澄澜环保将深化合作。"
    )
    for variant in both(text):
        graph = graph_of(variant)
        zones = [e for e in graph.entities if e.label == "DevelopmentZone"]
        companies = [e for e in graph.entities if e.label == "Company"]
        assert len(zones) == 1 and "云岭经开区" in zones[0].aliases, variant
        assert len(companies) == 1 and "澄澜环保" in companies[0].aliases, variant


@pytest.mark.parametrize(
    ("text", "parks"),
    [
        ("岚车台州产业园今年开工。岚车产业园将引进企业。", 1),  # the city inside the park's name left out
        ("澄江工业园和岚峰工业园签约。", 2),
    ],
)
def test_a_park_written_without_its_city_is_one_park(text: str, parks: int) -> None:
    for variant in both(text):
        found = [e for e in graph_of(variant).entities if e.label == "Park"]
        assert len(found) == parks, (variant, [e.name for e in found])


@pytest.mark.parametrize(
    ("text", "zones"),
    [
        # A zone written as its place and 开发区 alone is the article's zone of that place.
        ("澄州经济开发区今年引进项目12个。澄州开发区负责人介绍，项目进展顺利。", 1),
        ("北京岚龙经济开发区的企业迁往河北。岚龙开发区内多家企业外迁。", 1),
        ("澄州县先进制造业开发区今年签约。澄州县开发区负责人说，项目进展顺利。", 1),
        # Two zones of one place stay two; a zone of another place stays its own.
        ("澄州经济开发区和澄州高新技术产业开发区签约。", 2),
        ("澄州经济开发区和岚州开发区签约。", 2),
    ],
)
def test_a_plain_zone_name_resolves_to_the_zone_of_its_place(text: str, zones: int) -> None:
    for variant in both(text):
        found = [e for e in graph_of(variant).entities if e.label == "DevelopmentZone"]
        assert len(found) == zones, (variant, [e.name for e in found])


ARTICLE = (
    "青禾经济技术开发区岚峰铝业有限公司年产5万吨铝合金杆项目开工\n"
    "八月中旬，记者走进澄江新材料产业园内的岚峰铝业有限公司，车间里设备高速运转。\n"
    "岚峰铝业有限公司总经理柴明远介绍，公司主要生产铝合金杆和铝导线，产品销往华东。\n"
    "据了解，岚峰铝业有限公司年产5万吨铝合金杆项目总投资6.5亿元，项目于2021年投产。\n"
    "青禾经济技术开发区党工委书记蔺舟表示，将为企业做好服务。"
)


def test_an_article_s_relations() -> None:
    firm, project = "岚峰铝业有限公司", "年产5万吨铝合金杆项目"
    expected = {
        ("LOCATED_IN", firm, "澄江新材料产业园"),
        ("OPERATES", firm, project),
        ("PRODUCES", project, "铝合金杆"),
        ("PRODUCES", firm, "铝导线"),
        ("WORKS_FOR", "柴明远", firm),
        ("WORKS_FOR", "蔺舟", "青禾经济技术开发区党工委"),
    }
    for variant in both(ARTICLE):
        graph = graph_of(variant)
        found = facts(graph)
        assert expected <= found, (variant, expected - found)
        projects = [e for e in graph.entities if e.name == project]
        assert projects and projects[0].props.get("investment_cny") == 650_000_000
        assert projects[0].props.get("capacity_t") == 50_000


def test_every_entity_and_relation_carries_the_rules_that_made_it() -> None:
    graph = graph_of(ARTICLE)
    assert all(e.rules for e in graph.entities)
    assert all(r.rules for r in graph.relations)
    data = graph.to_dict()
    assert all("rule" in e for e in data["entities"]) and all("rule" in r for r in data["relations"])


def test_byline_people_have_a_role_and_no_relations() -> None:
    graph = graph_of("青禾讯 青禾经济技术开发区召开推进会。\n卢青舟 贺岚\n")
    people = {e.name: e for e in graph.entities if e.label == "Person"}
    assert people["卢青舟"].props["role"] == "作者" and people["贺岚"].props["role"] == "作者"
    ids = {people["卢青舟"].id, people["贺岚"].id}
    assert not [r for r in graph.relations if r.head in ids or r.tail in ids]


def test_output_is_deterministic() -> None:
    assert graph_of(ARTICLE).to_dict() == graph_of(ARTICLE).to_dict()


def test_an_item_longer_than_spacy_allows_is_read_in_pieces() -> None:
    sentence = "岚峰铝业有限公司落户青禾经济技术开发区，"
    text = sentence * (1_100_000 // len(sentence))  # one item, no line break, over spaCy's 1,000,000 limit
    graph = extract(Article.make("big.txt", text))
    firm = next(e for e in graph.entities if e.name == "岚峰铝业有限公司")
    assert len(firm.mentions) >= 1000


def test_a_long_unpunctuated_line_has_a_bounded_number_of_candidate_pairs() -> None:
    """Pairs per sentence are capped: a run of names with no punctuation does not compare every pair."""
    line = "".join(f"岚峰{chr(0x4E00 + i)}铝业有限公司" for i in range(0, 3000, 3))
    doc = read(Article.make("run.txt", line))
    found = mentions(doc, default_models().entity)
    resolution = Resolver(doc.text, load_lexicon()).resolve(found)
    cands = relations.candidates(doc, found, resolution)
    firms = sum(1 for m in found if m.label == "Company")
    assert firms > 400  # most of the thousand names are read: the cap is tested on a crowded sentence
    assert len(cands.pairs) <= MAX_PAIRS + 4 * firms  # one sentence: the cap, plus item-level pairs


def test_a_person_named_after_a_list_of_posts_works_for_each_body() -> None:
    text = "开工仪式上，浙江岚峰建材有限公司总经理、安徽蔚山彩铝科技有限公司总经理柴明远致辞。"
    for variant in both(text):
        found = facts(graph_of(variant))
        for firm in ("浙江岚峰建材有限公司", "安徽蔚山彩铝科技有限公司"):
            assert ("WORKS_FOR", "柴明远", firm) in found, (variant, sorted(found))
    # One post, one employer: the firm the person is not said to work for is not an employer.
    single = facts(
        graph_of("浙江岚峰建材有限公司与安徽蔚山彩铝科技有限公司签约，安徽蔚山彩铝科技有限公司总经理柴明远致辞。")
    )
    assert ("WORKS_FOR", "柴明远", "浙江岚峰建材有限公司") not in single


@pytest.mark.parametrize(
    "text, suffix",
    [
        ("座谈会上，王立新代表市委、市政府致辞。", "市委"),
        ("岚川县必须紧紧围绕省委的部署推进工作。", "省委"),
    ],
)
def test_a_suffix_after_an_introducing_word_proposes_no_name(text: str, suffix: str) -> None:
    """代表市委: the word before the suffix ends the text before it, so no span through it is proposed."""
    for variant in both(text):
        read_ = read(Article.make("t.txt", variant))
        spans = {
            read_.text[c.start + p.offset : c.end + p.offset]
            for p in read_.pieces
            for c in p.candidates
            if c.label == "Organization"
        }
        assert not any(s.endswith(suffix) and len(s) > len(suffix) for s in spans), spans


def test_a_government_body_with_its_place_is_still_proposed() -> None:
    read_ = read(Article.make("t.txt", "岚川县委、县政府高度重视。"))
    spans = {read_.text[c.start + p.offset : c.end + p.offset] for p in read_.pieces for c in p.candidates}
    assert "岚川县委" in spans


@pytest.mark.parametrize(
    "text",
    ["大会在岚川市铁西区（经开区、中德园）岚峰半导体产业基地项目现场举办。", "项目落户蔚山县（高新区）。"],
)
def test_a_name_never_ends_inside_an_aside_it_opened(text: str) -> None:
    """沈阳市铁西区（经开区、中德园）: 经开区 is in the aside; 铁西区（经开区 is no name."""
    for variant in both(text):
        read_ = read(Article.make("t.txt", variant))
        for p in read_.pieces:
            for c in p.candidates:
                if c.preferred:
                    span = read_.text[c.start + p.offset : c.end + p.offset]
                    assert span.count("（") <= span.count("）"), span


def test_no_name_runs_across_the_spaces_of_a_headline() -> None:
    """岚川县 竞逐新赛道 岚峰储能产业园: a space between Chinese characters parts a headline's phrases."""
    read_ = read(Article.make("t.txt", "岚川县 竞逐新赛道 岚峰储能产业园加快建设\n岚峰储能产业园位于岚川县。"))
    spans = {read_.text[c.start + p.offset : c.end + p.offset] for p in read_.pieces for c in p.candidates}
    assert "岚峰储能产业园" in spans
    assert not any(" " in s for s in spans), spans
