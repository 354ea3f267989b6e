#!/usr/bin/env bash
# Set up the test tools and run every test (pipeline, app and browser tests).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements-dev.txt
exec .venv/bin/python -m pytest "$@"
