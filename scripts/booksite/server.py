"""Serve a directory over HTTP on 127.0.0.1 with an ephemeral port, in a background thread."""

from __future__ import annotations

import functools
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, fmt, *args):
        """Keep test output clean: no per-request access log."""


@contextmanager
def serve(directory: Path) -> Iterator[str]:
    """Yield the base URL (``http://127.0.0.1:PORT/``) of ``directory`` while it is served."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
