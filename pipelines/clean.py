"""Cleaning: turn the text rows of `src` into typed rows, each problem named.

Every value is cleaned by the rule for its column kind (macros in
sql/staging/macros.sql). Most columns have few distinct values (RT, desil, yes/no,
floor type, dates), so each rule runs once per distinct value and is joined back;
only IDs and names are cleaned row by row. Each problem becomes a record
(row, column, value, reason, action) and decides the row's fate:

- `tolak`: the row is rejected and goes to the rejects file;
- `tandai`: the row is accepted and flagged for verification (e.g. invalid head NIK);
- `peringatan`: the value is dropped and the row accepted.

Column names in generated SQL come only from the contract (a fixed allowlist);
values are bound as parameters or joined from tables, never formatted into SQL.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

import duckdb
import pyarrow as pa

from pipelines.cities import City
from pipelines.contracts import Column, Contract, Kind, OnInvalid
from pipelines.mapping import Mapping
from pipelines.periods import parse_period
from pipelines.readers import RawTable
from pipelines.regions import region_index, resolve_any_level, resolve_city

SQL_DIR = resources.files("pipelines") / "sql"

# Kinds cleaned once per distinct value, with the SQL rule applied to `r`.
LOW_CARDINALITY_SQL = {
    Kind.RTRW: ("rtrw(r)", "VARCHAR", "tidak terbaca sebagai nomor RT/RW (contoh yang benar: 5, 05, 005, RT 05)"),
    Kind.YESNO: ("yesno(r)", "BOOLEAN", "bukan ya/tidak (contoh: Ya, Tidak, Y, T, 1, 0)"),
    Kind.DESIL: ("desil(r)", "INTEGER", "desil harus angka 1 sampai 10 (contoh: 3, Desil 3)"),
    Kind.INT: ("bilangan_bulat(r)", "BIGINT", "bukan bilangan bulat"),
    Kind.NUMBER: ("angka(r)", "DOUBLE", "bukan angka (tulis 1.234.567 atau 12,5)"),
    Kind.RUPIAH: ("angka(r)", "DOUBLE", "bukan nilai rupiah (tulis 1.500.000)"),
    Kind.DATE: ("tanggal(r)", "DATE", "tanggal tidak terbaca (tulis 19/12/2025 atau 19 Desember 2025)"),
    Kind.SEX: ("jenis_kelamin(r)", "VARCHAR", "jenis kelamin harus L atau P"),
}
CATEGORY_PROBLEM = "nilai tidak dikenali; tambahkan ke berkas pemetaan bagian [nilai]"
PYTHON_RESOLVED = (Kind.KELURAHAN, Kind.KOTA, Kind.PERIOD, Kind.WILAYAH, Kind.KECAMATAN)


@dataclass
class CleanResult:
    rows_read: int
    rows_skipped: int
    skipped_detail: list[tuple[int, str]]


def load_macros(con: duckdb.DuckDBPyConnection) -> None:
    con.execute((SQL_DIR / "staging" / "macros.sql").read_text(encoding="utf-8"))


def _lit(text: str) -> str:
    """A constant from this module (never user input) as an SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _output_name(col: Column) -> str:
    return "kode_kelurahan" if col.kind is Kind.KELURAHAN else col.name


# Kinds that only check other columns and are not kept in the output.
CHECK_ONLY = (Kind.KECAMATAN, Kind.KOTA)


def _stage(con: duckdb.DuckDBPyConnection, raw: RawTable, contract: Contract, mapping: Mapping | None) -> None:
    """`staged`: one text column per contract column (NULL when the file lacks it)."""
    selects = ["s._baris", "s._nfields"]
    joins = []
    value_maps = mapping.values if mapping else {}
    rows = [(k, a, b) for k, m in value_maps.items() for a, b in m.items()]
    if rows:
        con.register(
            "value_map_in",
            pa.table({"kolom": [r[0] for r in rows], "dari": [r[1] for r in rows], "ke": [r[2] for r in rows]}),
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
                f"LEFT JOIN value_map vm{i} ON vm{i}.kolom = {_lit(col.name)} AND vm{i}.dari = lower(trim({src}))"
            )
            selects.append(f"coalesce(vm{i}.ke, {src}) AS {col.name}")
        else:
            selects.append(f"{src} AS {col.name}")
    con.execute(f"CREATE OR REPLACE TEMP TABLE staged AS SELECT {', '.join(selects)} FROM src s {' '.join(joins)}")


