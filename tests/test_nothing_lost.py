"""Property: whatever the rows hold, every data row read is either accepted or rejected."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given
from hypothesis import settings as hyp_settings
from hypothesis import strategies as st

from pipelines.ingestion.ingest import ingest
from pipelines.ingestion.readers import FileRejected
from pipelines.settings import Settings
from tests.builders import KELUARGA_HEADER, kk, nik, write_csv

VALUES = {
    0: st.one_of(st.integers(1, 30).map(kk), st.sampled_from(["", "12345", "6.17101E+15", "abc", "6171012502109999"])),
    1: st.one_of(st.integers(1, 30).map(nik), st.sampled_from(["", "617101", "9999999999999999"])),
    2: st.sampled_from(["Ani", "", "Budi Santoso", "=1+1", "  "]),
    3: st.sampled_from(["Akcaya", "Sei Jawi Dalam", "6171011002", "Lok Tuan", "Akcayaa", "", "Kel. Tengah"]),
    4: st.sampled_from(["1", "05", "RW 5", "0", "", "x"]),
    5: st.sampled_from(["2", "RT 05", "005", "", "1000"]),
    6: st.sampled_from(["1", "Desil 3", "DESIL 10", "11", "", "tiga"]),
    7: st.sampled_from(["Tanah", "Keramik", "", "entah"]),
    8: st.sampled_from(["PDAM", "Sungai", ""]),
    9: st.sampled_from(["Tidak ada", "Milik sendiri", ""]),
    10: st.sampled_from(["Ya", "T", "1", "mungkin", ""]),
}
ROW = st.tuples(*(VALUES[i] for i in range(len(KELUARGA_HEADER)))).map(list)


@hyp_settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(ROW, min_size=1, max_size=25), delimiter=st.sampled_from([",", ";"]), duplicate=st.booleans())
def test_accepted_plus_rejected_equals_read(rows, delimiter, duplicate):
    if duplicate:
        rows = rows + rows[:3]
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(Path(tmp) / "data", None, "500MB", 1)
        path = write_csv(Path(tmp) / "acak.csv", KELUARGA_HEADER, rows, delimiter=delimiter)
        data_rows = sum(1 for r in rows if any(str(v).strip() for v in r))
        try:
            report = ingest("keluarga", path, "2025-Q4", settings=settings).report
        except FileRejected as exc:
            # Refused only when nothing could be used: no data rows, or every row rejected.
            assert "tidak berisi baris data" in str(exc) or f"Semua {data_rows} baris ditolak" in str(exc)
            return
        assert report["baris_dibaca"] == data_rows
        assert report["baris_diterima"] + report["baris_ditolak"] == report["baris_dibaca"]
