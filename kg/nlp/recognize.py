"""Mentions of all eight labels in one paragraph: shapes (suffixes), people by title, regions from the
administrative divisions, projects and products from their cue words, and references (该公司, 我们公司).

Everything returned is a Candidate with character offsets into the paragraph; choosing among overlapping
candidates and grouping them into entities is the resolver's job.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

import ahocorasick

from kg.nlp.lexicon import Lexicon
from kg.nlp.shapes import HAN, Candidate, ShapeRecognizer, TokenIndex, segment

# What follows a person's name: a speech verb, a particle or punctuation (厂长蒋斌说, 张志君介绍).
_NAME_FOLLOWERS = (
    "说",
    "表示",
    "介绍",
    "告诉",
    "透露",
    "分析",
    "指出",
    "强调",
    "主持",
    "参加",
    "认为",
    "坦言",
    "谈到",
    "称",
    "一行",
    "等",
    "、",
    "，",
    "。",
    "：",
    ":",
    "”",
    "“",
    "在",
    "与",
    "和",
    "带领",
    "陪同",
    "出席",
    "口中",
    "的",
    "对",
    "向",
    "也",
    "是",
    "就",
    "还",
    "都",
    "详细",
    "表达",
    "感慨",
    "回忆",
    "博士",
    "同时",
    "此前",
    "曾",
    "则",
    "通报",
    "致辞",
    "讲话",
    "宣布",
    "汇报",
    "部署",
    "带队",
    "调研",
    "会见",
    "接受",
    "指着",
    "笑着",
    "直言",
    "举例",
    "教授",
    "同志",
    "先生",
    "女士",
    "解释",
    "提到",
    "补充",
    " ",
)
_SPEECH_AFTER_NAME = re.compile(r"^(?:说|表示|介绍|告诉|透露|分析|指出|强调|认为|坦言|谈到|详细介绍|口中|在每期)")
_REFERENCES = (
    ("该公司", "Company"),
    ("我们公司", "Company"),
    ("本公司", "Company"),
    ("该企业", "Company"),
    ("该集团", "Company"),
    ("这家企业", "Company"),
    ("该校", "Organization"),
    ("该项目", "Project"),
    ("该工程", "Project"),
    ("该县", "Region"),
    ("该市", "Region"),
)
_REF_RE = re.compile("|".join(re.escape(r) for r, _ in _REFERENCES))
# Generic place words standing for the park or zone the item is about (园区内的, 同在产业园的, 开发区先后引进).
_BARE_PLACE = re.compile(
    r"(?:(?<=^)|(?<=[，。；：“、\s在入驻于的该全本同为由向从对与和把让]))(园区|产业园|开发区|经开区|高新区|综保区)"
    r"(?![\u4e00-\u9fff]{0,3}(?:管委会|党工委))"
)
# 二期项目 / 一期工程: the phase of the project named before.
_PHASE_PROJECT = re.compile(r"(?:(?<=^)|(?<=[，。；：“、\s该]))([一二三四]期)(?:项目|工程)")
# A body named by its kind alone (研究院常务副院长, 学院的老师): the latest body of that kind.
_BARE_BODY = re.compile(r"(?:(?<=^)|(?<=[，。；：“、\s]))(研究院|研究所|学院|学校|大学|协会|商会|管委会|党工委)")
# 项目总投资 15 亿元 / 项目于 2020 年投产: the project just named.
_BARE_PROJECT = re.compile(
    r"(?:(?<=^)|(?<=[，。；：\s]))项目(?=总投资|于|建成|投产|全部|达产|占地|计划|将|已|预计|位于|选址|所需|主要)"
)
_BARE_COMPANY = re.compile(r"(?:(?<=^)|(?<=[，。；：“、\s在让使为给和与是对把被帮]))公司(?=[^名法章]|$)")
_DATELINE = re.compile(rf"(?m)^([{HAN}]{{2,8}}(?:报|导报|日报|晚报|新闻|网|社))讯")
_REPORTER = re.compile(rf"记者\s*([{HAN}]{{2,3}})(?=\s|\d|[，。 ）)])")
_TOWN = re.compile(rf"([{HAN}]{{2,3}})(?:镇|乡|街道|县)(?!(?:政府|党委|委|城|域|级|区))")
_MOUNTAIN = re.compile(
    rf"([{HAN}]{{2,3}})(山脉|山|盆地|平原|高原)(?=腹地|脚下|北麓|南麓|深处|北缘|南缘|一带|地区|东部|西部|南部|北部)"
)
_GEO_FEATURE = re.compile(r"(山脉|盆地|平原|高原|山区|山)(?=[腹地区脚下北南东西，。的、])")
_PROJECT_SUFFIX = re.compile(r"(?:建设项目|项目|工程|生产线)(?:[（(][一二三四五]期[）)])?")
_INDUSTRY_END = re.compile(
    r"(科技|化工|铝业|钢铁|能源|新材|材料|电力|煤业|水泥|实业|控股|矿业|焦化|化学|电子|光电|制药|医药|纺织|食品"
    r"|机械|重工|汽车|电气|环保|新能源|股份|集团)$"
)
_ASCII_PAREN = re.compile(r"[（(][A-Za-z0-9]{1,8}[）)]")
_CLAUSE_BREAK = frozenset("，。；：、“”！？（）()\n")
_CAPACITY = re.compile(
    r"(?:年产|新增|年处理|年加工|年)?\s*(?<![\d.])\d+(?:\.\d+)?\s*(?:万|千|百)?\s*"
    r"(?:吨|t(?![a-z])|吉瓦时|兆瓦时|千瓦时|GWh|MWh|吉瓦|千瓦|兆瓦|MW|GW|万千瓦|套|台|辆|平方米|立方米|亩|头|只|件|片|条)"
)
_CAPACITY_LEAD = re.compile(r"(?:年产|新增|年处理|年加工)?\s*\d")
_UNIT = (
    r"(?:吨|t(?![a-z])|套|只|台|件|片|辆|GWh|MWh|kWh|吉瓦时|兆瓦时|千瓦时"
    r"|吉瓦|千瓦|兆瓦|万锭|锭|平方米|立方米|颗|块|根)"
)
_NOT_A_PRODUCT = re.compile(
    r"(状态|情况|过程|能力|水平|效率|时间|成本|环境|问题|工作|方式|模式|体系|光滑|规模|市场|中$|优势|企业$|车间"
    r"|生产线|工序|周期|现场|任务|经营|管理|订单|项目$|基地$|园区|工人|员工|人才|技术$|领域$|行业$|产业$"
    r"|支撑|支持|保障|保证|帮助|便利|条件|机会|平台|动力|动能|思路|指导|资金|政策|全流程|方案|经验|渠道)"
)
_PRODUCT_STOP = re.compile(r"[，。；：、“”（）()！？!?]|及|和|与|等|是|具有|占|深受|捆绑|稳稳|下线|突破|项目|的")


def _automaton(words: Iterable[str]) -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for word in words:
        automaton.add_word(word, word)
    automaton.make_automaton()
    return automaton


def _longest_at(automaton: ahocorasick.Automaton, text: str) -> dict[int, str]:
    """The longest word starting at each position where one starts."""
    longest: dict[int, str] = {}
    for end, word in automaton.iter(text):
        start = end - len(word) + 1
        if len(word) > len(longest.get(start, "")):
            longest[start] = word
    return longest


@dataclass(frozen=True)
class ProductCue:
    """A context that introduces products: where they start (`take`), whether several are listed."""

    pattern: re.Pattern[str]
    needs: tuple[str, ...]  # literal words the pattern cannot match without
    take: str  # "after": from the match end; "group": inside group 1; "group_on": from group 1 on; "exact"
    listed: bool = False
    after_de: bool = False


def _cue(pattern: str, needs: str, take: str = "after", listed: bool = True, after_de: bool = False) -> ProductCue:
    return ProductCue(re.compile(pattern), tuple(needs.split()), take, listed, after_de)


_PRODUCT_CUES: tuple[ProductCue, ...] = (
    _cue(r"(?:生产|产|研制|制造|生产出来)的\s*", "的"),
    # 变成表面光滑、银色光感的高强铝合金铸锭: the noun after the last 的 of the clause.
    _cue(r"(?:变成|制成|加工成|生产出)了?(?:一卷卷|一块块|一根根|一批批|一件件|一台台)?", "成 出", after_de=True),
    _cue(r"第一(?:块|批|台|根|卷|件)\s*", "第一"),
    _cue(r"(?<=[，。；])其(?=[^，。；]{2,16}占(?:到|据)?[^，。；]{0,8}(?:份额|比重|%))", "其"),
    _cue(r"(?:业务|产品)(?:主要)?(?:涵盖|包括|主要有|有)\s*", "业务 产品"),
    _cue(r"主要产品(?:为|是|包括|有)\s*", "主要产品"),
    _cue(r"(?<![主专重])(?:研发生产|研发、生产|生产销售|研发制造)\s*", "研发 销售"),
    _cue(r"产品(?:逐步)?(?:转向|升级为|拓展到|延伸到)\s*", "产品"),
    _cue(
        r"(?<=[，。；：\s])(?:利用[^，。；]{1,12}?)?生产(?=[^出的线车过工经能规效周现任基设管安成环要资制运建销中了过])\s*",
        "生产",
    ),
    _cue(r"(?<!配套)生产\s*(?=[A-Za-z0-9])", "生产"),
    _cue(r"(?:主要|专业|专门|重点)(?:生产|制造|研发生产|研发制造|从事)\s*", "主要 专业 专门 重点"),
    _cue(r"(?:赶制|生产出|制造出)(?:了)?", "赶制 出", after_de=True),
    _cue(r"(?<![产量能])(?:年产|年产能|形成年产|已形成年产)\s*[\d.]+\s*(?:万|千|亿)?\s*" + _UNIT + r"\s*", "年产"),
    # 年产发动机缸体 12 万件: the product before its yearly quantity.
    _cue(rf"年产([{HAN}A-Za-z]{{2,12}}?)\s*[\d.]+\s*(?:万|千|亿)?\s*{_UNIT}", "年产", "group", listed=False),
    # 再生涤纶短纤和再生涤纶长丝已经占到公司产量的八成: what makes up the output is made.
    _cue(
        r"(?<=[，。；：\s“])([^，。；：“]{2,30}?)(?:已经|已)?占(?:到)?(?:公司|企业|全厂)?(?:产量|产能|销量|营收)",
        "占",
        "group",
    ),
    # 为其提供铸造生铁和特种钢材: what a supplier provides.
    _cue(r"(?:为|向)[^，。；]{1,12}?提供", "提供"),
    # 利用聚乙醇酸树脂生产可降解农用地膜: made from one thing, the product is the other.
    _cue(r"利用[^，。；]{1,12}?生产", "利用", listed=False),
    # 专注于光纤连接器和光模块的研发生产 / 专注于磷酸铁锂储能电池研发制造: the listed things are made.
    _cue(r"专注于([^，。；]{2,40}?)的?(?:研发|生产|制造|设计)+", "专注于", "group"),
    # 我们的轮毂轴承单元主要为东风汽车配套 / 驱动电机轴承供货给…: what a firm supplies is its product.
    _cue(rf"(?:我们的|其)([{HAN}A-Za-z0-9]{{2,14}}?)(?:主要)?(?:为|供应|供货|销往|出口)", "我们的 其", "group", False),
    _cue(rf"(?<=[，。；：])([{HAN}A-Za-z0-9]{{2,12}}?)(?:供货给|供应给)", "给", "group", listed=False),
    # 许昌晶钻超硬材料有限公司人造金刚石产量突破 2 亿克拉: a firm's output.
    _cue(
        rf"(?:公司|集团|厂)([{HAN}A-Za-z0-9]{{2,10}}?)(?:年)?(?:产量|产能|销量|出货量)",
        "产量 产能 销量 出货量",
        "group",
        listed=False,
    ),
    # 华为的折叠屏手机 X5: a firm's model-numbered product.
    _cue(rf"的([{HAN}]{{2,8}}\s*[A-Z][A-Za-z0-9]*\d[A-Za-z0-9]*)", "的", "exact"),
    # 生产 A356.2 及其他成分相近的铸造铝合金锭: the noun after the last 的 of a 及-clause.
    _cue(r"生产\s*[A-Za-z0-9.]+\s*及其他[^，。；]{0,12}的([^，。；、]{2,12})", "及其他", "group_on", listed=False),
    # 配套生产铝合金液: products made for others.
    _cue(r"配套生产", "配套生产", listed=False),
)


class Recognizer:
    """All mention recognizers over one paragraph, sharing one lexicon and one token index."""

    def __init__(self, lex: Lexicon) -> None:
        self.lex = lex
        self.shapes = ShapeRecognizer(lex)
        self.title_re = re.compile("|".join(re.escape(t) for t in lex.titles))
        # Aho-Corasick automata (pyahocorasick): one pass over the text finds every division or brand.
        self.region_automaton = _automaton([*lex.regions, *lex.geo_names])
        self.company_automaton = _automaton(lex.known_companies)

    # -- people ---------------------------------------------------------------------------------------
    def person_name_at(self, text: str, pos: int) -> str | None:
        """A name starting at pos: a surname and one or two characters, followed by a follower word."""
        if pos >= len(text):
            return None
        surname_len = 2 if text[pos : pos + 2] in self.lex.compound_surnames else 1
        if surname_len == 1 and text[pos] not in self.lex.surnames:
            return None
        for given in (1, 2):
            end = pos + surname_len + given
            name = text[pos:end]
            if len(name) < 2 or not re.fullmatch(rf"[{HAN}]+", name):
                return None
            rest = text[end:]
            if rest == "" or rest.startswith(_NAME_FOLLOWERS) or self._verb_at(rest):
                return name
        return None

    def _verb_at(self, rest: str) -> bool:
        """A name is followed by what its owner does: 何春梅通报, 沈立新出席 (a verb jieba knows)."""
        for n in (2, 3):
            word = rest[:n]
            if len(word) == n and self.lex.tag(word) in ("v", "vd", "vi") and self.lex.freq(word) >= 200:
                return True
        return False

    def people(self, text: str) -> list[Candidate]:
        found: list[Candidate] = []
        for m in self.title_re.finditer(text):
            name = self.person_name_at(text, m.end())
            if not name:
                continue
            title_start = self._title_start(text, m.start())
            found.append(
                Candidate(
                    m.end(),
                    m.end() + len(name),
                    "Person",
                    name,
                    "title",
                    {"title": text[title_start : m.end()], "title_length": str(m.end() - title_start)},
                )
            )
        for m in _REPORTER.finditer(text):
            name = self.person_name_at(text, m.start(1)) or m.group(1)
            found.append(Candidate(m.start(1), m.start(1) + len(name), "Person", name, "byline", {"role": "记者"}))
        return found

    def _title_start(self, text: str, pos: int) -> int:
        """Extend a title leftward over its department (调度监控室主任, 营销总监兼实验室运营中心总监)."""
        start = pos
        while start > 0 and re.match(rf"[{HAN}]", text[start - 1]) and pos - start < 14:
            if text[start - 1] in "的了在是和与为从到说" or text[start - 3 : start] in ("有限公司",):
                break
            if text[max(0, start - 4) : start].endswith(("公司", "集团", "管委会", "党工委", "开发区", "经开区")):
                break
            start -= 1
        return start

    def bylines(self, text: str) -> list[Candidate]:
        """Names of a byline paragraph (陈勤 田浩东 王佳琪, ■ 梁栋摄): people with role 作者."""
        found = []
        for m in re.finditer(rf"[{HAN}]{{2,4}}", text):
            name = m.group(0)
            role = "作者"
            if name.endswith("摄") and len(name) > 2:
                name = name[:-1]
            if name.startswith(("记者", "通讯员")):
                if len(name) >= 4 and name[2] in self.lex.surnames and name.startswith("记者"):
                    found.append(Candidate(m.start() + 2, m.end(), "Person", name[2:], "byline", {"role": "记者"}))
                continue
            if "记者" in text[max(0, m.start() - 4) : m.start()]:
                role = "记者"
            if name[0] in self.lex.surnames or name[:2] in self.lex.compound_surnames:
                found.append(Candidate(m.start(), m.start() + len(name), "Person", name, "byline", {"role": role}))
        return found

    # -- places ---------------------------------------------------------------------------------------
    def regions(self, text: str, index: TokenIndex) -> list[Candidate]:
        found: list[Candidate] = []
        n = len(text)
        hits = _longest_at(self.region_automaton, text)
        i = 0
        for start in sorted(hits):
            if start < i:
                continue
            i = start
            hit = hits[start]
            if hit in self.lex.boundary_words:
                continue
            end = i + len(hit)
            # A region must not start inside a word jieba knows (新兴县 is not 新 + 兴县).
            tok_start, _ = index.token_at(i)
            if tok_start != i and self.lex.tag(index.word_at(i)) is not None:
                continue
            if end < n and not index.is_start(end) and self.lex.tag(index.word_at(end - 1)) is not None:
                continue  # 白云 of 白云岩, 和政 of 和政策: the word goes on
            if end < n and text[end] in "县市" and hit in self.lex.regions and not hit.endswith(("县", "市", "区")):
                end += 1  # 沁阳县 written for 沁阳市's short form: keep the written suffix
            feature = _GEO_FEATURE.match(text, end)
            if feature and hit in self.lex.regions:
                end = feature.end()
            found.append(Candidate(i, end, "Region", text[i:end], "region"))
            i = end
        region_ends = sorted(c.end for c in found)
        for m in _TOWN.finditer(text):
            if m.end() in region_ends or any(s < m.end() <= e for s, e in ((c.start, c.end) for c in found)):
                continue  # 兴县 is already a division; 山西兴县 is two
            floor = max((e for e in region_ends if e <= m.start(1) + 1), default=0)
            start = self.shapes.left_boundary(text, m.end(1), index, 3, floor)
            body = text[start : m.end(1)]
            if len(body) < 2 or body in self.lex.generic_names or body in ("乡镇", "城镇", "村镇", "区县", "市县"):
                continue
            if text[m.end(1)] == "县" and not self.shapes.has_proper_part(body):
                continue
            found.append(Candidate(start, m.end(), "Region", text[start : m.end()], "town"))
            region_ends.append(m.end())  # 平川县石门镇: the town starts after the county
        for m in _MOUNTAIN.finditer(text):
            start = self.shapes.left_boundary(text, m.end(1), index, 3)
            body = text[start : m.end(1)]
            if len(body) >= 2 and body not in self.lex.generic_names and self.lex.freq(body) < 1000:
                found.append(Candidate(start, m.end(), "Region", text[start : m.end()], "town"))
        return found

    # -- companies known by name ----------------------------------------------------------------------
    def known_companies(self, text: str) -> list[Candidate]:
        return [
            Candidate(start, start + len(name), "Company", name, "gazetteer")
            for start, name in sorted(_longest_at(self.company_automaton, text).items())
        ]

    def newspaper(self, text: str) -> list[Candidate]:
        return [
            Candidate(m.start(1), m.end(1), "Organization", m.group(1), "dateline") for m in _DATELINE.finditer(text)
        ]

    # -- projects -------------------------------------------------------------------------------------
    def projects(self, text: str, index: TokenIndex) -> list[Candidate]:
        """…项目 / …工程 / …生产线. A capacity project starts at its figure (年产 8 万吨, 144 万吨/年,
        新增 1000t/d), taking a short company name right before it (山西焦化 144 万吨…); other projects
        start where a name would."""
        found: list[Candidate] = []
        # 聚乙醇酸（PGA）可降解材料项目: an abbreviation in brackets is part of the name, not a clause break.
        in_name = {i for p in _ASCII_PAREN.finditer(text) for i in (p.start(), p.end() - 1)}
        for m in _PROJECT_SUFFIX.finditer(text):
            if m.group(0) == "工程" and re.match(rf"[{HAN}]{{1,8}}?(?:项目|生产线)|[师院学]", text[m.end() :]):
                continue  # 改性工程塑料项目, 工程师: 工程 inside a longer word
            clause_start = max(
                (
                    i + 1
                    for i in range(max(0, m.start() - 60), m.start())
                    if text[i] in _CLAUSE_BREAK and i not in in_name
                ),
                default=max(0, m.start() - 60),
            )
            previous = [p.end for p in found if p.end <= m.start() and p.label == "Project"]
            clause_start = max([clause_start, *previous])
            joint = text.rfind("以及", clause_start, m.start())
            if joint != -1:
                clause_start = joint + 2
            clause = text[clause_start : m.start()]
            lead = _CAPACITY.search(clause)
            company: Candidate | None = None
            if lead:
                start = clause_start + lead.start()
                while start < m.start() and text[start].isspace():
                    start += 1
                firm_start = self._company_before(text, clause_start, start)
                if firm_start < start:
                    firm = text[firm_start:start].rstrip()
                    company = Candidate(firm_start, firm_start + len(firm), "Company", firm, "shape")
            else:
                if m.group(0) == "生产线":
                    continue
                start = self.shapes.left_boundary(text, m.start(), index, 20, clause_start)
                start = self.shapes._drop_leading_word(text, start, m.start(), index)
            while start < m.start() and text[start].isspace():
                start += 1
            body = text[start : m.start()].strip()
            if not body or not self._specific_project(body):
                continue
            found.append(Candidate(start, m.end(), "Project", text[start : m.end()], "project"))
            if company is not None:
                found.append(company)
        return [c for c in found if c.label == "Project"] + [c for c in found if c.label == "Company"]

    def _company_before(self, text: str, floor: int, start: int) -> int:
        """Where a region-led short company name (山西焦化, 上海雅运) right before `start` begins, if any."""
        end = start
        while end > floor and text[end - 1] == " ":
            end -= 1
        for k in range(7, 3, -1):
            s = end - k
            if s < floor:
                continue
            head = text[s:end]
            if not re.fullmatch(rf"[{HAN}]+", head):
                continue
            if head[:2] in self.lex.regions or head[:3] in self.lex.regions or head[:2] in self.lex.known_companies:
                return s
        # 蓝桥科技 3 万吨…: a short name ending in an industry word opening the clause.
        head = text[floor:end].strip()
        if 3 <= len(head) <= 8 and _INDUSTRY_END.search(head) and re.fullmatch(rf"[{HAN}]+", head):
            return floor + text[floor:end].index(head)
        return start

    def _specific_project(self, body: str) -> bool:
        """A named project carries a figure or a proper word; 重点转型项目, 包联项目 are generic."""
        if _CAPACITY.search(body):
            return True
        body = re.sub(r"\d{4}\s*年", "", body)
        if len(body) < 3 or body in self.lex.generic_names:
            return False
        for tok in self.shapes_tokens(body):
            if tok in self.lex.regions:
                continue
            tag = self.lex.tag(tok)
            if (tag is None and len(tok) >= 2) or re.fullmatch(r"[A-Za-z]+", tok):
                return True
        return False

    @staticmethod
    def shapes_tokens(body: str) -> list[str]:

        return list(segment(body))

    # -- products -------------------------------------------------------------------------------------
    def products(self, text: str) -> list[Candidate]:
        """Products from the cues of `_PRODUCT_CUES`; a cue whose literal word is absent is not run."""
        found: list[Candidate] = []
        for cue in _PRODUCT_CUES:
            if not any(word in text for word in cue.needs):
                continue
            for m in cue.pattern.finditer(text):
                if cue.take == "after":
                    found.extend(self._product_list(text, m.end(), cue.listed, after_de=cue.after_de))
                elif cue.take == "group":
                    found.extend(self._product_list(text, m.start(1), cue.listed, end_limit=m.end(1)))
                elif cue.take == "group_on":
                    found.extend(self._product_list(text, m.start(1), cue.listed))
                else:  # "exact": the group is the product as written
                    found.append(Candidate(m.start(1), m.end(1), "Product", m.group(1), "product"))
        return found

    def _product_list(
        self, text: str, pos: int, is_list: bool, after_de: bool = False, end_limit: int | None = None
    ) -> list[Candidate]:
        found: list[Candidate] = []
        if end_limit is not None:
            text = text[:end_limit]
        if after_de:
            # 变成表面光滑、银色光感的高强铝合金铸锭: the noun after the last 的 of the clause.
            clause_end = min([i for i in (text.find("。", pos), text.find("，", pos)) if i != -1] or [len(text)])
            de = text.rfind("的", pos, clause_end)
            if de != -1:
                pos = de + 1
        while True:
            stop = _PRODUCT_STOP.search(text, pos)
            end = stop.start() if stop else len(text)
            phrase = text[pos:end].strip()
            start = pos + (len(text[pos:end]) - len(text[pos:end].lstrip()))
            phrase = re.sub(r"(?:三大|两大|四大|等)?(?:板块|业务)$", "", phrase)
            phrase = re.sub(r"(?:生产)?能力$", "", phrase)
            counted = r"|[\d.]+\s*(?:万|千)?\s*" + _UNIT if found else ""  # 4GWh 储能电芯和 2000 套储能集装箱系统
            lead = re.match(rf"(?:普通|各类|各种|多种|一系列|系列|优质|新型号{counted})\s*", phrase)
            if lead:
                phrase = phrase[lead.end() :]
                start += lead.end()
            if not (2 <= len(phrase) <= 16 and self._product_like(phrase)):
                break  # 每生产 4 台冰箱和空调: not a product list
            found.append(Candidate(start, start + len(phrase), "Product", phrase, "product"))
            if not (is_list and stop and stop.group(0) in ("、", "和", "及", "与")):
                break
            pos = stop.end()
        return found

    def _product_like(self, phrase: str) -> bool:
        if phrase[0] in self.lex.stop_chars or phrase in self.lex.regions:
            return False
        if phrase in self.lex.generic_names or phrase.startswith(("我们", "其", "这", "该", "产品", "企业", "公司")):
            return False
        if re.match(r"^\d+\s*[台个件只辆吨]", phrase) or _NOT_A_PRODUCT.search(phrase):
            return False
        if self.lex.tag(phrase) in ("v", "vn", "a", "ad", "d", "i", "l"):
            return False
        if re.search(r"[了着过吗呢吧]|[0-9]+%", phrase):
            return False
        return bool(re.search(rf"[{HAN}A-Za-z]$", phrase))

    def project_products(self, project: str, offset: int) -> list[Candidate]:
        """Products named inside a capacity project: 10 万吨铝合金杆延伸 5 万吨合金铝导线项目, 制 LNG 项目."""
        found = []
        body = re.sub(r"(?:建设项目|项目|工程|生产线)(?:[（(][^）)]{1,6}[）)])?$", "", project)
        pattern = rf"\d+(?:\.\d+)?\s*(?:万|千|亿)?\s*{_UNIT}(?:/年|/d|/日)?\s*([{HAN}A-Za-z][{HAN}A-Za-z ]*)"
        for m in re.finditer(pattern, body):
            raw = re.split(
                r"延伸|及|和|(?:数字化|智能化|绿色化|二代|新型|升级改造|改造|建设|扩建|技改|生产线|基地|一期|二期)",
                m.group(1),
            )[0]
            phrase = raw.strip()
            if re.match(r"\s*\d", body[m.start(1) + len(raw) :]) or len(phrase) > 12:
                continue  # 炭化室高度 7.0 米: a measurement, not a product
            if "制" in phrase:  # 甲醇制烯烃, 焦炉煤气制 LNG: the product is what is made
                offset_in = phrase.rindex("制") + 1
                while offset_in < len(phrase) and phrase[offset_in] == " ":
                    offset_in += 1
                m_start = m.start(1) + offset_in
                phrase = phrase[offset_in:]
            else:
                m_start = m.start(1)
            if len(phrase) >= 2 and self._product_like(phrase):
                found.append(
                    Candidate(offset + m_start, offset + m_start + len(phrase), "Product", phrase, "project-product")
                )
        return found

    # -- references -----------------------------------------------------------------------------------
    def references(self, text: str) -> list[Candidate]:
        found = [
            Candidate(m.start(), m.end(), dict(_REFERENCES)[m.group(0)], m.group(0), "ref")
            for m in _REF_RE.finditer(text)
        ]
        found.extend(Candidate(m.start(), m.end(), "Company", "公司", "ref") for m in _BARE_COMPANY.finditer(text))
        for m in _BARE_PLACE.finditer(text):
            label = "Park" if "园" in m.group(1) else "DevelopmentZone"
            found.append(Candidate(m.start(1), m.end(1), label, m.group(1), "ref"))
        for m in _BARE_PROJECT.finditer(text):
            found.append(Candidate(m.start(), m.end(), "Project", "项目", "ref"))
        for m in _PHASE_PROJECT.finditer(text):
            found.append(Candidate(m.start(), m.end(), "Project", m.group(0), "ref", {"phase": m.group(1)}))
        for m in _BARE_BODY.finditer(text):
            found.append(Candidate(m.start(1), m.end(1), "Organization", m.group(1), "ref"))
        return found
