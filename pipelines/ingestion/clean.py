"""Cleaning: turn the text rows of `src` into typed rows, each problem named.

Every value is cleaned by the rule for its column kind (macros in
sql/staging/macros.sql); low-cardinality columns through value maps
(pipelines/ingestion/value_maps.py), IDs and names row by row. Each problem becomes a record
(row, column, value, reason, action) and decides the row's fate:

- `tolak`: the row is rejected and goes to the rejects file;
- `tandai`: the row is accepted and flagged for verification (e.g. invalid head NIK);
- `peringatan`: the value is dropped and the row accepted.

The typed rows stream to a parquet file instead of a table, so a file of millions of
rows never holds two full copies in memory. Column names in generated SQL come only
from the contract (a fixed allowlist); values are joined from tables or bound as
parameters, never formatted into SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import duckdb
import pyarrow as pa

from pipelines.cities import City
from pipelines.ingestion.contracts import Column, Contract, Kind, OnInvalid
from pipelines.ingestion.mapping import Mapping
from pipelines.ingestion.readers import RawTable
from pipelines.ingestion.value_maps import build_maps, has_map, lit

SQL_DIR = resources.files("pipelines") / "sql"
# The staging folder of an upload: every typed row, and the rows excluded from it
# (rejected, repeated duplicates, losing conflicts). Publishing reads rows not excluded.
TYPED_FILE = "data.parquet"
EXCLUDED_FILE = "dikecualikan.parquet"
# Kinds that only check other columns and are not kept in the output.
CHECK_ONLY = (Kind.KECAMATAN, Kind.KOTA)


@dataclass
class CleanResult:
    rows_read: int
    rows_skipped: int
    skipped_detail: list[tuple[int, str]]


def load_macros(con: duckdb.DuckDBPyConnection) -> None:
    con.execute((SQL_DIR / "staging" / "macros.sql").read_text(encoding="utf-8"))


def _output_name(col: Column) -> str:
    return "kode_kelurahan" if col.kind is Kind.KELURAHAN else col.name


def _sql_type(col: Column) -> str:
    return {
        Kind.INT: "BIGINT",
        Kind.NUMBER: "DOUBLE",
        Kind.RUPIAH: "DOUBLE",
        Kind.YESNO: "BOOLEAN",
        Kind.DESIL: "INTEGER",
        Kind.DATE: "DATE",
    }.get(col.kind, "VARCHAR")


def output_schema(contract: Contract) -> list[tuple[str, str]]:
    """Columns and DuckDB types of the accepted rows a clean run writes (staging parquet)."""
    cols: list[tuple[str, str]] = [("_baris", "INTEGER")]
    for col in contract.columns:
        if col.kind in CHECK_ONLY:
            continue
        if col.kind is Kind.KELURAHAN:
            cols += [("kode_kelurahan", "VARCHAR"), ("kode_kecamatan", "VARCHAR")]
        else:
            cols.append((col.name, _sql_type(col)))
    if contract.rules is not None:
        cols += [("skor", "INTEGER"), ("fakir_miskin", "BOOLEAN")]
    return cols + [("_ditandai", "BOOLEAN"), ("_alasan_tanda", "VARCHAR")]


def _stage(con: duckdb.DuckDBPyConnection, raw: RawTable, contract: Contract, mapping: Mapping | None) -> None:
    """View `staged`: one text column per contract column (NULL when the file lacks it)."""
    selects = ["s._baris", "s._nfields"]
    joins = []
    value_maps = mapping.values if mapping else {}
    rows = [(k, a, b) for k, m in value_maps.items() for a, b in m.items()]
    con.register(
        "value_map_in",
        pa.table(
            {"kolom": [r[0] for r in rows], "dari": [r[1] for r in rows], "ke": [r[2] for r in rows]},
            schema=pa.schema([("kolom", pa.string()), ("dari", pa.string()), ("ke", pa.string())]),
        ),
    )
    con.execute("CREATE OR REPLACE TEMP TABLE value_map AS SELECT * FROM value_map_in")
    con.unregister("value_map_in")
    for i, col in enumerate(contract.columns):
        if col.name not in raw.columns:
            selects.append(f"NULL::VARCHAR AS {col.name}")
            continue
        src = f"s.c{raw.columns[col.name]}"
        if col.name in value_maps:
            joins.append(
                f"LEFT JOIN value_map vm{i} ON vm{i}.kolom = {lit(col.name)} AND vm{i}.dari = lower(trim({src}))"
            )
            selects.append(f"coalesce(vm{i}.ke, {src}) AS {col.name}")
        else:
            selects.append(f"{src} AS {col.name}")
    con.execute(f"CREATE OR REPLACE TEMP VIEW staged AS SELECT {', '.join(selects)} FROM src s {' '.join(joins)}")


def _skip_blank_and_footer(con: duckdb.DuckDBPyConnection, contract: Contract, raw: RawTable) -> list[tuple[int, str]]:
    """Blank rows and a JUMLAH/TOTAL footer are not data; they are counted, not loaded.

    Blank: every contract column empty (a pre-numbered empty template row is blank too).
    Footer: the row's first non-empty cell, contract column or not (JUMLAH often sits in a
    leading "No" column), starts with JUMLAH/TOTAL, and the row holds no 16-digit ID.
    Either kind of row has an empty or odd value in the first required column, so only those
    rows are examined closely: one cheap test per row on files of millions of rows."""
    required = next(c for c in contract.columns if c.required and c.name in raw.columns)
    first = f"s.c{raw.columns[required.name]}"
    if required.kind is Kind.ID16:
        odd = f"kosong({first}) OR NOT regexp_full_match({first}, '[0-9]{{16}}')"
    else:
        odd = f"kosong({first}) OR regexp_matches(lower({first}), '^\\s*(jumlah|total|grand|sub)')"
    mapped = ", ".join(f"s.c{pos}" for pos in raw.columns.values())
    every = ", ".join(f"s.c{i}" for i in range(len(raw.headers)))
    ids = [f"s.c{raw.columns[c.name]}" for c in contract.columns if c.kind is Kind.ID16 and c.name in raw.columns]
    no_id = " AND ".join(f"NOT regexp_matches(coalesce(id_digits({c}), ''), '^[0-9]{{16}}$')" for c in ids) or "true"
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE skipped AS
        WITH calon AS (
            SELECT s._baris,
                   lower(trim(concat_ws(' ', {mapped}))) AS kontrak,
                   lower(trim(concat_ws(' ', {every}))) AS semua,
                   {no_id} AS tanpa_id
            FROM src s
            WHERE {odd}
        )
        SELECT _baris,
               CASE WHEN regexp_matches(kontrak, '^[\\s.\\-]*$') THEN 'baris kosong' ELSE 'baris jumlah/total' END
                   AS alasan
        FROM calon
        WHERE regexp_matches(kontrak, '^[\\s.\\-]*$')
           OR (tanpa_id AND regexp_matches(semua, '^(jumlah|total|grand total|sub ?total)\\b'))
        """
    )
    return con.execute("SELECT _baris, alasan FROM skipped ORDER BY _baris").fetchall()


