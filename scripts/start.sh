#!/usr/bin/env bash
# Set up, build the demo lake if none is published yet, and start the dashboard.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements.txt
PY=.venv/bin/python
if [ ! -f "${TKPKD_DATA_DIR:-data}/lake/manifest.json" ]; then
  echo "Membangun data contoh (sekali saja, beberapa menit)..."
  "$PY" -m pipelines demo
  "$PY" -m pipelines users init-demo
fi
"$PY" -m pipelines users init-admin
echo "Dasbor: http://localhost:${PORT:-8501}"
exec "$PY" -m streamlit run dashboard.py --server.port "${PORT:-8501}"
