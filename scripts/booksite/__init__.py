"""Helpers to check the built course website: its layout, a local server and a browser probe.

Used by the browser tests (``tests/browser``) and by ``scripts/page_weight.py``.
"""
