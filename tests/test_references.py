"""Every paper the book cites by author and year has an entry in references.bib (which the
references page lists), and every entry there is cited somewhere in the book."""

import json
import re
import unicodedata
from pathlib import Path

from pybtex.database import parse_file

ROOT = Path(__file__).resolve().parents[1]
# "Heusel et al. 2017", "Goodfellow et al. (2014)", "Kingma & Welling 2014",
# "Odena, Dumoulin & Olah 2016", "Goodfellow 2016"
NAME = r"[A-Z][\w'-]+"
CITATION = re.compile(
    rf"\b({NAME}(?:\s+et\s+al\.|(?:,\s+{NAME})*\s+&\s+{NAME})?),?\s+\(?((?:19|20)\d\d)\)?(?![\d-])"
)
NOT_AUTHORS = {"NIPS", "EPYC", "Python", "TensorFlow", "Keras", "CUDA", "MNIST"}


def _ascii(text: str) -> str:
    text = text.replace("ı", "i").replace("ł", "l")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _latex_free(name: str) -> str:
    return re.sub(r"[{}\\'\"`^~]", "", name).replace("\\i", "i")


def _labels(entry) -> set[str]:
    """The ways the text may cite ``entry``: its authors' surnames as a reader writes them."""
    names = [_ascii(_latex_free(" ".join(p.last_names))) for p in entry.persons["author"]]
    labels = {names[0]} if len(names) == 1 else set()
    if len(names) == 2:
        labels.add(f"{names[0]} & {names[1]}")
    if len(names) >= 3:
        labels.add(f"{names[0]} et al.")
    if len(names) == 3:
        labels.add(f"{names[0]}, {names[1]} & {names[2]}")
    return labels


def _book_text() -> str:
    parts = []
    for path in sorted((ROOT / "book").iterdir()):
        if path.suffix == ".md":
            parts.append(path.read_text())
        elif path.suffix == ".ipynb":
            cells = json.loads(path.read_text())["cells"]
            parts += ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]
    return "\n".join(parts)


def test_every_citation_has_one_entry_and_every_entry_is_cited():
    entries = parse_file(ROOT / "references.bib").entries
    index = {}
    for key, entry in entries.items():
        for label in _labels(entry):
            index.setdefault((label, entry.fields["year"]), []).append(key)
    cited, unknown = set(), []
    for authors, year in CITATION.findall(_book_text()):
        if authors in NOT_AUTHORS:
            continue
        keys = index.get((_ascii(re.sub(r"\s+", " ", authors)), year), [])
        if len(keys) != 1:
            unknown.append(f"{authors} {year}: {keys or 'no entry'}")
        cited.update(keys)
    assert not unknown, "citations without exactly one entry in references.bib: " + str(unknown)
    assert set(entries) == cited, f"entries never cited: {sorted(set(entries) - cited)}"
    assert len(cited) >= 20


def test_the_references_page_lists_the_bibliography():
    page = (ROOT / "book" / "references.md").read_text()
    assert "```{bibliography}\n:all:\n```" in page
    assert "book/references" in (ROOT / "_toc.yml").read_text()
