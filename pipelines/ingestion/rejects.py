"""The rejects and notes files, and the counts an ingest reports.

Rejected rows go to `penolakan.csv` with the row number in the source, the column (as headed
in the file), the value, the reason in Bahasa Indonesia and the original row, so the analyst
can fix and re-upload. Flags and warnings go to `catatan.csv` the same way.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

from pipelines.ingestion.headers import RawTable


def problem_table(con, raw: RawTable, action_filter: str) -> pa.Table:
    """Problems of one kind joined with the row as it was read, headers as in the file."""
    originals = ", ".join(f"replace(s.c{i}, chr(1), '') AS c{i}" for i in range(len(raw.headers)))
    table = con.sql(
        f"""
        SELECT p.baris, p.kolom, replace(p.nilai, chr(1), '') AS nilai, p.alasan, {originals}
        FROM problems p LEFT JOIN src s ON s._baris = p.baris
        WHERE p.tindakan {action_filter}
        ORDER BY p.baris, p.kolom
        """
    ).to_arrow_table()
    header_of = {name: raw.headers[pos] for name, pos in raw.columns.items()}
    kolom = pc.cast(table.column("kolom"), pa.string()).to_pylist()
    table = table.set_column(1, "kolom", pa.array([header_of.get(k, k) for k in kolom], pa.string()))
    names = ["baris", "kolom", "nilai", "alasan"] + [
        f"{h or f'kolom_{i + 1}'} (asli)" for i, h in enumerate(raw.headers)
    ]
    return table.rename_columns(_unique(names))


def _unique(names: list[str]) -> list[str]:
    seen: dict[str, int] = {}
    out = []
    for n in names:
        seen[n] = seen.get(n, 0) + 1
        out.append(n if seen[n] == 1 else f"{n} ({seen[n]})")
    return out


def summarise(con, raw: RawTable) -> dict:
    header_of = {name: raw.headers[pos] for name, pos in raw.columns.items()}
    # Reasons are grouped without the row they point to ("sama dengan baris 12"): every row number
    # would make its own group. Digit and column counts are few and tell the fix, so they stay.
    by_reason = con.execute(
        """
        SELECT kolom,
               regexp_replace(regexp_replace(alasan, '; baris [0-9]+ yang', '; baris itu yang', 'g'),
                              'baris [0-9]+', 'baris lain', 'g') AS alasan,
               count(DISTINCT baris) AS n
        FROM problems WHERE tindakan = 'tolak' GROUP BY ALL ORDER BY n DESC, alasan
        """
    ).fetchall()
    flagged = con.execute("SELECT count(*) FROM accepted WHERE _ditandai").fetchall()[0][0]
    warnings = con.execute("SELECT count(*) FROM problems WHERE tindakan = 'peringatan'").fetchall()[0][0]
    conflicts = con.execute("SELECT count(DISTINCT _kunci) FROM key_conflicts").fetchall()[0][0]
    duplicates = con.execute("SELECT count(*) FROM exact_dupes").fetchall()[0][0]
    rejected = con.execute("SELECT count(DISTINCT baris) FROM problems WHERE tindakan = 'tolak'").fetchall()[0][0]
    accepted = con.execute("SELECT count(*) FROM accepted").fetchall()[0][0]
    has_area = "kode_kelurahan" in [r[0] for r in con.execute("DESCRIBE typed").fetchall()]
    per_area = con.execute(
        """
        SELECT t.kode_kelurahan, count(DISTINCT p.baris)
        FROM problems p LEFT JOIN typed t ON t._baris = p.baris
        WHERE p.tindakan = 'tolak' GROUP BY 1 ORDER BY 1 NULLS LAST
        """
        if has_area
        else "SELECT NULL, count(DISTINCT baris) FROM problems WHERE tindakan = 'tolak' HAVING count(*) > 0"
    ).fetchall()
    return {
        "ditolak_per_kelurahan": {(k or "tidak_diketahui"): n for k, n in per_area},
        "baris_diterima": accepted,
        "baris_ditolak": rejected,
        "ditolak_menurut_alasan": {f"{header_of.get(k, k)}: {a}": n for k, a, n in by_reason},
        "baris_ditandai": flagged,
        "peringatan": warnings,
        "konflik_kunci": conflicts,
        "duplikat_persis": duplicates,
    }
