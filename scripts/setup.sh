#!/usr/bin/env bash
# Set up everything the project needs on a fresh Debian/Ubuntu machine with Python 3.10+:
# LibreOffice and the Noto CJK fonts (apt), and a virtual environment in .venv with the project
# and its test tools installed.
# IDI_EXTRAS picks the optional extras (default: dev, the test tools; scripts/test.sh adds ray), and
# IDI_WITH_BROWSER=1 also installs Debian's chromium for the web app's browser tests.
# Idempotent: re-running only installs what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
if ! "$PYTHON" -c 'import venv, ensurepip' 2>/dev/null; then
    echo "安装 python3-venv …"
    if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
    $SUDO apt-get update -qq && $SUDO apt-get install -y -qq python3-venv python3-pip >/dev/null
fi
bash scripts/install_system_deps.sh
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".[${IDI_EXTRAS:-dev}]"
echo "环境已就绪：.venv（命令 .venv/bin/idi）"
