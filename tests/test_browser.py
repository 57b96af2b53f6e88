"""Neo4j Browser, served by the local server, in headless Chromium: connect, apply kg.grass, run a query.

Proves that Browser is served, that the style sheet of the README applies (zone, parks and firm are drawn in
their colours) and that the graph of our sample articles draws. The screenshot is kept as docs/browser.png
when KG_UPDATE_SCREENSHOTS=1 (that is how the README's picture is made).
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from chromium import save_screenshot, webdriver

from kg.viz import LABEL_STYLES, grass

ROOT = Path(__file__).resolve().parent.parent
QUERY = (
    "MATCH path = (z:DevelopmentZone {name: '金河经济技术开发区'})-[*1..2]-(:Entity) "
    "WHERE all(n IN nodes(path) WHERE n:Entity) RETURN path"
)

# Browser's notice about usage data covers the top of the page; close it for a clean screenshot.
DISMISS_BANNER = """
const text = [...document.querySelectorAll('span')]
  .find(e => e.textContent.startsWith('To help make Neo4j Browser'));
const banner = text && text.parentElement;
if (banner) { banner.lastElementChild.click(); banner.style.display = 'none'; }
"""


@pytest.fixture(scope="module")
def sample_db(neo4j: Any, sample_corpus: Any) -> Iterator[Any]:
    from kg.store.neo4j import clear, load

    clear(neo4j)
    load(sample_corpus, neo4j)
    yield neo4j
    clear(neo4j)


def one_line(stylesheet: str) -> str:
    """The style sheet as one line for `:style …`: Browser's editor would re-indent typed newlines."""
    return " ".join(
        line.strip() for line in stylesheet.splitlines() if line.strip() and not line.startswith("/*")
    )


def test_browser_draws_the_sample_graph_in_kg_colours(
    sample_db: Any, neo4j_browser_url: str, tmp_path: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support import expected_conditions as ec
    from selenium.webdriver.support.ui import WebDriverWait

    url = neo4j_browser_url
    host_port = sample_db.uri.split("://", 1)[1]
    with webdriver((1400, 900)) as driver:
        wait = WebDriverWait(driver, 60)
        driver.get(f"{url}?dbms=bolt://{sample_db.user}@{host_port}")
        wait.until(ec.element_to_be_clickable((By.CSS_SELECTOR, "input[data-testid=password]"))).send_keys(
            sample_db.password
        )
        driver.find_element(By.CSS_SELECTOR, "button[data-testid=connect]").click()
        wait.until(lambda d: not d.find_elements(By.CSS_SELECTOR, "input[data-testid=password]"))
        editor = driver.find_element(By.CSS_SELECTOR, "textarea")
        editor.send_keys(":style " + one_line(grass()))
        editor.send_keys(Keys.CONTROL, Keys.ENTER)
        wait.until(
            lambda d: "node.Company" in (d.execute_script("return localStorage.getItem('neo4j.grass')") or "")
        )
        editor.send_keys(QUERY)
        editor.send_keys(Keys.CONTROL, Keys.ENTER)
        wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, "svg g.node")) > 3)
        wait.until(lambda d: d.execute_script(
            "return [...document.querySelectorAll('svg g.node circle')]"
            ".some(c => (c.getAttribute('fill') || '').toUpperCase() === arguments[0])",
            LABEL_STYLES["DevelopmentZone"].colour.upper(),
        ))  # fmt: skip
        driver.execute_script(DISMISS_BANNER)
        drawn = driver.execute_script(
            "return [...document.querySelectorAll('svg g.node circle')].map(c => c.getAttribute('fill'))"
        )
        shot = save_screenshot(driver, tmp_path / "browser.png")
    fills = {str(f).upper() for f in drawn if f}
    assert LABEL_STYLES["DevelopmentZone"].colour.upper() in fills
    assert LABEL_STYLES["Park"].colour.upper() in fills, "the zone's parks are drawn in the Park colour"
    assert LABEL_STYLES["Company"].colour.upper() in fills, "the park's firm is drawn in Company colour"
    assert shot.stat().st_size > 20_000
    if os.environ.get("KG_UPDATE_SCREENSHOTS") == "1":
        (ROOT / "docs").mkdir(exist_ok=True)
        (ROOT / "docs" / "browser.png").write_bytes(shot.read_bytes())
