#!/usr/bin/env bash
# Install the runtime dependencies (first time only) and start the explorer on
# the embedded knowledge base at http://127.0.0.1:8501. Extra arguments go to
# `streamlit run` (e.g. --server.port 8600).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh app
exec .venv/bin/python -m streamlit run streamlit_app.py "$@"
