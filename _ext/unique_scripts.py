"""A Sphinx extension: each page loads each script once.

Jupyter Book 1 registers sphinx-thebe's configuration script twice, so every page declared
``const THEBE_JS_URL`` twice and the browser logged "Identifier 'THEBE_JS_URL' has already
been declared" on every page (found by the browser check in tests/test_book.py).
"""

from __future__ import annotations


def _unique_scripts(app, pagename, templatename, context, doctree) -> None:
    seen, unique = set(), []
    for script in context.get("script_files", []):
        name = getattr(script, "filename", script) or ""  # an inline script's is None or ""
        key = (str(name), tuple(sorted(getattr(script, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def setup(app) -> dict:
    app.connect("html-page-context", _unique_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
