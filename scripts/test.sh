#!/usr/bin/env bash
# The whole test suite: lint, import contract, migrations check, messages, unit + integration tests
# on SQLite and on PostgreSQL (background work on real workers: django-tasks-db and Celery with
# RabbitMQ), and the browser tests in Debian's Chromium.
#   ZHIZAO_TEST_DATABASES="sqlite postgres" (default both)  ZHIZAO_PG_URL to use another server.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
PY=.venv/bin/python
export ZHIZAO_DATA_DIR="${ZHIZAO_DATA_DIR:-$(mktemp -d)}"

echo "== ruff"
.venv/bin/ruff check src tests benchmarks
.venv/bin/ruff format --check src tests benchmarks
echo "== import contracts"
.venv/bin/lint-imports --no-cache
echo "== migrations are complete"
$PY manage.py makemigrations --check --dry-run -v1
echo "== translations are complete and compile"
$PY scripts/check_translations.py
$PY manage.py compilemessages -v0 --ignore=.venv --ignore=.tools
echo "== deploy checks under production settings"
ZHIZAO_ENV=production ZHIZAO_SECRET_KEY="$(head -c 48 /dev/urandom | base64 | tr -d '\n/+=')" \
  ZHIZAO_ALLOWED_HOSTS=zhizao.example.org $PY manage.py check --deploy --fail-level WARNING

PG_URL="${ZHIZAO_PG_URL:-postgres://zhizao:zhizao@127.0.0.1:5432/zhizao}"
start_postgres() {
  if command -v pg_isready >/dev/null && pg_isready -q -h 127.0.0.1 -p 5432; then return 0; fi
  if [ "$(id -u)" = 0 ] && command -v pg_ctlcluster >/dev/null; then
    v=$(ls /etc/postgresql | sort -V | tail -1)
    pg_ctlcluster --skip-systemctl-redirect "$v" main start || true
    for _ in $(seq 60); do pg_isready -q -h 127.0.0.1 -p 5432 && return 0; sleep 0.5; done
  fi
  return 1
}
databases="${ZHIZAO_TEST_DATABASES:-sqlite postgres}"
if [[ " $databases " == *" postgres "* ]] && [ -z "${ZHIZAO_PG_URL:-}" ]; then
  if start_postgres && [ "$(id -u)" = 0 ]; then
    # A role with a password works with trust and with scram authentication alike.
    su postgres -c "psql -q -v ON_ERROR_STOP=1" >/dev/null <<'SQL'
DO $$BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname='zhizao') THEN
    CREATE ROLE zhizao LOGIN CREATEDB PASSWORD 'zhizao';
  END IF;
END$$;
SQL
    su postgres -c "psql -q -tc \"SELECT 1 FROM pg_database WHERE datname='zhizao'\"" | grep -q 1 \
      || su postgres -c "createdb -O zhizao zhizao"
  elif ! start_postgres; then
    echo "PostgreSQL is not running and cannot be started here; set ZHIZAO_PG_URL" >&2
    exit 1
  fi
fi

# The background-work tests run Celery workers against RabbitMQ (ZHIZAO_TEST_BROKER_URL to use
# another broker). Without a broker they fail, so it is started here when it is not running.
broker_up() { (exec 3<>/dev/tcp/127.0.0.1/5672) 2>/dev/null; }
if [ -z "${ZHIZAO_TEST_BROKER_URL:-}" ] && ! broker_up; then
  if [ "$(id -u)" = 0 ] && command -v rabbitmq-server >/dev/null; then
    echo "== starting RabbitMQ"
    rabbitmq-server -detached >/dev/null 2>&1 || true
    for _ in $(seq 120); do broker_up && break; sleep 0.5; done
  fi
  if ! broker_up; then
    echo "RabbitMQ is not running on 127.0.0.1:5672 and cannot be started here;" \
      "install rabbitmq-server or set ZHIZAO_TEST_BROKER_URL" >&2
    exit 1
  fi
fi

# The database passes run side by side (one pytest process each, on a machine's two cores; the
# suite itself is single-threaded), each with its own data directory and pytest temporary
# directory, so nothing on disk is shared. ZHIZAO_TEST_SERIAL=1 runs them one after the other.
# The output of every pass but the first is kept in a file and printed when that pass ends.
pass_dir() { mkdir -p "$ZHIZAO_DATA_DIR/$1" && echo "$ZHIZAO_DATA_DIR/$1"; }
pass_url() { if [ "$1" = postgres ]; then echo "$PG_URL"; else echo "sqlite:///$2/test.sqlite3"; fi; }
status=0
if [ -n "${ZHIZAO_TEST_SERIAL:-}" ]; then
  for db in $databases; do
    echo "== tests on $db"
    dir=$(pass_dir "$db")
    ZHIZAO_DATA_DIR="$dir" DATABASE_URL="$(pass_url "$db" "$dir")" \
      $PY -m pytest -q -p no:cacheprovider --basetemp="$dir/pytest" "$@" || status=1
  done
  exit $status
fi
pids=()
first=""
# a pass left running when this script stops (an error, Ctrl-C, a kill) is stopped with it
stop_passes() { for e in "${pids[@]}"; do kill "${e#*:}" 2>/dev/null || true; done; }
trap stop_passes EXIT
trap 'exit 130' INT TERM
for db in $databases; do
  if [ -z "$first" ]; then
    first=$db
    continue
  fi
  echo "== tests on $db: started alongside, output follows when it ends"
  dir=$(pass_dir "$db")
  # a simple command in the background: $! is pytest itself, so the trap can stop it
  ZHIZAO_DATA_DIR="$dir" DATABASE_URL="$(pass_url "$db" "$dir")" \
    $PY -m pytest -q -p no:cacheprovider --basetemp="$dir/pytest" "$@" >"$ZHIZAO_DATA_DIR/$db.log" 2>&1 &
  pids+=("$db:$!")
done
echo "== tests on $first"
dir=$(pass_dir "$first")
# in the background too, with its output here: a signal to this script interrupts `wait`
# (not a foreground command), so the traps above stop every pass at once
ZHIZAO_DATA_DIR="$dir" DATABASE_URL="$(pass_url "$first" "$dir")" \
  $PY -m pytest -q -p no:cacheprovider --basetemp="$dir/pytest" "$@" &
pids+=("$first:$!")
wait "$!" || status=1
unset 'pids[-1]'
for entry in "${pids[@]}"; do
  db=${entry%%:*}
  wait "${entry#*:}" || status=1
  echo "== tests on $db"
  cat "$ZHIZAO_DATA_DIR/$db.log"
done
exit $status
