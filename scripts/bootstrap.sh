#!/usr/bin/env bash
# Install what Zhizao needs on this machine; idempotent. Called by demo.sh and test.sh.
#   - as root on Debian: the Debian packages below (apt-get)
#   - a Python >= 3.12 (PATH first, then pyenv; else uv fetches one on machines with internet)
#   - uv in a private tools venv (.tools/), then the locked dependencies into .venv/, the
#     optional ones too (the `celery` extra: the tests run the background work on Celery)
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PKGS="python3-venv gettext fonts-noto-cjk ffmpeg libpango-1.0-0 libpangoft2-1.0-0 chromium postgresql postgresql-contrib redis-server rabbitmq-server"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  missing=""
  for p in $APT_PKGS; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
  if [ -n "$missing" ]; then
    echo "bootstrap: installing Debian packages:$missing"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
  fi
else
  for p in $APT_PKGS; do
    dpkg -s "$p" >/dev/null 2>&1 || echo "bootstrap: note: Debian package $p is missing (as root: apt-get install $p)" >&2
  done
fi

find_python() {
  local c
  local pyenv_root
  pyenv_root=$(pyenv root 2>/dev/null || echo "${HOME:-/root}/.pyenv")
  for c in python3.13 python3.12 python3 $(ls -d "$pyenv_root"/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do
    if "$c" -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then
      "$c" -c 'import sys; print(sys.executable)'
      return 0
    fi
  done
  return 1
}
if [ -z "${UV_PYTHON:-}" ]; then UV_PYTHON=$(find_python || true); export UV_PYTHON; fi

if [ ! -x .tools/bin/uv ]; then
  base_python=$(command -v python3)
  "$base_python" -m venv .tools
  .tools/bin/pip install -q "uv>=0.13,<0.14"
fi
# --compile-bytecode: the dependencies start from bytecode even where PYTHONDONTWRITEBYTECODE
# is set (compiling ~1,200 modules cost 5.8 s of CPU on every `zhizao` command; benchmarks.md)
if [ -n "$UV_PYTHON" ]; then
  .tools/bin/uv sync --locked --all-extras -q --compile-bytecode --python "$UV_PYTHON"
else
  .tools/bin/uv sync --locked --all-extras -q --compile-bytecode
fi
.venv/bin/python manage.py compilemessages -v0 --ignore=.venv --ignore=.tools >/dev/null
