"""Value maps: each low-cardinality column is cleaned once per distinct value.

RT, desil, yes/no, floor type, dates, kelurahan and periods have few distinct values
even in a file of millions of rows, so the rule runs on the distinct values and the
result (clean value `v`, problem `p`) is joined back. A map is a temp table `m_<column>`
with columns r (raw text), v (clean value), p (problem or NULL) and, for kelurahan,
x0..x2 (the kecamatan as written, the kelurahan's kecamatan code, a mismatch warning).
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from pipelines.cities import City
from pipelines.ingestion.contracts import Column, Contract, Kind
from pipelines.ingestion.readers import RawTable
from pipelines.periods import parse_period
from pipelines.regions import region_index, resolve_any_level, resolve_city

# Kinds cleaned by an SQL rule applied to `r`: (rule, type, problem).
SQL_RULES = {
    Kind.RTRW: ("rtrw(r)", "VARCHAR", "tidak terbaca sebagai nomor RT/RW (contoh yang benar: 5, 05, 005, RT 05)"),
    Kind.YESNO: ("yesno(r)", "BOOLEAN", "bukan ya/tidak (contoh: Ya, Tidak, Y, T, 1, 0)"),
    Kind.DESIL: ("desil(r)", "INTEGER", "desil harus angka 1 sampai 10 (contoh: 3, Desil 3)"),
    Kind.INT: ("bilangan_bulat(r)", "BIGINT", "bukan bilangan bulat"),
    Kind.NUMBER: ("angka(r)", "DOUBLE", "bukan angka (tulis 1.234.567 atau 12,5)"),
    Kind.RUPIAH: ("angka(r)", "DOUBLE", "bukan nilai rupiah (tulis 1.500.000)"),
    Kind.COORD: ("koordinat(r)", "DOUBLE", "bukan koordinat derajat desimal (tulis -0,0345 atau 109.3427)"),
    Kind.DATE: ("tanggal(r)", "DATE", "tanggal tidak terbaca (tulis 19/12/2025 atau 19 Desember 2025)"),
    Kind.SEX: ("jenis_kelamin(r)", "VARCHAR", "jenis kelamin harus L atau P"),
}
CATEGORY_PROBLEM = "nilai tidak dikenali; tambahkan ke berkas pemetaan bagian [nilai]"
# Kinds resolved in Python (reference data), still once per distinct value.
PYTHON_KINDS = (Kind.KELURAHAN, Kind.KOTA, Kind.PERIOD, Kind.WILAYAH)


def lit(text: str) -> str:
    """A constant from this package (never user input) as an SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def has_map(col: Column) -> bool:
    return col.kind in SQL_RULES or col.kind is Kind.CATEGORY or col.kind in PYTHON_KINDS


def _distinct(con: duckdb.DuckDBPyConnection, *columns: str) -> list[tuple]:
    """Distinct non-missing values (missing-value checks run on the distinct values only)."""
    cols = ", ".join(columns)
    return con.execute(f"SELECT * FROM (SELECT DISTINCT {cols} FROM staged) WHERE NOT kosong({columns[0]})").fetchall()


def _register(con: duckdb.DuckDBPyConnection, name: str, rows: list[tuple], width: int) -> None:
    fields = ["r", "v", "p", *[f"x{i}" for i in range(width - 3)]]
    table = pa.table({f: pa.array([row[i] for row in rows], pa.string()) for i, f in enumerate(fields)})
    con.register(f"{name}_in", table)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_in")
    con.unregister(f"{name}_in")


def _sql_map(con: duckdb.DuckDBPyConnection, col: Column) -> None:
    if col.kind is Kind.CATEGORY:
        expr, typ, problem = f"cat_{col.category}(r)", "VARCHAR", CATEGORY_PROBLEM
    elif col.kind is Kind.INT:
        # angka() once, then the integer test: nesting bilangan_bulat() would inline angka() thrice
        # (macros expand, they are not evaluated once), which DuckDB takes seconds to plan.
        expr, typ, problem = "angka(r)", "DOUBLE", SQL_RULES[Kind.INT][2]
    else:
        expr, typ, problem = SQL_RULES[col.kind]
    valid = "v0 IS NOT NULL"
    if col.kind is Kind.INT:
        valid = "v0 IS NOT NULL AND v0 = floor(v0) AND abs(v0) < 1e15"
    # Counts and rupiah cannot be negative.
    negative = "v0 < 0" if col.kind in (Kind.INT, Kind.RUPIAH) else "false"
    out_type = "BIGINT" if col.kind is Kind.INT else typ
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE m_{col.name} AS
        SELECT r,
               CASE WHEN {valid} AND NOT ({negative}) THEN v0 END::{out_type} AS v,
               CASE WHEN kosong(r) THEN NULL
                    WHEN NOT ({valid}) THEN {lit(problem)}
                    WHEN {negative} THEN 'tidak boleh negatif' END AS p
        FROM (
            SELECT r, ({expr})::{typ} AS v0
            FROM (SELECT DISTINCT {col.name} AS r FROM staged WHERE {col.name} IS NOT NULL)
        )
        """
    )


def build_maps(con: duckdb.DuckDBPyConnection, contract: Contract, raw: RawTable, city: City) -> None:
    index = region_index(city.kode)
    for col in contract.columns:
        if col.name not in raw.columns or not has_map(col):
            continue
        name = f"m_{col.name}"
        if col.kind in SQL_RULES or col.kind is Kind.CATEGORY:
            _sql_map(con, col)
        elif col.kind is Kind.KELURAHAN:
            kec = "kecamatan" if "kecamatan" in raw.columns and "kecamatan" in contract.names else "NULL::VARCHAR"
            rows = []
            for kel, kec_value in _distinct(con, col.name, kec):
                res = index.resolve(kel)
                warn = index.check_kecamatan(res.kode, kec_value) if res.kode else None
                rows.append((kel, res.kode, res.alasan, kec_value, index.kecamatan_of.get(res.kode), warn))
            _register(con, name, rows, 6)
        elif col.kind is Kind.KOTA:
            _register(con, name, [(v, None, resolve_city(v, city)) for (v,) in _distinct(con, col.name)], 3)
        elif col.kind is Kind.PERIOD:
            allow_year = contract.name == "indikator_wilayah"
            rows = [(v, *parse_period(v, allow_year=allow_year)) for (v,) in _distinct(con, col.name)]
            _register(con, name, rows, 3)
        elif col.kind is Kind.WILAYAH:
            _register(con, name, [(v, *resolve_any_level(v, city)) for (v,) in _distinct(con, col.name)], 3)