def _problem(col: str, value_sql: str, reason_sql: str, action: OnInvalid, cond: str) -> tuple[str, str]:
    """(condition, struct) of one possible problem."""
    struct = f"{{'kolom': {lit(col)}, 'nilai': {value_sql}, 'alasan': {reason_sql}, 'tindakan': {lit(action.value)}}}"
    return cond, struct


def _id_rule(col: Column) -> str:
    return "kk_problem" if col.name == "no_kk" else "nik_problem"


def _column_sql(col: Column, present: bool, selects: list[str], joins: list[str], problems: list) -> None:
    out = _output_name(col)
    raw_val = f"b.{col.name}"
    missing_action = OnInvalid.FLAG if col.on_invalid is OnInvalid.FLAG else OnInvalid.REJECT
    if col.required:
        # Cheapest sign of an empty value: an ID's own check (once per row), a value map (once per
        # distinct value: no entry, or neither value nor problem), else the kosong rule per row.
        m = f"m_{col.name}"
        if col.kind is Kind.ID16:
            missing = f"b._p_{col.name} = 'kosong'"
        elif present and has_map(col):
            missing = f"{m}.r IS NULL OR ({m}.v IS NULL AND {m}.p IS NULL)"
        else:
            missing = f"kosong({raw_val})"
        problems.append(_problem(col.name, raw_val, "'wajib diisi'", missing_action, missing))
    if col.kind is Kind.ID16:
        p = f"b._p_{col.name}"
        selects.append(f"CASE WHEN {p} IS NULL THEN id_digits({raw_val}) END AS {out}")
        problems.append(
            _problem(
                col.name, f"replace({raw_val}, chr(1), '')", p, col.on_invalid, f"{p} IS NOT NULL AND {p} <> 'kosong'"
            )
        )
    elif col.kind is Kind.TEXT:
        selects.append(f"clean_text({raw_val}) AS {out}")
    elif col.kind in CHECK_ONLY:
        if present and col.kind is Kind.KOTA:
            m = f"m_{col.name}"
            joins.append(f"LEFT JOIN {m} ON {m}.r = {raw_val}")
            problems.append(_problem(col.name, raw_val, f"{m}.p", col.on_invalid, f"{m}.p IS NOT NULL"))
    elif not present:
        selects.append(f"NULL::{_sql_type(col)} AS {out}")
        if col.kind is Kind.KELURAHAN:
            selects.append("NULL::VARCHAR AS kode_kecamatan")
    else:
        m = f"m_{col.name}"
        joins.append(f"LEFT JOIN {m} ON {m}.r = {raw_val}")
        selects.append(f"{m}.v::{_sql_type(col)} AS {out}")
        problems.append(_problem(col.name, raw_val, f"{m}.p", col.on_invalid, f"{m}.p IS NOT NULL"))
        if col.kind is Kind.KELURAHAN:
            selects.append(f"{m}.x1 AS kode_kecamatan")
            problems.append(_problem("kecamatan", f"{m}.x0", f"{m}.x2", OnInvalid.WARN, f"{m}.x2 IS NOT NULL"))
        if col.name in ("lintang", "bujur"):
            lo, hi = (-11.5, 6.5) if col.name == "lintang" else (94.5, 141.5)
            problems.append(
                _problem(
                    col.name,
                    raw_val,
                    "'koordinat di luar wilayah Indonesia'",
                    OnInvalid.WARN,
                    f"NOT ({m}.v::DOUBLE BETWEEN {lo} AND {hi})",
                )
            )


