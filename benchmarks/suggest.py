"""Mapping suggestion speed: a 60-column survey export, 17,000 rows (target: under 1 s).

    python benchmarks/suggest.py [--runs 5]

Beside the suggestion it prints a yardstick run in the same process: reading the same file's first
rows with Python's csv module, which the suggestion must do anyway, and the ratio.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pipelines.cities import get_city  # noqa: E402
from pipelines.ingestion.suggest import suggest  # noqa: E402

PLACES = [("bontang_selatan", "berbas_tengah"), ("bontang_utara", "api_api"), ("bontang_selatan", "Tanjung_laut")]


def write_survey(path: Path, rows: int = 17_000, columns: int = 60) -> None:
    header = ["no_keluarga", "kecamatan", "kelurahan", *(f"ind_{i}" for i in range(1, 9)), "jumlah_indikator"]
    header += [f"kolom_survei_{i}" for i in range(columns - len(header))]
    with path.open("w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow(header)
        for r in range(rows):
            kecamatan, kelurahan = PLACES[r % len(PLACES)]
            criteria = ["Memenuhi Kriteria" if (r + i) % 3 == 0 else "Tidak" for i in range(8)]
            out.writerow([r // 3 + 1, kecamatan, kelurahan, *criteria, 3, *(str(r % 7) for _ in header[12:])])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("TKPKD_DATA_DIR", tempfile.mkdtemp())
    city = get_city("64.74")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "survei.csv"
        write_survey(path)
        suggest(path, city)  # first call builds the city's region index once per process
        took, yardstick = [], []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            found = suggest(path, city)
            t1 = time.perf_counter()
            with path.open(encoding="utf-8") as fh:
                head = [row for _, row in zip(range(200), csv.reader(fh))]
            t2 = time.perf_counter()
            took.append(t1 - t0)
            yardstick.append(t2 - t1)
        median, bare = statistics.median(took), statistics.median(yardstick)
        print(f"cores: {os.cpu_count()}; file: {path.stat().st_size / 1e6:.1f} MB, 60 columns, 17,000 rows")
        print(f"suggestion ({found.source}, {sum(p.header is not None for p in found.proposals)} columns proposed): ")
        print(f"  {median:.3f} s median of {args.runs}  (target < 1 s: {'PASS' if median < 1 else 'FAIL'})")
        print(
            f"  yardstick: csv module reading the first {len(head)} rows {bare * 1000:.2f} ms; ratio {median / bare:.0f}x"
        )


if __name__ == "__main__":
    main()
