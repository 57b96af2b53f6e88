"""Reading articles: encodings, newspaper layout repair, items and bylines, bad input."""

from __future__ import annotations

from pathlib import Path

import pytest

from kg.errors import GraphFormatError, InputError
from kg.io import article_paths, decode, list_articles, read_article, read_corpus_graph, write_json
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


# ---------------------------------------------------------------------------------------------------------
# Encodings a user's files come in, and mixes of them (issue 10, item 6 and 9)

MIXED_LINES = [
    "金河经济技术开发区召开重点项目推进会。",
    "云岭科技（山西）有限公司总投资 2 亿元建设新材料项目。",
    "厂长韩立明说，公司今年将扩大生产规模。",
    "张丽",
]


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_a_bom_are_read(codec: str) -> None:
    bom = {"utf-16-le": b"\xff\xfe", "utf-16-be": b"\xfe\xff"}.get(codec, b"")
    assert decode(bom + ARTICLE.encode(codec), "a.txt") == ARTICLE


def test_utf16_without_a_bom_is_named_as_such() -> None:
    with pytest.raises(InputError, match="UTF-16 without a byte-order mark"):
        decode(f"2024 年 {ARTICLE} 总投资 2 亿元。".encode("utf-16-le"), "a.txt")


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
        (b"PK\x03\x04\x14\x00\x06\x00", "ZIP"),
        (b"\x89PNG\r\n\x1a\n", "PNG"),
    ],
)
def test_documents_that_are_not_text_are_named(data: bytes, kind: str) -> None:
    with pytest.raises(InputError, match=kind):
        decode(data + bytes(range(256)) * 4, "a.txt")


def test_lines_in_utf8_and_lines_in_gbk_each_decode_in_their_own_encoding() -> None:
    encodings = ["utf-8", "gbk", "utf-8", "gbk"]
    data = b"".join(line.encode(enc) + b"\n" for line, enc in zip(MIXED_LINES, encodings, strict=True))
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert decode(data, "mixed.txt") == "".join(line + "\n" for line in MIXED_LINES)


def test_utf8_inside_a_gbk_line_is_refused_naming_the_offset() -> None:
    head = "记者从金河经济技术开发区获悉，".encode("gbk")
    data = head + "云岭科技有限公司".encode() + "落户园区。\n".encode("gbk")
    assert "云岭" not in data.decode("gb18030")  # what decoding it whole would have given: mojibake
    with pytest.raises(InputError) as err:
        decode(data, "mixed.txt")
    assert "mixed encodings" in str(err.value) and f"offset {len(head)}" in str(err.value)


def test_random_mixes_never_decode_to_mojibake() -> None:
    """Whatever way UTF-8 and GBK pieces are mixed, the result is the right text or an error, never garbage."""
    import random

    rng = random.Random(10)
    pieces = [*MIXED_LINES, "总投资 6.5 亿元", "产业园", "签约仪式", "为比亚迪供货", "（以下简称“云岭”）", "2024 年"]
    wrong = 0
    for _ in range(400):
        parts = [(rng.choice(pieces), rng.choice(["utf-8", "gbk"]), rng.choice(["", "\n"])) for _ in range(6)]
        data = b"".join(p.encode(enc) + sep.encode() for p, enc, sep in parts)
        expected = "".join(p + sep for p, _, sep in parts)
        try:
            text = decode(data, "mix.txt")
        except InputError as e:
            assert "\n" not in str(e)
            continue
        wrong += text != expected
    assert wrong == 0


def test_gbk_lines_that_happen_to_be_valid_utf8_stay_gbk() -> None:
    # Two-character GBK bylines such as 张丽 can form valid UTF-8 by chance; real text must win.
    names = ["张丽", "陈勤", "田浩东", "梁栋", "宋雨晴", "钟晓", "林秋", "韩立明", "邓慧明"]
    text = "".join(f"科学导报讯 云岭科技有限公司落户开发区。\n{name}\n" for name in names)
    assert decode(text.encode("gbk"), "a.txt") == text


# ---------------------------------------------------------------------------------------------------------
# Directory listing: what is read, what is skipped and said (item 9)


def test_a_listing_names_every_entry_it_skips(tmp_path: Path) -> None:
    import os

    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.md").write_text(ARTICLE, encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    (tmp_path / "sub" / "up").symlink_to(tmp_path)
    (tmp_path / "again.txt").symlink_to(tmp_path / "a.txt")
    (tmp_path / "._a.txt").write_bytes(b"\x00\x05\x16\x07macOS resource fork")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "notes.txt").write_text(ARTICLE, encoding="utf-8")
    listing = list_articles(tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in listing.paths] == ["a.txt", "sub/b.md"]
    reasons = {Path(s.path).name: s.reason for s in listing.skipped}
    assert reasons["pipe.txt"] == "not a regular file (a FIFO)"
    assert reasons["dangling.txt"].startswith("dangling symbolic link")
    assert reasons["up"].startswith("symbolic link loop")
    assert reasons["again.txt"].startswith("the same file as")
    assert listing.hidden == 2