def _skip_blank_and_footer(con: duckdb.DuckDBPyConnection, contract: Contract) -> list[tuple[int, str]]:
    """Blank rows and a JUMLAH/TOTAL footer are not data; they are counted, not loaded."""
    names = contract.names
    all_empty = " AND ".join(f"clean_text({n}) IS NULL" for n in names)
    firsts = "coalesce(" + ", ".join(f"clean_text({n})" for n in names) + ")"
    keys = [c.name for c in contract.columns if c.kind is Kind.ID16] or [contract.columns[0].name]
    # A footer carries no ID: its first cell is the word JUMLAH/TOTAL, often in the ID column.
    keys_empty = " AND ".join(f"NOT regexp_matches(coalesce(id_digits({k}), ''), '^[0-9]{{16}}$')" for k in keys)
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE skipped AS
        SELECT _baris, CASE WHEN {all_empty} THEN 'baris kosong' ELSE 'baris jumlah/total' END AS alasan
        FROM staged
        WHERE ({all_empty})
           OR ({keys_empty} AND regexp_matches(lower({firsts}), '^(jumlah|total|grand total|sub ?total)\\b'))
        """
    )
    con.execute("DELETE FROM staged WHERE _baris IN (SELECT _baris FROM skipped)")
    return con.execute("SELECT _baris, alasan FROM skipped ORDER BY _baris").fetchall()


def _distinct_values(con: duckdb.DuckDBPyConnection, column: str) -> list[str]:
    sql = f"SELECT DISTINCT {column} FROM staged WHERE clean_text({column}) IS NOT NULL"
    return [r[0] for r in con.execute(sql).fetchall()]


def _register_map(con: duckdb.DuckDBPyConnection, name: str, rows: list[tuple], types: list[pa.DataType]) -> None:
    fields = ["r", "v", "p", *[f"x{i}" for i in range(len(types) - 3)]]
    table = pa.table({f: pa.array([row[i] for row in rows], t) for i, (f, t) in enumerate(zip(fields, types))})
    con.register(f"{name}_in", table)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_in")
    con.unregister(f"{name}_in")


def _build_maps(con: duckdb.DuckDBPyConnection, contract: Contract, raw: RawTable, city: City) -> None:
    index = region_index(city.kode)
    for col in contract.columns:
        if col.name not in raw.columns:
            continue
        name = f"m_{col.name}"
        if col.kind in LOW_CARDINALITY_SQL or col.kind is Kind.CATEGORY:
            if col.kind is Kind.CATEGORY:
                expr, typ, problem = f"cat_{col.category}(r)", "VARCHAR", CATEGORY_PROBLEM
            else:
                expr, typ, problem = LOW_CARDINALITY_SQL[col.kind]
            # Counts and rupiah cannot be negative.
            negative = f"{expr} < 0" if col.kind in (Kind.INT, Kind.RUPIAH) else "false"
            con.execute(
                f"""
                CREATE OR REPLACE TEMP TABLE {name} AS
                SELECT r, CASE WHEN NOT coalesce({negative}, false) THEN {expr} END::{typ} AS v,
                       CASE WHEN clean_text(r) IS NULL THEN NULL
                            WHEN {expr} IS NULL THEN {_lit(problem)}
                            WHEN {negative} THEN 'tidak boleh negatif' END AS p
                FROM (SELECT DISTINCT {col.name} AS r FROM staged WHERE {col.name} IS NOT NULL)
                """
            )
        elif col.kind is Kind.KELURAHAN:
            kec_col = "kecamatan" if "kecamatan" in raw.columns and "kecamatan" in contract.names else None
            pairs = con.execute(
                f"SELECT DISTINCT {col.name}, {kec_col or 'NULL::VARCHAR'} FROM staged "
                f"WHERE clean_text({col.name}) IS NOT NULL"
            ).fetchall()
            rows = []
            for kel, kec in pairs:
                res = index.resolve(kel, kec)
                warn = index.check_kecamatan(res.kode, kec) if res.kode else None
                rows.append((kel, res.kode, res.alasan, kec, index.kecamatan_of.get(res.kode), warn))
            _register_map(con, name, rows, [pa.string()] * 6)
        elif col.kind is Kind.KOTA:
            rows = [(v, None, resolve_city(v, city)) for v in _distinct_values(con, col.name)]
            _register_map(con, name, rows, [pa.string()] * 3)
        elif col.kind is Kind.KECAMATAN:
            continue  # checked beside the kelurahan it should contain
        elif col.kind is Kind.PERIOD:
            rows = []
            for v in _distinct_values(con, col.name):
                period, problem = parse_period(v, allow_year=contract.name == "indikator_wilayah")
                rows.append((v, period, problem))
            _register_map(con, name, rows, [pa.string()] * 3)
        elif col.kind is Kind.WILAYAH:
            rows = [(v, *resolve_any_level(v, city)) for v in _distinct_values(con, col.name)]
            _register_map(con, name, rows, [pa.string()] * 3)


def _problem(col: str, value_sql: str, reason_sql: str, action: OnInvalid, cond: str) -> str:
    return (
        f"CASE WHEN {cond} THEN {{'kolom': {_lit(col)}, 'nilai': {value_sql}, 'alasan': {reason_sql}, "
        f"'tindakan': {_lit(action.value)}}} END"
    )


def _typed_sql(contract: Contract, raw: RawTable) -> str:
    selects = ["s._baris"]
    joins: list[str] = []
    problems: list[str] = []
    ncols = len(raw.headers)
    problems.append(
        _problem(
            "_baris",
            "s._nfields::VARCHAR",
            f"'baris ini berisi ' || s._nfields || ' kolom, lebih banyak dari judul ({ncols} kolom); isi bergeser'",
            OnInvalid.REJECT,
            f"s._nfields > {ncols}",
        )
    )
    for col in contract.columns:
        out = _output_name(col)
        present = col.name in raw.columns
        raw_val = f"s.{col.name}"
        missing_action = OnInvalid.FLAG if col.on_invalid is OnInvalid.FLAG else OnInvalid.REJECT
        if col.required:
            problems.append(
                _problem(col.name, raw_val, "'wajib diisi'", missing_action, f"clean_text({raw_val}) IS NULL")
            )
        if col.kind is Kind.ID16:
            rule = "kk_problem" if col.name == "no_kk" else "nik_problem"
            selects.append(f"CASE WHEN {rule}({raw_val}) IS NULL THEN id_digits({raw_val}) END AS {out}")
            problems.append(
                _problem(
                    col.name,
                    f"replace({raw_val}, chr(1), '')",
                    f"{rule}({raw_val})",
                    col.on_invalid,
                    f"clean_text({raw_val}) IS NOT NULL AND {rule}({raw_val}) IS NOT NULL",
                )
            )
        elif col.kind is Kind.TEXT:
            selects.append(f"clean_text({raw_val}) AS {out}")
        elif col.kind in CHECK_ONLY:
            if present and col.kind is Kind.KOTA:
                alias = f"m_{col.name}"
                joins.append(f"LEFT JOIN {alias} ON {alias}.r = {raw_val}")
                problems.append(_problem(col.name, raw_val, f"{alias}.p", col.on_invalid, f"{alias}.p IS NOT NULL"))
        elif not present:
            selects.append(f"NULL::{_sql_type(col)} AS {out}")
            if col.kind is Kind.KELURAHAN:
                selects.append("NULL::VARCHAR AS kode_kecamatan")
        else:
            alias = f"m_{col.name}"
            joins.append(f"LEFT JOIN {alias} ON {alias}.r = {raw_val}")
            selects.append(f"{alias}.v AS {out}")
            problems.append(_problem(col.name, raw_val, f"{alias}.p", col.on_invalid, f"{alias}.p IS NOT NULL"))
            if col.kind is Kind.KELURAHAN:
                selects.append(f"{alias}.x1 AS kode_kecamatan")
                problems.append(
                    _problem("kecamatan", f"{alias}.x0", f"{alias}.x2", OnInvalid.WARN, f"{alias}.x2 IS NOT NULL")
                )
    if contract.one_of:
        any_valid = " OR ".join(
            f"({'kk_problem' if n == 'no_kk' else 'nik_problem'}(s.{n}) IS NULL)" for n in contract.one_of
        )
        problems.append(
            _problem(
                "/".join(contract.one_of),
                "coalesce(" + ", ".join(f"s.{n}" for n in contract.one_of) + ")",
                _lit("tidak ada " + " atau ".join(contract.column(n).label for n in contract.one_of) + " yang valid"),
                OnInvalid.REJECT,
                f"NOT ({any_valid})",
            )
        )
    for col in contract.columns:
        if col.name in ("lintang", "bujur") and col.name in raw.columns:
            lo, hi = (-11.5, 6.5) if col.name == "lintang" else (94.5, 141.5)
            problems.append(
                _problem(
                    col.name,
                    f"s.{col.name}",
                    "'koordinat di luar wilayah Indonesia'",
                    OnInvalid.WARN,
                    f"NOT (m_{col.name}.v BETWEEN {lo} AND {hi})",
                )
            )
    problem_list = "list_filter([" + ",\n ".join(problems) + "], lambda x: x IS NOT NULL)"
    return f"SELECT {', '.join(selects)}, {problem_list} AS _masalah\nFROM staged s\n" + "\n".join(joins)


def _sql_type(col: Column) -> str:
    return {
        Kind.INT: "BIGINT",
        Kind.NUMBER: "DOUBLE",
        Kind.RUPIAH: "DOUBLE",
        Kind.YESNO: "BOOLEAN",
        Kind.DESIL: "INTEGER",
        Kind.DATE: "DATE",
    }.get(col.kind, "VARCHAR")


def _finish_typed(con: duckdb.DuckDBPyConnection, contract: Contract) -> None:
    """Score verval rows with the city's rule set (criteria columns come from it)."""
    if contract.rules is not None:
        rules = contract.rules
        score = " + ".join(f"coalesce({c.kode}::INTEGER, 0)" for c in rules.kriteria)
        direct = f"coalesce({rules.langsung.kode}, false)" if rules.langsung else "false"
        con.execute(
            f"""
            CREATE OR REPLACE TEMP TABLE typed AS
            SELECT *, ({score})::INTEGER AS skor,
                   ({direct} OR ({score}) >= ?) AS fakir_miskin
            FROM typed
            """,
            [rules.ambang],
        )


