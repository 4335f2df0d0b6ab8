"""Sphinx extension: drop duplicate <script> entries from each page.

Sphinx 7.4 lists an inline script twice when an extension adds it after the builder started
(sphinx-thebe and sphinx-togglebutton do): once with filename None, once with "". The second
``const THEBE_JS_URL`` then throws "Identifier 'THEBE_JS_URL' has already been declared".
"""


def _drop_duplicate_scripts(app, pagename, templatename, context, doctree):
    seen, unique = set(), []
    for script in context.get("script_files", []):
        attributes = tuple(sorted(getattr(script, "attributes", {}).items()))
        key = (getattr(script, "filename", str(script)) or "", attributes)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def setup(app):
    app.connect("html-page-context", _drop_duplicate_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
