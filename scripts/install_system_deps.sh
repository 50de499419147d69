#!/usr/bin/env bash
# System packages the project uses: LibreOffice (DOCX → PDF) and the Noto CJK fonts it renders
# Chinese with. Idempotent: installs only what is missing; apt-get update first, as CI requires.
set -euo pipefail
missing=()
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
fc-list 2>/dev/null | grep -q "Noto Serif CJK SC" || missing+=(fonts-noto-cjk fontconfig)
[ ${#missing[@]} -eq 0 ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
    echo "请手动安装：${missing[*]}（PDF 输出与样本 PDF 需要它们）" >&2
    exit 0
fi
if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
echo "安装系统软件包：${missing[*]} …"
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
