"""The book builds with Sphinx warnings as errors and nitpicky references (notebooks rendered
from their stored outputs), and every built page works in a browser with the network off.

nbval executes the notebooks; these tests check what the build adds: the table of contents,
cross-references, the bibliography, math and MyST syntax, and what a reader sees. `make book`
builds the same pages, executing them.
"""

import importlib.util
import json
import shutil
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
SCREENSHOTS = ROOT / "_build" / "browser-check"


_spec = importlib.util.spec_from_file_location("build_html", ROOT / "tools" / "build_html.py")
build_html = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(build_html)


@pytest.fixture(scope="module")
def html(tmp_path_factory) -> Path:
    """The book built once as `make html` builds it, without executing the notebooks:
    ``_build/html``."""
    out = tmp_path_factory.mktemp("book")
    result = build_html.build_html(out)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return out / "_build" / "html"


def test_book_builds_without_warnings(html):
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    assert config["sphinx"]["config"]["nitpicky"] is True
    chapter = (html / "book" / "01_autoencoders.html").read_text()
    assert chapter.count("<img") >= 10  # the chapter's figures, from the stored outputs
    assert "Open in Colab" in chapter


def test_colab_links_point_at_each_notebook():
    url = "https://colab.research.google.com/github/aegan-tf/aegan-tf/blob/main/book/{}"
    repository = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    assert repository == "https://github.com/aegan-tf/aegan-tf"
    for path in sorted((ROOT / "book").glob("*.ipynb")):
        first = "".join(json.loads(path.read_text())["cells"][0]["source"])
        assert f"**[Open in Colab]({url.format(path.name)})**" in first, path.name
        assert "colab-badge.svg" not in path.read_text()  # an image from the network


def test_every_cell_has_its_own_id_and_code_cells_stay_short():
    # nbformat 4.5 requires cell ids (a cell added by a script without one is "a hard error in
    # future nbformat versions"); the house style keeps code cells under 25 lines
    for path in sorted((ROOT / "book").glob("*.ipynb")):
        notebook = json.loads(path.read_text())
        assert (notebook["nbformat"], notebook["nbformat_minor"]) >= (4, 5), path.name
        ids = [cell.get("id") for cell in notebook["cells"]]
        assert None not in ids and len(set(ids)) == len(ids), path.name
        for number, cell in enumerate(notebook["cells"]):
            lines = "".join(cell["source"]).count("\n") + 1
            assert cell["cell_type"] != "code" or lines < 25, f"{path.name}, cell {number}"


def test_math_and_pages_need_no_network(html):
    page = (html / "book" / "02_gan_math.html").read_text()
    assert 'src="../_static/mathjax/tex-chtml.js"' in page
    assert (html / "_static" / "mathjax" / "output" / "chtml" / "fonts" / "woff-v2").is_dir()
    for path in html.rglob("*.html"):
        text = path.read_text()
        for tag in ('<script src="http', '<img src="http', '<link href="http'):
            assert tag not in text, f"{path.name} loads a resource from the network: {tag}"


_LAUNCH_ARGS = [
    "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-quic", "--disable-sync",
    "--disable-background-networking", "--disable-component-update",
]  # fmt: skip

# What a reader sees: math typeset (no TeX left in the text outside code), images decoded.
_INSPECT = """async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    await MathJax.startup.promise;
  }
  const images = [...document.images].filter((img) => img.offsetParent !== null);
  const broken = images
    .filter((img) => !img.complete || img.naturalWidth === 0)
    .map((img) => img.src);
  const copy = document.querySelector("main, article, body").cloneNode(true);
  copy.querySelectorAll("pre, code, .highlight, script, style, mjx-container")
    .forEach((e) => e.remove());
  const text = copy.textContent;
  const raw = ["\\\\(", "\\\\[", "$$", "\\\\begin{"].filter((s) => text.includes(s));
  const math = document.querySelectorAll(".math").length;
  const typeset = document.querySelectorAll("mjx-container").length;
  return {images: images.length, broken, raw, math, typeset};
}"""


@pytest.mark.skipif(
    CHROMIUM is None,
    reason="no Chromium here: `make test` installs Debian's chromium package when run as root "
    "with apt-get (as CI does); elsewhere install it to run the browser check",
)
def test_every_page_in_a_browser_with_the_network_off(html):
    sync_api = pytest.importorskip("playwright.sync_api")
    pages = sorted(p for p in html.rglob("*.html") if "_static" not in p.parts)
    assert len(pages) >= 14
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    problems, summary = [], []
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=_LAUNCH_ARGS)
        context = browser.new_context(offline=True, viewport={"width": 1280, "height": 900})
        external = []

        def only_local(route):
            if route.request.url.startswith(("file://", "data:", "blob:")):
                route.continue_()
            else:
                external.append(route.request.url)
                route.abort()

        context.route("**/*", only_local)
        for path in pages:
            page = context.new_page()
            errors = []
            page.on("console", lambda m, e=errors: m.type == "error" and e.append(m.text))
            page.on("pageerror", lambda exc, e=errors: e.append(str(exc)))
            page.goto(path.as_uri(), wait_until="load")
            if 'http-equiv="Refresh"' in path.read_text():  # index.html: the landing page
                page.wait_for_url("**/book/intro.html")
                page.wait_for_load_state("load")
            seen = page.evaluate(_INSPECT)
            name = str(path.relative_to(html))
            summary.append(f"{name}: {seen['images']} images, {seen['typeset']} math")
            if errors:
                problems.append(f"{name}: console errors {errors[:3]}")
            if seen["broken"]:
                problems.append(f"{name}: images that did not load {seen['broken'][:3]}")
            if seen["raw"]:
                problems.append(f"{name}: raw TeX in the text {seen['raw']}")
            if seen["math"] and not seen["typeset"]:
                problems.append(f"{name}: {seen['math']} math elements, none typeset")
            if name in ("index.html", "book/02_gan_math.html"):
                page.screenshot(path=SCREENSHOTS / (path.stem + ".png"), full_page=False)
            page.close()
        browser.close()
    assert not external, f"pages asked the network for {sorted(set(external))[:5]}"
    assert not problems, "\n".join(problems)
    chapter_2 = next(s for s in summary if s.startswith("book/02_gan_math.html"))
    assert int(chapter_2.split(", ")[1].split()[0]) >= 50, chapter_2  # its equations, typeset
    (SCREENSHOTS / "pages.txt").write_text("\n".join(summary) + "\n")