def _typed_sql(contract: Contract, raw: RawTable) -> str:
    ids = [c for c in contract.columns if c.kind is Kind.ID16 and c.name in raw.columns]
    # The ID checks (the costliest rules) come from table id_checks, computed once per row:
    # inlined, they would be re-evaluated at every reference.
    id_checks = "".join(f", i._p_{c.name}" for c in ids)
    missing_ids = "".join(
        f", 'kosong' AS _p_{c.name}" for c in contract.columns if c.kind is Kind.ID16 and c.name not in raw.columns
    )
    selects = ["b._baris"]
    joins: list[str] = []
    ncols = len(raw.headers)
    problems = [
        _problem(
            "_baris",
            "b._nfields::VARCHAR",
            f"'baris ini berisi ' || b._nfields || ' kolom, lebih banyak dari judul ({ncols} kolom); isi bergeser'",
            OnInvalid.REJECT,
            f"b._nfields > {ncols}",
        )
    ]
    for col in contract.columns:
        _column_sql(col, col.name in raw.columns, selects, joins, problems)
    if contract.one_of:
        none_valid = " AND ".join(f"b._p_{n} IS NOT NULL" for n in contract.one_of)
        labels = " atau ".join(contract.column(n).label for n in contract.one_of)
        problems.append(
            _problem(
                "/".join(contract.one_of),
                "coalesce(" + ", ".join(f"b.{n}" for n in contract.one_of) + ")",
                lit(f"tidak ada {labels} yang valid"),
                OnInvalid.REJECT,
                none_valid,
            )
        )
    # NULL conditions leave the OR NULL, which CASE reads as false: no coalesce needed.
    any_problem = " OR ".join(f"({cond})" for cond, _ in problems)
    records = ", ".join(f"CASE WHEN {cond} THEN {struct} END" for cond, struct in problems)
    return f"""
        WITH b AS (
            SELECT s.*{id_checks}{missing_ids} FROM staged s
            JOIN id_checks i ON i._baris = s._baris
            ANTI JOIN skipped k ON k._baris = s._baris
        )
        SELECT {", ".join(selects)},
               CASE WHEN {any_problem} THEN list_filter([{records}], lambda x: x IS NOT NULL) END AS _masalah
        FROM b
        {" ".join(joins)}
    """


