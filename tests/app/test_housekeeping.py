"""The app process's housekeeping: memory given back, long-lived objects kept out of collections."""

from __future__ import annotations

import gc

from app.components.housekeeping import tidy


def test_the_first_tidy_freezes_what_lives_so_later_collections_skip_it():
    gc.unfreeze()
    kept = [object() for _ in range(1000)]
    trimmed: list[int] = []
    try:
        tidy(trimmed.append, freeze=True)
        assert gc.get_freeze_count() >= len(kept)
        assert trimmed == [0]  # and the free pages are handed back
        frozen = gc.get_freeze_count()
        tidy(trimmed.append)
        assert gc.get_freeze_count() == frozen  # only the first one freezes
    finally:
        gc.unfreeze()
