#!/usr/bin/env bash
# Set up, build the demo lake if none is published yet, and start the dashboard.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements.txt
PY=.venv/bin/python
DATA="${TKPKD_DATA_DIR:-data}"
# The demo is built only into an empty data folder: never beside a city's real uploads.
if [ ! -f "$DATA/lake/manifest.json" ] && [ ! -s "$DATA/raw/unggahan.jsonl" ]; then
  echo "Membangun data contoh (sekali saja, beberapa menit)..."
  "$PY" -m pipelines demo
  "$PY" -m pipelines users init-demo
elif [ ! -f "$DATA/lake/manifest.json" ]; then
  echo "Ada unggahan di $DATA tetapi belum ada versi terbit: terbitkan dengan '$PY -m pipelines publish'."
fi
"$PY" -m pipelines users init-admin
echo "Dasbor: http://localhost:${PORT:-8501}"
exec "$PY" -m streamlit run dashboard.py --server.port "${PORT:-8501}"