def clean(
    con: duckdb.DuckDBPyConnection, raw: RawTable, contract: Contract, city: City, mapping: Mapping | None
) -> CleanResult:
    load_macros(con)
    rows_total = con.execute("SELECT count(*) FROM src").fetchall()[0][0] + len(raw.bad_lines)
    _stage(con, raw, contract, mapping)
    skipped = _skip_blank_and_footer(con, contract)
    _build_maps(con, contract, raw, city)
    con.execute(f"CREATE OR REPLACE TEMP TABLE typed AS {_typed_sql(contract, raw)}")
    _finish_typed(con, contract)
    _add_bad_lines(con, raw)
    dedupe(con, contract)
    return CleanResult(rows_read=rows_total - len(skipped), rows_skipped=len(skipped), skipped_detail=skipped)


def _add_bad_lines(con: duckdb.DuckDBPyConnection, raw: RawTable) -> None:
    """CSV lines that could not be split still count as read, and are rejected."""
    con.execute("CREATE OR REPLACE TEMP TABLE bad_lines (_baris INTEGER, alasan VARCHAR, teks VARCHAR)")
    if raw.bad_lines:
        con.executemany("INSERT INTO bad_lines VALUES (?, ?, ?)", raw.bad_lines)


def dedupe(con: duckdb.DuckDBPyConnection, contract: Contract) -> None:
    """Exact duplicates count once; a key with different content is a conflict.

    Rule that wins a conflict: the row with the latest `tanggal_pemutakhiran` when the
    file has it, otherwise the later row in the file (exports append updates).
    """
    cols = [r[0] for r in con.execute("SELECT name FROM pragma_table_info('typed')").fetchall()]
    content = [c for c in cols if c not in ("_baris", "_masalah")]
    content_sql = "md5(concat_ws(chr(31), " + ", ".join(f"coalesce({c}::VARCHAR, chr(0))" for c in content) + "))"
    key = [k for k in contract.key]
    key_sql = ", ".join(key) if key else "NULL"
    key_present = " AND ".join(f"{k} IS NOT NULL" for k in key) if key else "false"
    order = "tanggal_pemutakhiran DESC NULLS LAST, _baris DESC" if "tanggal_pemutakhiran" in cols else "_baris DESC"
    sql = (SQL_DIR / "clean" / "dedupe.sql").read_text(encoding="utf-8")
    winner_cols = "tanggal_pemutakhiran" if "tanggal_pemutakhiran" in cols else "NULL AS _tanpa_tanggal"
    sql = sql.format(
        content_hash=content_sql,
        key_cols=key_sql,
        key_present=key_present,
        winner_order=order,
        winner_cols=winner_cols,
        key_name="/".join(key) or "-",
        key_label=" dan ".join(contract.column(k).label for k in key) or "-",
    )
    con.execute(sql)


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
