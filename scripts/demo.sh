#!/usr/bin/env bash
# Run Zhizao with realistic demo data on SQLite: web server and task worker on 127.0.0.1:8000.
#   ZHIZAO_DEMO_SIZE=2000 (organisations), ZHIZAO_ADDR=127.0.0.1:8000, DATABASE_URL to use another DB.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/bootstrap.sh
PY=.venv/bin/python
$PY manage.py migrate -v0
$PY manage.py registry_load_reference
$PY manage.py registry_demo --size "${ZHIZAO_DEMO_SIZE:-2000}"
$PY manage.py diagnosis_demo
$PY manage.py policies_demo
$PY manage.py match_demo
$PY manage.py events_demo
$PY manage.py calls_demo
$PY manage.py classroom_demo
# after the calls demo (it needs this year's 双十 call with applications past formal review)
$PY manage.py review_demo
$PY manage.py insights_demo
# The ranking snapshot with every listing embedded (minutes of CPU, once: kept in the data
# directory), so that the pages rank from the first request; the worker, at low priority, then
# only keeps it fresh. Without it the web server would embed the listings itself while serving.
$PY manage.py match_snapshot >/dev/null
ADDR="${ZHIZAO_ADDR:-127.0.0.1:8000}"
$PY manage.py worker --no-reload -v0 & WORKER=$!
$PY manage.py runserver "$ADDR" --noreload & WEB=$!
trap 'kill $WORKER $WEB 2>/dev/null; wait 2>/dev/null' EXIT INT TERM
echo
echo "Zhizao demo: http://$ADDR/   (Ctrl-C stops the web server and the worker)"
wait -n $WORKER $WEB
