"""The knowledge-base tests share helpers in ``kb_support.py`` beside them."""

from __future__ import annotations

import sys
from pathlib import Path

# Test modules are imported without changing sys.path (pytest's importlib mode):
# make this folder's helper module importable by name.
sys.path.insert(0, str(Path(__file__).parent))
