"""What the person starting the app chose: ``streamlit run streamlit_app.py -- OPTIONS``."""

from __future__ import annotations

import argparse
import sys
from functools import lru_cache

from graph.core.choice import VIEWS

__all__ = ["launch", "launch_options"]


def launch_options(argv: list[str]) -> argparse.Namespace:
    """The graph named on the command line: ``streamlit run streamlit_app.py -- --data F ...``.

    >>> launch_options(["--data", "esco.nq", "--store", ".store/esco", "--no-default"]).store
    '.store/esco'
    >>> launch_options(["--view", "schema", "--lang", "de"]).lang
    'de'

    Parsed once per list of arguments (every run of every page asks): do not change it.
    """
    return _parsed(tuple(argv))


@lru_cache(maxsize=8)
def _parsed(argv: tuple[str, ...]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="streamlit run streamlit_app.py --", add_help=False)
    parser.add_argument("--data", action="append", default=[])
    parser.add_argument("--no-default", action="store_true")
    parser.add_argument("--store")
    parser.add_argument("--endpoint")
    parser.add_argument("--graph", action="append", dest="graphs")
    parser.add_argument("--view", choices=VIEWS, default="auto")
    parser.add_argument("--lang", default="en")
    parser.add_argument("--allow-endpoint", action="append", default=[], dest="allow_endpoints")
    return parser.parse_known_args(list(argv))[0]


def launch() -> argparse.Namespace:
    """The options this app was started with."""
    return launch_options(sys.argv[1:])
