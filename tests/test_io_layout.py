"""Reading articles: encodings, newspaper layout repair, items and bylines, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import InputError
from kg.io import article_paths, decode, read_article
from kg.layout import repair, segments

ARTICLE = "云岭科技（山西）有限公司落户金河经济技术开发区。"


@pytest.mark.parametrize(
    "data",
    [
        ARTICLE.encode("utf-8"),
        b"\xef\xbb\xbf" + ARTICLE.encode("utf-8"),
        ARTICLE.encode("gb18030"),
        ARTICLE.encode("gbk"),
    ],
    ids=["utf-8", "utf-8-bom", "gb18030", "gbk"],
)
def test_encodings_decode_to_the_same_text(data: bytes) -> None:
    assert decode(data, "a.txt") == ARTICLE


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"", "empty file"),
        (b"   \n\n ", "empty file"),
        (b"\x00\x01\x02binary\x00", "binary"),
        (bytes([0x80, 0xFF, 0xFE, 0x81, 0x30]) * 20, "undecodable"),
    ],
)
def test_bad_bytes_are_one_line_errors_naming_the_file(data: bytes, problem: str) -> None:
    with pytest.raises(InputError) as err:
        decode(data, "bad.txt")
    message = str(err.value)
    assert message.startswith("bad.txt: ") and problem in message and "\n" not in message


def test_a_company_name_broken_across_lines_comes_out_whole() -> None:
    raw = (
        "以星岚精密材料（山西）有限公司为代表的一批龙头\n\n企业，积极引进先进技术和设备，"
        "加大研发投入，成功突破了多项关键\n\n技术瓶颈。八月中旬，记者走进星岚精密材料（山西）\n\n"
        "有限公司，生产车间里自动化设备高速运转。\n"
    )
    text = repair(raw)
    assert text.count("星岚精密材料（山西）有限公司") == 2
    assert "\n\n" not in text


def test_headings_stay_apart_and_bylines_close_items() -> None:
    raw = (
        "金河经济技术开发区\n\n召开重点项目推进会\n\n"
        "科学导报讯 近日，金河经济技术开发区召开会议。\n\n宋雨晴\n\n"
        "第二条新闻标题\n\n科学导报讯 记者钟晓 云岭经开区举行座谈。推动合作落地见效！ 林秋\n"
    )
    text = repair(raw)
    items = segments(text)
    assert len(items) == 2
    kinds = [[s.kind for s in item] for item in items]
    assert kinds[0] == ["heading", "heading", "body", "byline"]
    assert kinds[1][-1] == "byline"
    last = items[1][-1]
    assert text[last.start : last.end] == "林秋"


def test_nothing_is_lost_across_items() -> None:
    raw = "标题一\n\n正文一。\n\n张三\n\n标题二\n\n正文二。\n\n■ 李四摄\n"
    text = repair(raw)
    for piece in ("标题一", "正文一。", "张三", "标题二", "正文二。", "■ 李四摄"):
        assert piece in text


def test_directory_without_articles_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "notes.csv").write_text("x", encoding="utf-8")
    with pytest.raises(InputError, match="holds no articles"):
        article_paths(tmp_path)


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        read_article(tmp_path / "nope.txt")


def test_directories_are_read_recursively_in_order(tmp_path: Path) -> None:
    (tmp_path / "b").mkdir()
    for name in ("b/2.md", "1.txt", "b/3.txt", "skip.json"):
        (tmp_path / name).write_text(ARTICLE, encoding="utf-8")
    assert [p.relative_to(tmp_path).as_posix() for p in article_paths(tmp_path)] == [
        "1.txt",
        "b/2.md",
        "b/3.txt",
    ]
