"""A Jupyter contents manager that never writes: for the JupyterLab a check opens on the repository.

``scripts/binder_check.sh`` starts JupyterLab with root = this repository, and the notebooks it
opens are the chapters themselves. JupyterLab saves a notebook it thinks changed (autosave, a
"save before closing?" answer) and writes ``.ipynb_checkpoints/`` beside it; a check must do
neither while other people edit the same files. With

    --ServerApp.contents_manager_class=booksite.readonly_contents.ReadOnlyContentsManager

(``scripts`` on the server's PYTHONPATH) every file reads as usual, is marked not writable (so
JupyterLab opens it read-only and does not autosave), and any save, rename, delete or
checkpoint that is still asked for is refused with a 403 and logged.
"""

from __future__ import annotations

from datetime import UTC, datetime

from jupyter_server.services.contents.largefilemanager import AsyncLargeFileManager
from tornado import web


class ReadOnlyContentsManager(AsyncLargeFileManager):
    """Jupyter server's default contents manager with every write refused."""

    def _refuse(self, what: str, path: str):
        self.log.warning("read-only contents: refused to %s %s", what, path)
        raise web.HTTPError(403, f"this server is read-only: will not {what} {path}")

    def is_writable(self, path: str) -> bool:
        return False

    async def save(self, model, path=""):
        self._refuse("save", path)

    async def delete_file(self, path):
        self._refuse("delete", path)

    async def rename_file(self, old_path, new_path):
        self._refuse("rename", old_path)

    async def create_checkpoint(self, path):
        """A checkpoint that is not written (JupyterLab asks for one when it opens a file)."""
        return {"id": "read-only", "last_modified": datetime.now(UTC)}

    async def list_checkpoints(self, path):
        return []

    async def restore_checkpoint(self, checkpoint_id, path):
        self._refuse("restore a checkpoint of", path)

    async def delete_checkpoint(self, checkpoint_id, path):
        return None
