#!/usr/bin/env bash
# Installs the toolkit into ./.venv (and, with root rights, the Apertium engine from Debian).
#   ./setup.sh          the tool, plus Apertium so that a machine with no neural model still translates
#   ./setup.sh --dev    the same plus test dependencies and the programs the end-to-end tests drive
set -euo pipefail
cd "$(dirname "$0")"

dev=0
[ "${1:-}" = "--dev" ] && dev=1

apt_packages=(apertium apertium-fr-es apertium-eng-spa)
# word lists for the foreign-word QA check (translate/leftover.py)
apt_packages+=(wamerican wbritish wamerican-large wbritish-large wfrench wspanish)
[ "$dev" = 1 ] && apt_packages+=(omegat lttoolbox-dev)  # lttoolbox-dev: lt-paradigm lists the dictionaries for tests
[ "$dev" = 1 ] && apt_packages+=(chromium)  # review-page screenshot test (about 45 s to install, 290 MB)
[ "$dev" = 1 ] && apt_packages+=(libreoffice-writer-nogui)  # DOCX test converts outputs with soffice (86 MB download, about 25 s to install)

missing=()
for pkg in "${apt_packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing ${missing[*]} (apt)" >&2
    apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  elif command -v sudo >/dev/null && command -v apt-get >/dev/null && sudo -n true 2>/dev/null; then
    sudo apt-get update -qq >/dev/null
    sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: cannot install ${missing[*]} without root; Apertium will be unavailable" >&2
  fi
fi

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
if [ "$dev" = 1 ]; then
  .venv/bin/python -m pip install -q -e ".[dev,ray]"  # ray: the tests of `translate run --ray`
else
  .venv/bin/python -m pip install -q -e .
fi
# pip byte-compiles what it installs, but an editable install runs from this tree: compile it once, so
# that no start of `translate` recompiles the sources (it would every time where PYTHONDONTWRITEBYTECODE is set).
compiled=(translate glossary bench)
[ "$dev" = 1 ] && compiled+=(tests)
.venv/bin/python -m compileall -q "${compiled[@]}" >/dev/null
# pytest compiles test modules itself (it rewrites their asserts) and keeps them in the same folders:
# collecting once here writes them, as a first `pytest` run would on a machine that writes bytecode
if [ "$dev" = 1 ]; then
  PYTHONDONTWRITEBYTECODE= .venv/bin/python -m pytest --collect-only -q -n 0 -p no:cacheprovider >/dev/null \
    || echo "setup: collecting the tests failed; run .venv/bin/python -m pytest to see why" >&2
fi
echo "setup: done; the command is .venv/bin/translate" >&2