def test_an_unreadable_subfolder_is_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "b.txt").write_text(ARTICLE, encoding="utf-8")
    locked.chmod(0)
    if os.geteuid() == 0:  # root reads every folder: make scandir fail as it does for other users
        real = os.scandir

        def scandir(path):  # type: ignore[no-untyped-def]
            if Path(path) == locked:
                raise PermissionError(13, "Permission denied", str(path))
            return real(path)

        monkeypatch.setattr(os, "scandir", scandir)
    try:
        listing = list_articles(tmp_path)
    finally:
        locked.chmod(0o755)
    assert [p.name for p in listing.paths] == ["a.txt"]
    assert [(Path(s.path).name, s.reason) for s in listing.skipped] == [
        ("locked", "cannot read the folder (Permission denied)")
    ]


def test_a_fifo_given_directly_is_read(tmp_path: Path) -> None:
    import os
    import threading

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_bytes(ARTICLE.encode("gbk")))
    writer.start()
    article = read_article(fifo)
    writer.join()
    assert article.text == ARTICLE and article.source == str(fifo)


@pytest.mark.parametrize(
    ("make", "problem"),
    [
        (lambda d: d / ("x" * 5000), "path too long"),
        (lambda d: d / "loop.txt", "symbolic link loop"),
        (lambda d: d / "dangling.txt", "dangling symbolic link"),
        (lambda d: d / "bad\nname.txt", "no such file"),
    ],
    ids=["path-max", "loop", "dangling", "newline"],
)
def test_bad_paths_are_one_line_errors(tmp_path: Path, make, problem: str) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "loop.txt").symlink_to(tmp_path / "loop.txt")
    (tmp_path / "dangling.txt").symlink_to(tmp_path / "nowhere.txt")
    for call in (list_articles, read_article):
        with pytest.raises(InputError) as err:
            call(make(tmp_path))
        assert problem in str(err.value) and "\n" not in str(err.value)


# ---------------------------------------------------------------------------------------------------------
# Identity: one per file (items 1 and 2)


def test_every_spelling_of_a_path_gives_one_identity(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "news").mkdir()
    (tmp_path / "news" / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "link").symlink_to(tmp_path / "news")
    monkeypatch.chdir(tmp_path)
    spellings = ["news/a.txt", "./news/../news/a.txt", str(tmp_path / "news" / "a.txt"), "link/a.txt"]
    articles = [read_article(s) for s in spellings]
    assert {a.source for a in articles} == {str((tmp_path / "news" / "a.txt").resolve())}
    assert len({a.id for a in articles}) == 1
    assert {a.doc for a in articles} == {"a.txt"}


def test_two_files_with_the_same_text_are_two_articles(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "b.txt").write_text(ARTICLE, encoding="utf-8")
    a, b = read_article(tmp_path / "a.txt"), read_article(tmp_path / "b.txt")
    assert a.id != b.id and a.source != b.source and a.text == b.text


def test_stdin_articles_are_named_by_their_text_or_by_source(monkeypatch: pytest.MonkeyPatch) -> None:
    import io
    import sys

    def from_stdin(text: str, source: str | None = None):  # type: ignore[no-untyped-def]
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode("utf-8"))))
        return read_article("-", source)

    one, two = from_stdin(ARTICLE), from_stdin(ARTICLE + "第二篇。")
    assert one.source.startswith("stdin:") and one.source != two.source
    assert from_stdin(ARTICLE).source == one.source  # the same text is the same article
    named = from_stdin(ARTICLE, source="news/2024/a.txt")
    assert named.source == "news/2024/a.txt" and named.doc == "a.txt"


# ---------------------------------------------------------------------------------------------------------
# Graph JSON that is not quite text (item 9)


def test_a_lone_surrogate_in_a_graph_json_is_a_one_line_error(tmp_path: Path) -> None:
    path = tmp_path / "graph.json"
    path.write_text('{"format": "kg.corpusgraph", "articles": [], "entities": [{"name": "星岚\\ud800"}]}')
    with pytest.raises(GraphFormatError) as err:
        read_corpus_graph(path)
    assert "entities[0].name" in str(err.value) and "surrogate" in str(err.value)


def test_written_json_replaces_the_old_file_atomically(tmp_path: Path) -> None:
    path = tmp_path / "out" / "a.json"
    write_json(path, {"n": 1})
    write_json(path, {"n": 2})
    assert path.read_text(encoding="utf-8") == '{\n "n": 2\n}\n'
    assert sorted(p.name for p in path.parent.iterdir()) == ["a.json"]
