#!/usr/bin/env bash
# Set everything up from nothing and run the whole test suite.
set -euo pipefail
cd "$(dirname "$0")/.."
IDI_EXTRAS=dev,ray IDI_WITH_BROWSER=1 bash scripts/setup.sh
.venv/bin/python -m pytest -q "$@"
