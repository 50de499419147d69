#!/usr/bin/env bash
# System packages the project uses (Debian / Ubuntu), called by scripts/setup.sh and CI:
#   libreoffice-writer-nogui  DOCX → PDF and PDF/A-2b (docgen/pdf.py); pulls libreoffice-core-nogui,
#                             which holds the PDF export filter. No GUI, no Java.
#   fonts-noto-cjk            Noto Serif / Sans CJK SC, what docgen/fonts/fonts.conf maps 宋体、仿宋、
#                             小标宋、黑体 … onto.
#   fonts-liberation          Liberation Serif, metric-compatible with Times New Roman (Latin text).
#   fontconfig                fc-list / fc-match, and the FONTCONFIG_FILE mechanism.
#   chromium                  only with IDI_WITH_BROWSER=1 (scripts/test.sh): the real browser of the
#                             web app's end-to-end tests and of the HTML report test.
# Idempotent: installs only what is missing (nothing at all, not even apt-get update, when all is
# present). apt-get update runs before any install, as CI images ship without package lists.
# Quiet: only a line saying what is installed, and apt's errors.
set -euo pipefail

installed() {  # package name → true when dpkg has it installed
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
}

has_writer() {  # a LibreOffice with Writer, from apt or elsewhere (IDI_SOFFICE, /opt)
    if [ -n "${IDI_SOFFICE:-}" ] && [ -x "${IDI_SOFFICE}" ]; then return 0; fi
    installed libreoffice-writer-nogui || installed libreoffice-writer && return 0
    command -v soffice >/dev/null 2>&1 && ! command -v dpkg-query >/dev/null 2>&1
}

missing=()
has_writer || missing+=(libreoffice-writer-nogui)
if command -v dpkg-query >/dev/null 2>&1; then
    for package in fonts-noto-cjk fonts-liberation fontconfig; do
        installed "$package" || missing+=("$package")
    done
    if [ "${IDI_WITH_BROWSER:-0}" = 1 ] && ! command -v chromium >/dev/null 2>&1; then
        missing+=(chromium)
    fi
fi
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    echo "未找到 apt-get，请手动安装：${missing[*]}（PDF 输出需要 LibreOffice 与 Noto CJK 字体）" >&2
    exit 0
fi
SUDO=""
if [ "$(id -u)" != 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
        echo "需要 root 权限安装：${missing[*]}；请以 root 运行，或先安装 sudo" >&2
        exit 1
    fi
    SUDO="sudo"
fi
echo "安装系统软件包：${missing[*]} …"
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get update -qq
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
