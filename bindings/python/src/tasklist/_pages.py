"""Searches walked page by page on the library's walker (``tasklist_pages_*``).

The library keeps the cursor, refuses a query that already holds one, and ends a walk that a
server would keep going (a repeated cursor, too many pages, too much time); this module only
turns its pages into a Python iterator.
"""

from __future__ import annotations

import json
from typing import Any, Callable, ContextManager, Dict, Iterator, Optional

from . import _ffi


def walk(client: Any, query: Optional[bytes], lifetime: Callable[[], ContextManager[None]],
         max_items: int = 0, new: str = "tasklist_pages_new") -> Iterator[Dict[str, Any]]:
    """Yields each item of every page; ``lifetime()`` guards each C call (it raises once the
    client is closed, so a closed client ends the walk instead of fetching on). ``new`` is the
    C function that starts the walk: ``tasklist_pages_new`` (v1 tasks) or
    ``tasklist_v2_pages_new`` (v2 user tasks); both walks share ``tasklist_pages_next``."""
    with lifetime():
        pages = _ffi.new_pages(client, query, max_items, new)
    try:
        while True:
            with lifetime():
                page = _ffi.next_page(pages)
            if page is None:
                return
            yield from json.loads(page)
    finally:
        _ffi.free_pages(pages)
