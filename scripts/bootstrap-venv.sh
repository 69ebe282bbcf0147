#!/usr/bin/env bash
# Create the project's virtual environment on a machine that has only python3.
# Debian and Ubuntu split venv/ensurepip into python3-venv: install it when missing.
set -euo pipefail
py="${1:-python3}"
venv="${2:-.venv}"
if ! "$py" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
  echo "motcua needs Python >= 3.11; $py is $("$py" --version 2>&1)" >&2
  exit 1
fi
if ! "$py" -m venv --help >/dev/null 2>&1 || ! "$py" -c 'import ensurepip' >/dev/null 2>&1; then
  ver=$("$py" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')
  echo "Installing python${ver}-venv (needs root or sudo)..." >&2
  sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  $sudo_cmd apt-get install -y -qq "python${ver}-venv" || $sudo_cmd apt-get install -y -qq python3-venv
fi
rm -rf "$venv"
"$py" -m venv "$venv"
"$venv/bin/python" -m pip install -q --upgrade pip