def staged_select(contract: Contract, alias: str = "r") -> str:
    """Select list turning typed rows (the staging file) into the columns of `output_schema`.

    Verval rows are scored here with the city's rule set (criteria columns come from it);
    flags are read from the problem list kept beside each row.
    """
    names = [n for n, _ in output_schema(contract) if n not in ("skor", "fakir_miskin", "_ditandai", "_alasan_tanda")]
    parts = [f"{alias}.{n}" for n in names]
    if contract.rules is not None:
        rules = contract.rules
        score = " + ".join(f"coalesce({alias}.{c.kode}::INTEGER, 0)" for c in rules.kriteria)
        direct = f"coalesce({alias}.{rules.langsung.kode}, false)" if rules.langsung else "false"
        parts += [f"({score})::INTEGER AS skor", f"({direct} OR ({score}) >= {int(rules.ambang)}) AS fakir_miskin"]
    masalah = f"{alias}._masalah"
    parts += [
        f"coalesce(list_contains(list_transform({masalah}, lambda x: x.tindakan), 'tandai'), false) AS _ditandai",
        f"nullif(array_to_string(list_transform(list_filter({masalah}, lambda x: x.tindakan = 'tandai'), "
        f"lambda x: x.alasan), '; '), '') AS _alasan_tanda",
    ]
    return ", ".join(parts)


def clean(
    con: duckdb.DuckDBPyConnection,
    raw: RawTable,
    contract: Contract,
    city: City,
    mapping: Mapping | None,
    work: Path,
) -> CleanResult:
    """Writes the typed rows to work/TYPED_FILE; leaves views `typed`, `accepted` and tables
    `problems`, `excluded`, `exact_dupes`, `key_conflicts`."""
    load_macros(con)
    rows_total = con.execute("SELECT count(*) FROM src").fetchall()[0][0] + len(raw.bad_lines)
    _stage(con, raw, contract, mapping)
    skipped = _skip_blank_and_footer(con, contract, raw)
    build_maps(con, contract, raw, city)
    ids = [c for c in contract.columns if c.kind is Kind.ID16 and c.name in raw.columns]
    checks = "".join(f", {_id_rule(c)}({c.name}) AS _p_{c.name}" for c in ids)
    con.execute(f"CREATE OR REPLACE TEMP TABLE id_checks AS SELECT _baris{checks} FROM staged")
    typed_file = work / TYPED_FILE
    con.execute(f"COPY ({_typed_sql(contract, raw)}) TO '{typed_file}' (FORMAT parquet, COMPRESSION zstd)")
    con.execute(f"CREATE OR REPLACE TEMP VIEW typed AS SELECT * FROM read_parquet('{typed_file}')")
    con.execute("CREATE OR REPLACE TEMP TABLE bad_lines (_baris INTEGER, alasan VARCHAR, teks VARCHAR)")
    if raw.bad_lines:
        con.executemany("INSERT INTO bad_lines VALUES (?, ?, ?)", raw.bad_lines)
    dedupe(con, contract)
    con.execute(
        f"CREATE OR REPLACE TEMP VIEW accepted AS SELECT {staged_select(contract)} FROM typed r "
        "ANTI JOIN excluded e ON e._baris = r._baris"
    )
    return CleanResult(rows_read=rows_total - len(skipped), rows_skipped=len(skipped), skipped_detail=skipped)


def dedupe(con: duckdb.DuckDBPyConnection, contract: Contract) -> None:
    """Exact duplicates count once; a key with different content is a conflict.

    Rule that wins a conflict: the row with the latest `tanggal_pemutakhiran` when the
    file has it, otherwise the later row in the file (exports append updates).
    """
    cols = [r[0] for r in con.execute("DESCRIBE typed").fetchall() if not r[0].startswith("_")]
    content = "md5(concat_ws(chr(31), " + ", ".join(f"coalesce(t.{c}::VARCHAR, chr(0))" for c in cols) + "))"
    key = [_output_name(contract.column(k)) for k in contract.key]
    dated = any(c.name == "tanggal_pemutakhiran" for c in contract.columns)
    sql = (
        (SQL_DIR / "clean" / "dedupe.sql")
        .read_text(encoding="utf-8")
        .format(
            content_hash=content,
            key_expr="concat_ws(' / ', " + ", ".join(f"t.{k}::VARCHAR" for k in key) + ")" if key else content,
            key_present=" AND ".join(f"t.{k} IS NOT NULL" for k in key) if key else "true",
            winner_order="tanggal_pemutakhiran DESC NULLS LAST, _baris DESC" if dated else "_baris DESC",
            winner_cols="t.tanggal_pemutakhiran" if dated else "NULL::DATE AS tanggal_pemutakhiran",
            key_name="/".join(contract.key) or "-",
            key_label=" dan ".join(contract.column(k).label for k in contract.key) or "-",
        )
    )
    con.execute(sql)
