#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages RoleBook needs, only those that are missing.
#   scripts/system-packages.sh run    packages the app needs to serve and print
#   scripts/system-packages.sh test   the same plus what the test suite needs
# apt-get runs as root, through sudo otherwise; if neither is possible it says what to install.
set -euo pipefail

mode=${1:-run}
# fonts-noto-cjk: Chinese glyphs in PDFs and org charts; libharfbuzz-subset0: fast font subsetting
# in WeasyPrint; poppler-utils: pdftotext/pdffonts/pdftoppm; graphviz: `dot` lays out org charts;
# libpango-1.0-0: WeasyPrint's text layout; libreoffice-writer-nogui: uploaded .doc/.wps job
# descriptions are converted to .docx; tesseract-ocr (+ Simplified Chinese and English models):
# scanned PDFs are read by OCR.
packages=(fonts-noto-cjk libharfbuzz-subset0 poppler-utils graphviz libpango-1.0-0 libpangoft2-1.0-0
          libreoffice-writer-nogui tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-eng)
if [ "$mode" = test ]; then
    # chromium: browser tests; postgresql: the suite's second pass runs on a real server;
    # redis-server: the job queue's production backend is tested against a real server;
    # libreoffice-calc-nogui: exports are opened by a real spreadsheet program;
    # libreoffice-writer-nogui: Word job descriptions are opened by a real word processor.
    packages+=(chromium postgresql redis-server libreoffice-calc-nogui libreoffice-writer-nogui)
fi
# A virtualenv needs ensurepip, which Debian ships separately.
if ! python3 -c 'import ensurepip, venv' >/dev/null 2>&1; then
    packages+=(python3-venv)
fi

missing=()
for pkg in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Status}' "$pkg" 2>/dev/null || true)
    [ "$status" = installed ] || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
    echo "RoleBook needs these system packages: ${missing[*]}" >&2
    echo "This is not a Debian/Ubuntu system: install their equivalents, then run make again." >&2
    exit 1
fi

if [ "$(id -u)" -eq 0 ]; then
    SUDO=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    SUDO=(sudo -n)
elif command -v sudo >/dev/null 2>&1 && [ -t 0 ]; then
    SUDO=(sudo)
else
    echo "RoleBook needs these system packages: ${missing[*]}" >&2
    echo "Install them as root, then run make again:" >&2
    echo "    sudo apt-get install -y ${missing[*]}" >&2
    exit 1
fi

echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "System packages installed."
