#!/usr/bin/env bash
# Create .venv and install what the project needs. Sourced by run_app.sh and run_tests.sh.
#   setup.sh app   - runtime dependencies only
#   setup.sh dev   - runtime, test and lint dependencies, and Debian's Chromium for browser tests
set -euo pipefail
cd "$(dirname "$0")/.."
kind="${1:-app}"
python="${PYTHON:-python3}"

if [ ! -x .venv/bin/python ]; then
    "$python" -m venv .venv
fi
requirements=requirements.txt
[ "$kind" = dev ] && requirements=requirements-dev.txt
stamp=".venv/.installed-$kind"
if [ ! -f "$stamp" ] || [ "$requirements" -nt "$stamp" ] || [ requirements.txt -nt "$stamp" ]; then
    .venv/bin/python -m pip install --quiet --disable-pip-version-check -r "$requirements"
    touch "$stamp"
fi

if [ "$kind" = dev ] && { [ ! -x /usr/bin/chromium ] || [ ! -x /usr/bin/virtuoso-t ] \
    || [ ! -x /usr/bin/rapper ] || [ ! -x /usr/bin/xmllint ]; }; then
    # The browser tests drive Debian's Chromium; no browser is downloaded by a test tool.
    # The endpoint tests start Debian's Virtuoso 7 beside the Oxigraph server, and the export
    # tests read every file with readers the project did not write (rapper, xmllint).
    sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null && sudo_cmd="sudo"
    if command -v apt-get >/dev/null; then
        $sudo_cmd apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq \
            chromium virtuoso-opensource raptor2-utils libxml2-utils >/dev/null
    else
        echo "warning: no apt-get; install Chromium, Virtuoso 7, rapper and xmllint for the tests" >&2
    fi
fi
