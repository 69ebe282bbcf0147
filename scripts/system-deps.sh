#!/usr/bin/env bash
# System packages the test suite needs: Debian's Chromium for the browser tests (never a
# browser downloaded by Playwright) and Liberation fonts. Installs them when run as root (or
# with sudo); otherwise says loudly what is missing.
# Usage: system-deps.sh [all|papers]; "papers" (for make demo) skips the browser.
set -euo pipefail
what="${1:-all}"
missing=()
if [ "$what" = all ]; then
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
fi
[ -d /usr/share/fonts/truetype/liberation2 ] || [ -d /usr/share/fonts/truetype/liberation ] || missing+=(fonts-liberation2)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
if [ "$what" = all ]; then
  # The scale-out test queues tasks in Redis (TASKS_BACKEND=rq).
  command -v redis-server >/dev/null 2>&1 || missing+=(redis-server)
  # manage.py backup/restore on PostgreSQL (and their test): pg_dump, pg_restore, psql. Debian
  # 12's postgresql-client is 15, the server's version; pg_dump must not be older than the server.
  command -v pg_dump >/dev/null 2>&1 || missing+=(postgresql-client)
  # The HTTP benchmarks (python -m bench p1 ipn) drive gunicorn with wrk.
  command -v wrk >/dev/null 2>&1 || missing+=(wrk)
fi
# Every upload is typed by content (libmagic, through python-magic) and scanned by clamd.
ldconfig -p 2>/dev/null | grep -q libmagic.so.1 || missing+=(libmagic1)
[ -x /usr/sbin/clamd ] || command -v clamd >/dev/null 2>&1 || missing+=(clamav-daemon)
# The automated hotline's prompts: espeak-ng speaks Vietnamese (voice vi), sox makes 8 kHz
# telephone audio of it (hotline/speech.py).
command -v espeak-ng >/dev/null 2>&1 || missing+=(espeak-ng)
command -v sox >/dev/null 2>&1 || missing+=(sox)
# WeasyPrint (official papers) needs Pango.
ldconfig -p 2>/dev/null | grep -q libpangoft2-1.0 || missing+=(libpango-1.0-0 libpangoft2-1.0-0)
[ ${#missing[@]} -eq 0 ] && exit 0
sudo_cmd=""
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo_cmd="sudo"; else
    echo "!!! Missing system packages: ${missing[*]} (apt-get install them as root); PDF papers, uploads and browser tests need them !!!" >&2
    exit 0
  fi
fi
echo "Installing system packages: ${missing[*]}" >&2
$sudo_cmd apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" >/dev/null
