#!/usr/bin/env bash
# Set up, build the demo lake if none is published yet, and start the dashboard.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh requirements.txt
.venv/bin/python -m pipelines demo --if-missing
if [ -f dashboard.py ]; then
  exec .venv/bin/python -m streamlit run dashboard.py --server.port "${PORT:-8501}" --server.headless true
else
  echo "Data contoh siap di data/lake. Dasbor belum tersedia di versi ini."
fi
