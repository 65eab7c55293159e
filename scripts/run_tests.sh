#!/usr/bin/env bash
# Install everything the tests need (first time only), then lint and run the whole suite:
# unit, command-line, doctests, app, endpoint and headless-browser tests.
# Extra arguments go to pytest (e.g. -m "not browser").
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh dev
.venv/bin/python -m ruff check .
.venv/bin/python -m ruff format --check .
exec .venv/bin/python -m pytest "$@"
