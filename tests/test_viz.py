"""The offline HTML view and the Browser style sheet: generated, self-contained, drawn by a real Chromium."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from chromium import dump_dom, save_screenshot, webdriver
from synthetic import BYD, FOIL, ZONE, doc_graph, sample_like_corpus
from typer.testing import CliRunner

from kg.cli import app
from kg.errors import ExportError
from kg.io import write_json
from kg.merge import merge
from kg.schema import ENTITY_LABELS
from kg.viz import LABEL_STYLES, graph_data, grass, render_html, write_html

ROOT = Path(__file__).resolve().parent.parent
GRAPH = sample_like_corpus()


def test_grass_file_is_generated_from_the_styles() -> None:
    assert (ROOT / "schema" / "kg.grass").read_text(encoding="utf-8") == grass()


@pytest.mark.parametrize("label", ENTITY_LABELS)
def test_grass_styles_every_label_with_colour_size_and_name_caption(label: str) -> None:
    block = re.search(rf"node\.{label} \{{(.*?)\n\}}", grass(), re.S)
    assert block, f"no style for {label}"
    assert f"color: {LABEL_STYLES[label].colour};" in block.group(1)
    assert f"diameter: {LABEL_STYLES[label].diameter}px;" in block.group(1)
    assert 'caption: "{name}";' in block.group(1)


def test_grass_captions_relationships_with_their_type() -> None:
    assert re.search(r'relationship \{[^}]*caption: "<type>";', grass())


def test_graph_data_carries_evidence_and_colours() -> None:
    data = graph_data(GRAPH)
    assert len(data["nodes"]) == len(GRAPH.entities)
    assert len(data["edges"]) == len(GRAPH.relations)
    supply = next(e for e in data["edges"] if e["type"] == "SUPPLIES_TO" and e["target"] != e["source"])
    assert supply["evidence"][0]["sentence"] and supply["evidence"][0]["doc"].endswith(".txt")
    company = next(n for n in data["nodes"] if n["label"] == "Company")
    assert company["colour"] == LABEL_STYLES["Company"].colour


def test_html_is_self_contained() -> None:
    page = render_html(GRAPH)
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)
    assert "@import" not in page and "cdn" not in page.lower()


def test_html_is_deterministic(tmp_path: Path) -> None:
    """In separate processes with different hash seeds (one process would hide a set-ordered output)."""
    import os

    write_json(tmp_path / "graph.json", GRAPH.to_dict())
    pages = []
    for seed in ("1", "2"):
        out = tmp_path / f"{seed}.html"
        done = subprocess.run(
            [sys.executable, "-m", "kg", "viz", str(tmp_path / "graph.json"), "-o", str(out)],
            env={**os.environ, "PYTHONHASHSEED": seed}, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        pages.append(out.read_bytes())
    assert pages[0] == pages[1] == render_html(GRAPH).encode("utf-8")


def test_names_cannot_break_out_of_the_page() -> None:
    evil = '</script><script>document.title="pwned"</script>'
    text = f"{evil}有限公司为比亚迪供货。"
    ents = [("Company", f"{evil}有限公司", (), {}), ("Company", "比亚迪", (), {})]
    rels = [("SUPPLIES_TO", f"{evil}有限公司", "比亚迪", {}, text)]
    page = render_html(merge([doc_graph("evil.txt", text, ents, rels)]), title="<b>t</b>")
    assert "</script><script>document" not in page
    assert "<title>&lt;b&gt;t&lt;/b&gt;</title>" in page


def test_unwritable_path_is_an_export_error(tmp_path: Path) -> None:
    (tmp_path / "afile").write_text("x", encoding="utf-8")
    with pytest.raises(ExportError, match="cannot write"):
        write_html(GRAPH, tmp_path / "afile" / "graph.html")


def test_missing_folders_are_created_as_export_does(tmp_path: Path) -> None:
    assert write_html(GRAPH, tmp_path / "missing" / "sub" / "graph.html").is_file()


def test_kg_viz_writes_the_page(tmp_path: Path) -> None:
    source = tmp_path / "graph.json"
    write_json(source, GRAPH.to_dict())
    out = tmp_path / "graph.html"
    result = CliRunner().invoke(app, ["viz", str(source), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


# ---------------------------------------------------------------------------------------------------------
# In headless Chromium


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_html(GRAPH, tmp_path_factory.mktemp("viz") / "graph.html")


def test_chromium_draws_every_node_in_its_colour(page: Path) -> None:
    dom = dump_dom(page.as_uri())
    assert 'data-ready="true"' in dom
    nodes = re.findall(r'<g class="node[^"]*" data-id="[^"]+" data-label="(\w+)" data-name="([^"]+)"', dom)
    assert len(nodes) == len(GRAPH.entities)
    assert ("Company", FOIL) in nodes
    assert f'fill="{LABEL_STYLES["Company"].colour}"' in dom
    assert len(re.findall(r'<g class="edge', dom)) == len(GRAPH.relations)
    assert re.search(r'<g class="node[^"]*" [^>]*transform="translate\(-?\d', dom), "nodes were not placed"


def test_search_from_the_address_marks_matches_and_dims_the_rest(page: Path) -> None:
    dom = dump_dom(page.as_uri() + "#q=金河经开区")  # an alias finds the zone
    matched = re.findall(r'<g class="node match[^"]*" [^>]*data-name="([^"]+)"', dom)
    assert matched == [ZONE]
    assert len(re.findall(r'<g class="node(?: small)? dim(?: small)?"', dom)) == len(GRAPH.entities) - 1
    assert "1 match" in dom


def test_selecting_an_edge_shows_its_evidence_sentence(page: Path) -> None:
    supply = next(
        r for r in GRAPH.relations if r.type == "SUPPLIES_TO" and GRAPH.entity_index()[r.tail].name == BYD
    )
    dom = dump_dom(page.as_uri() + f"#select={supply.id}")
    assert f'data-selected="{supply.id}"' in dom
    assert supply.evidence[0].sentence in dom


def test_clicks_and_typing_in_a_real_browser(page: Path, tmp_path: Path) -> None:
    """Type a name in the search box, press Enter, click an edge: the panel shows the sentence behind it."""
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    with webdriver() as driver:
        driver.get(page.as_uri())
        assert driver.find_element(By.TAG_NAME, "body").get_attribute("data-ready") == "true"
        box = driver.find_element(By.ID, "search")
        box.send_keys("比亚迪", Keys.ENTER)
        details = driver.find_element(By.ID, "details")
        assert details.find_element(By.TAG_NAME, "h2").text == BYD
        driver.find_element(By.CSS_SELECTOR, ".edge[data-type='SUPPLIES_TO'] line.hit").click()
        assert "原材料就是" in details.text or "配套供应" in details.text
        shot = save_screenshot(driver, tmp_path / "viz.png")
    assert shot.stat().st_size > 10_000


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["viz", "no/such/input.json", "-o", "graph.html"], "no/such/input.json"),
        (["stats", "no/such/input.json"], "no/such/input.json"),
        (["viz", "{graph}", "-o", "{tmp}/graph.json/graph.html"], "cannot write"),
    ],
)
def test_viz_and_stats_mistakes_are_one_line(tmp_path: Path, args: list[str], message: str) -> None:
    source = tmp_path / "graph.json"
    write_json(source, GRAPH.to_dict())
    argv = [a.format(graph=source, tmp=tmp_path) for a in args]
    done = subprocess.run(
        [sys.executable, "-m", "kg", *argv],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
        cwd=tmp_path,
    )
    assert done.returncode == 2, done.stderr
    assert message in done.stderr and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


# ---------------------------------------------------------------------------------------------------------
# Readable without a Chinese font, and at any zoom (issue 10, item 14)

NO_CJK_FONTS = """<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig><dir>{dir}</dir><cachedir>{cache}</cachedir></fontconfig>
"""


def test_without_a_chinese_font_the_page_says_how_to_get_one(page: Path, tmp_path: Path) -> None:
    latin = next((d for d in ("/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype/liberation")
                  if Path(d).is_dir()), None)  # fmt: skip
    if latin is None:
        pytest.skip("no Latin-only font folder to build a font configuration without Chinese from")
    conf = tmp_path / "fonts.conf"
    conf.write_text(NO_CJK_FONTS.format(dir=latin, cache=tmp_path / "cache"), encoding="utf-8")
    dom = dump_dom(page.as_uri(), env={"FONTCONFIG_FILE": str(conf)})
    assert 'data-cjk-font="missing"' in dom
    assert "No Chinese font found" in dom and "fonts-noto-cjk" in dom


def test_with_a_chinese_font_there_is_no_note(page: Path) -> None:
    fonts = subprocess.run(["fc-list", ":lang=zh", "family"], capture_output=True, text=True, check=False)
    if not fonts.stdout.strip():
        pytest.skip("no Chinese font installed (Debian: apt-get install fonts-noto-cjk or fonts-wqy-microhei)")
    assert 'data-cjk-font="ok"' in dump_dom(page.as_uri())


def _label_heights(driver) -> list[float]:  # type: ignore[no-untyped-def]
    """On-screen heights (px) of the node labels the page shows."""
    return list(driver.execute_script(
        "return Array.from(document.querySelectorAll('.node text'))"
        ".filter(t => getComputedStyle(t).display !== 'none')"
        ".map(t => t.getBoundingClientRect().height);"
    ))  # fmt: skip


def test_labels_stay_readable_on_a_large_graph_at_any_zoom(tmp_path: Path) -> None:
    from synthetic import hub_corpus

    graph = hub_corpus(40, 6)  # about 280 nodes: fitting them on screen zooms far out
    path = write_html(graph, tmp_path / "big.html")
    with webdriver() as driver:
        driver.get(path.as_uri())
        zoom = float(driver.execute_script("return Number(getComputedStyle(document.getElementById('graph'))"
                                           ".getPropertyValue('--zoom'))"))  # fmt: skip
        assert zoom < 0.9, "the graph should need zooming out to fit"
        for step in ("fitted", "zoomed in", "zoomed out"):
            heights = _label_heights(driver)
            assert all(h >= 10 for h in heights), (step, min(heights, default=None))
            if step == "zoomed in":
                assert len(heights) > len(graph.entities) // 2, "zoomed in, most labels show"
            delta = -600 if step == "fitted" else 1500
            driver.execute_script(
                "const svg = document.getElementById('graph'); const box = svg.getBoundingClientRect();"
                "svg.dispatchEvent(new WheelEvent('wheel', {deltaY: arguments[0], clientX: box.left + box.width / 2,"
                "clientY: box.top + box.height / 2, bubbles: true, cancelable: true}));",
                delta,
            )
