"""The evaluation's estimates computed at publish, so that no meeting waits for them.

The bootstrap intervals of `stats.estimate` are the heavy part of an evaluation and the same for
every user who sees the same area. At publish (pipelines/lake/publish.py) they are computed for
the whole city and for each kecamatan, in every period of the version, and written into the
version as the table `evaluasi_hasil`: one row per area, period, programme and outcome, the
columns of `stats.COLUMNS`. `programmes.evaluate` takes those rows when the version holds them
for the area and period asked, and computes on demand otherwise (a kelurahan, or a version
published before this table existed). Both ways run `stats.estimate` on the same cells (the read
side's `evaluasi_sel` query for the area, then the periods up to the one asked), so they give the
same numbers: the bootstrap is seeded per programme and outcome.

This module imports the statistics and nothing that reads the lake: the lake's publish imports it
(tests/test_import_hygiene.py allows this one module).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor

import pandas as pd

from pipelines.evaluation.stats import COLUMNS, estimate, typed

TABLE = "evaluasi_hasil"
KEY = ("kode_wilayah", "periode")
# The published table's sort key (unique per row: an estimate is one programme and outcome).
ORDER = "kode_wilayah, periode, kode_program, hasil"


def cells_upto(cells: pd.DataFrame, periods: Sequence[str], period: str) -> pd.DataFrame:
    """The cells an evaluation of `period` pools: every cohort whose "after" period is at or before it
    (`periods` in time order, as the manifest lists them)."""
    upto = list(periods[: list(periods).index(period) + 1])
    return cells[cells["periode_sesudah"].isin(upto)]


def results(cells_by_area: Mapping[str, pd.DataFrame], periods: Sequence[str], *, workers: int = 1) -> pd.DataFrame:
    """The estimates of every area given (its code -> the read side's cells for it) in every period.

    A period that adds no cells to the one before gives the same estimates: they are computed once. A
    period without cells has no rows (an evaluation of it computes nothing anyway). With `workers` > 1
    the estimates run on that many threads (the bootstrap's draws release the interpreter lock); every
    estimate has its own seeded stream, so the rows are the same whatever the number of threads."""
    jobs: list[pd.DataFrame] = []  # distinct sets of cells to estimate, in a fixed order
    rows_of: list[tuple[str, str, int]] = []  # area, period -> index in jobs
    for area, cells in cells_by_area.items():
        count = -1
        for period in periods:
            rows = cells_upto(cells, periods, period)
            if rows.empty:
                continue
            if len(rows) != count:  # the pooled cells only grow with the period: same count, same cells
                jobs.append(rows)
                count = len(rows)
            rows_of.append((area, period, len(jobs) - 1))
    if workers > 1 and len(jobs) > 1:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            estimates = list(pool.map(estimate, jobs))
    else:
        estimates = [estimate(rows) for rows in jobs]
    frames = [estimates[job].assign(kode_wilayah=area, periode=period) for area, period, job in rows_of]
    columns = [*KEY, *COLUMNS]
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    return typed(table).astype({k: "str" for k in KEY})[columns]
