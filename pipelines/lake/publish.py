"""Publish: integrate every active upload into a new lake version, then switch to it.

The version is built in a hidden folder, renamed into place once complete, and only
then made current by replacing `lake/manifest.json` (os.replace: atomic). A failed or
interrupted run leaves the previous version current and readable. The same uploads
always give the same tables (rows are written in a fixed order), and a lock refuses
a second writer.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

import duckdb
import pandas as pd

from pipelines import domain
from pipelines.cities import City
from pipelines.db import connect
from pipelines.evaluation import precompute
from pipelines.files import sha256_of
from pipelines.formatting import tanggal
from pipelines.ingestion.clean import EXCLUDED_FILE, SQL_DIR, TYPED_FILE, load_macros, output_schema, staged_select
from pipelines.ingestion.contracts import contract_for, get_contract
from pipelines.ingestion.ingest import read_report
from pipelines.lake import manifest as lake
from pipelines.lake import pseudonym, registry
from pipelines.lake.geometry import shapes
from pipelines.lake.lock import exclusive
from pipelines.periods import period_bounds
from pipelines.settings import Settings, get_settings
from pipelines.state import active_city

# Where two uploads hold the same record, the latest upload wins, and within one upload the later
# row: one number that orders them, used by every "latest wins" step of sql/marts/10_integrasi.sql.
LATEST_WINS = "u.urutan::BIGINT * 4294967296 + r._baris"
SOURCES = ("keluarga", "anggota", "verval", "penerima", "program", "kontribusi", "indikator_wilayah")

# Published tables: (name, source temp table, sort key). Every other column follows the key in
# the sort (see _total_order), except for the family tables, whose key ends in what is unique
# per row (one row per family and period): sorting 2,000,000 wide rows by every column costs.
# Family tables are written first: the indicators read them back from the written files.
FAMILY_OUTPUTS = (
    ("keluarga", "keluarga_final", "periode, kode_kelurahan, rw, rt, urutan_unggahan, baris_sumber, kk_hash"),
    (
        "keluarga_pribadi",
        "keluarga_pribadi",
        "periode, kode_kelurahan, rw, rt, urutan_unggahan, baris_sumber, kk_hash",
    ),
)
UNIQUE_KEY = {name for name, _, _ in FAMILY_OUTPUTS}
OUTPUTS = (
    ("anggota", "anggota_out", "periode, kk_hash, nik_hash"),
    ("anggota_pribadi", "anggota_pribadi", "periode, kk_hash, nik_hash"),
    ("verval", "verval_out", "periode, kode_kelurahan, rw, rt, kk_hash, nik_hash"),
    ("verval_pribadi", "verval_pribadi", "periode, kk_hash, nik_hash"),
    ("penerima", "penerima_out", "periode, kode_program, kk_hash, nik_hash, tanggal, nilai"),
    ("program", "program_out", "periode, kode_program, kode_kelurahan"),
    ("kontribusi", "kontribusi_out", "periode, tanggal, organisasi, kegiatan, kode_kelurahan"),
    ("statistik_wilayah", "statistik_out", "kode_wilayah, indikator, periode"),
    ("indikator", "indikator", "periode, level, kode_wilayah"),
    ("kualitas", "kualitas", "periode, kode_kelurahan"),
    ("konflik", "konflik", "periode, sumber, kunci"),
    ("unggahan", "unggahan_out", "urutan"),
    ("wilayah", "wilayah_ref", "kode"),
    ("geometri", "geometri_ref", "level, kode"),
    # Programme evaluation (sql/marts/50_evaluasi.sql): every key column orders the rows.
    (
        "evaluasi_sel",
        "evaluasi_sel",
        "kode_program, hasil, periode_kohort, kode_kecamatan, kode_kelurahan, desil_awal, fm_awal, butuh_awal",
    ),
    ("evaluasi_keluaran", "evaluasi_keluaran", "periode, kode_program, kode_kecamatan, kode_kelurahan"),
)
# Written, hashed, kept and pruned like OUTPUTS, but a version without them still serves every page
# (ui/nav.require_lake asks for OUTPUTS only): the evaluation's estimates for the city and each
# kecamatan in every period (pipelines/evaluation/precompute.py), computed again on demand when absent.
DERIVED_OUTPUTS = ((precompute.TABLE, precompute.TABLE, precompute.ORDER),)


class PublishError(RuntimeError):
    pass


class NothingChanged(PublishError):
    """Publishing now would rebuild the current version as it is."""


Progress = Callable[[str], None]


def _quiet(_: str) -> None:
    pass


def unchanged_version(settings: Settings, entries: list[dict], city: City) -> dict | None:
    """The current manifest when it already holds exactly these uploads, in this order, and every table."""
    try:
        current = lake.read_manifest(settings)
    except lake.NoLake:
        return None
    same = current.get("unggahan") == [e["id"] for e in entries] and current.get("kota") == city.kode
    # A version from an older release lacks tables this release writes: republishing it is a change.
    complete = {name for name, _, _ in FAMILY_OUTPUTS + OUTPUTS} <= set(current.get("tabel", {}))
    complete = complete and {name for name, _, _ in DERIVED_OUTPUTS} <= set(current.get("tabel", {}))
    return current if same and complete else None


def _uploads_frame(entries: list[dict], settings: Settings) -> pd.DataFrame:
    rows = []
    for order, e in enumerate(entries, 1):
        report = read_report(settings, e["id"])
        rows.append(
            {
                "id": e["id"],
                "sumber": e["sumber"],
                "periode": e["periode"],
                "urutan": order,
                "diunggah_pada": pd.Timestamp(e["diunggah_pada"]).tz_convert(None),
                "nama_berkas": e["nama_berkas"],
                "oleh": e.get("oleh"),
                "sha256": e["sha256"],
                "baris_dibaca": report["baris_dibaca"],
                "baris_diterima": report["baris_diterima"],
                "baris_ditolak": report["baris_ditolak"],
            }
        )
    return pd.DataFrame(rows)


def _periods_frame(periods: set[str]) -> pd.DataFrame:
    bounds = [(p, *period_bounds(p)) for p in sorted(periods)]
    return pd.DataFrame(bounds, columns=["periode", "mulai", "akhir"]).astype(
        {"mulai": "datetime64[s]", "akhir": "datetime64[s]"}
    )


def _check_grid(grid: pd.DataFrame) -> None:
    ordered = grid.sort_values("mulai").reset_index(drop=True)
    for a, b in zip(ordered.itertuples(), ordered.iloc[1:].itertuples()):
        if b.mulai <= a.akhir:
            raise PublishError(
                f"Periode data keluarga tumpang tindih: {a.periode} dan {b.periode}. "
                "Gunakan satu jenis periode (bulanan atau triwulanan) untuk data keluarga."
            )


def _stage_source(
    con: duckdb.DuckDBPyConnection, source: str, entries: list[dict], settings: Settings, city: City
) -> None:
    """View stg_<source>: the accepted rows of every active upload of that source, never copied."""
    contract = contract_for(source, city)
    schema = output_schema(contract)
    files = [
        (
            str(settings.staging_dir / e["id"] / TYPED_FILE),
            str(settings.staging_dir / e["id"] / EXCLUDED_FILE),
            e["id"],
            e["periode"],
        )
        for e in entries
        if e["sumber"] == source
    ]
    if not files:
        empty = ", ".join(f"NULL::{typ} AS {name}" for name, typ in schema)
        con.execute(
            f"CREATE OR REPLACE TEMP VIEW stg_{source} AS SELECT {empty}, NULL::VARCHAR AS _unggahan, "
            "NULL::INTEGER AS _urutan, NULL::VARCHAR AS _periode_unggahan, NULL::BIGINT AS _terbaru WHERE false"
        )
        return
    con.register("berkas_df", pd.DataFrame(files, columns=["berkas", "kecuali", "id", "periode"]))
    con.execute(f"CREATE OR REPLACE TEMP TABLE berkas_{source} AS SELECT * FROM berkas_df")
    con.unregister("berkas_df")

    def paths(i: int) -> str:
        return "[" + ", ".join("'" + f[i].replace("'", "''") + "'" for f in files) + "]"

    con.execute(
        f"""
        CREATE OR REPLACE TEMP VIEW stg_{source} AS
        SELECT {staged_select(contract)}, b.id AS _unggahan, u.urutan AS _urutan, b.periode AS _periode_unggahan,
               {LATEST_WINS} AS _terbaru
        FROM read_parquet({paths(0)}, filename = true, union_by_name = true) r
        JOIN berkas_{source} b ON b.berkas = r.filename
        JOIN unggahan u ON u.id = b.id
        ANTI JOIN (
            SELECT b2.id, x._baris FROM read_parquet({paths(1)}, filename = true) x
            JOIN berkas_{source} b2 ON b2.kecuali = x.filename
        ) e ON e.id = b.id AND e._baris = r._baris
        """
    )


def _content_hash(source: str, city: City, alias: str) -> str:
    contract = contract_for(source, city)
    cols = [n for n, _ in output_schema(contract) if not n.startswith("_")]
    return "md5(concat_ws(chr(31), " + ", ".join(f"coalesce({alias}.{c}::VARCHAR, chr(0))" for c in cols) + "))"


def _run_sql(con: duckdb.DuckDBPyConnection, name: str, params: dict | None = None, **fmt: str) -> None:
    sql = (SQL_DIR / "marts" / name).read_text(encoding="utf-8")
    if fmt:
        sql = sql.format(**fmt)
    # DuckDB's own parser splits the file; each statement is bound to the parameters it names.
    for statement in duckdb.extract_statements(sql):
        con.execute(statement, {k: params[k] for k in statement.named_parameters} if params else None)


def _wilayah(city: City) -> pd.DataFrame:
    codes = city.regions()
    return pd.DataFrame(
        {
            "level": codes["level"],
            "kode": codes["kode_kemendagri"],
            "nama": codes["nama_kemendagri"],
            "kode_induk": codes["parent_kode"].replace("", None),
        }
    )


def _rejected_by_area(entries: list[dict], settings: Settings) -> pd.DataFrame:
    rows = []
    for e in entries:
        report = read_report(settings, e["id"])
        for kode, n in report.get("ditolak_per_kelurahan", {}).items():
            rows.append({"unggahan": e["id"], "kode_kelurahan": kode, "ditolak": n})
    return pd.DataFrame(rows, columns=["unggahan", "kode_kelurahan", "ditolak"]).astype(
        {"unggahan": "string", "kode_kelurahan": "string", "ditolak": "int64"}
    )


def _total_order(con: duckdb.DuckDBPyConnection, source: str, order: str) -> str:
    """The table's key, then every other column: rows equal on the key (members without a valid
    NIK in one family, say) would otherwise come out of a parallel sort in any order."""
    keys = [k.strip() for k in order.split(",")]
    columns = [r[0] for r in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()]
    return ", ".join(keys + [f'"{c}"' for c in columns if c not in keys])


def _write(con: duckdb.DuckDBPyConnection, work: Path, name: str, source: str, order: str) -> dict:
    """Stream one table to parquet in a total order (the same inputs give the same bytes)."""
    path = work / f"{name}.parquet"
    if name not in UNIQUE_KEY:
        order = _total_order(con, source, order)
    con.execute(
        f"COPY (SELECT * FROM {source} ORDER BY {order}) TO '{path}' "
        "(FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 122880)"
    )
    rows = con.execute(f"SELECT count(*) FROM read_parquet('{path}')").fetchall()[0][0]
    return {"berkas": path.name, "baris": rows, "sha256": sha256_of(path)}


def publish(
    *,
    settings: Settings | None = None,
    user: str = "cli",
    only_if_changed: bool = False,
    progress: Progress = _quiet,
) -> dict:
    """A new version from every active upload. With `only_if_changed`, NothingChanged instead of a
    copy of the current version (checked under the lock, so two people cannot both publish one change)."""
    settings = settings or get_settings()
    with exclusive(settings, "terbitkan"):
        return _publish_locked(settings, user, only_if_changed, progress)


def _publish_locked(settings: Settings, user: str, only_if_changed: bool, progress: Progress) -> dict:
    city = active_city(settings)
    entries = registry.uploads(settings)
    if only_if_changed and (same := unchanged_version(settings, entries, city)):
        raise NothingChanged(
            f"Tidak ada perubahan sejak versi {same['versi']} (diterbitkan {tanggal(same['diterbitkan_pada'])}): "
            "unggahan aktif sama persis dengan isi versi itu, jadi tidak ada yang diterbitkan. "
            "Unggah berkas baru atau tarik unggahan lebih dulu."
        )
    if not any(e["sumber"] == "keluarga" for e in entries):
        raise PublishError("Belum ada unggahan data keluarga. Unggah data keluarga dulu, lalu terbitkan.")
    other = sorted({e.get("kota") for e in entries} - {city.kode, None})
    if other:
        raise PublishError(
            f"Ada unggahan untuk kota lain ({', '.join(other)}); data kota {city.nama} tidak bisa dicampur."
        )
    versions = lake.versions_dir(settings)
    versions.mkdir(parents=True, exist_ok=True)
    version = lake.next_version(settings)
    work = Path(tempfile.mkdtemp(prefix=f".{version}-", dir=versions))
    try:
        manifest = _build(settings, city, entries, version, work, user, progress)
        progress(f"Mengganti versi aktif menjadi {version}")
        final = lake.version_path(settings, version)
        os.replace(work, final)
        lake.fsync_dir(versions)
        lake.switch_to(settings, manifest)
        _prune(settings, manifest)
        return manifest
    finally:
        if work.exists():
            shutil.rmtree(work, ignore_errors=True)


def _build(
    settings: Settings, city: City, entries: list[dict], version: str, work: Path, user: str, progress: Progress
) -> dict:
    progress(f"Membaca {len(entries)} unggahan aktif")
    uploads = _uploads_frame(entries, settings)
    grid = _periods_frame({e["periode"] for e in entries if e["sumber"] == "keluarga"})
    _check_grid(grid)
    con = connect(settings)
    try:
        load_macros(con)
        pseudonym.install(con, pseudonym.key(settings))
        con.execute((SQL_DIR / "marts" / "definisi.sql").read_text(encoding="utf-8"))
        for name, frame in (
            ("unggahan", uploads),
            ("periode_grid", grid),
            ("wilayah_ref", _wilayah(city)),
            ("ditolak_kelurahan", _rejected_by_area(entries, settings)),
            ("geometri_ref", shapes(city)),
        ):
            con.register(f"{name}_df", frame)
            con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_df")
            con.unregister(f"{name}_df")
        con.execute("ALTER TABLE periode_grid ALTER mulai TYPE DATE; ALTER TABLE periode_grid ALTER akhir TYPE DATE")
        for source in SOURCES:
            _stage_source(con, source, entries, settings, city)
        periods = set(grid["periode"]) | {e["periode"] for e in entries}
        periods |= {
            r[0]
            for r in con.execute(
                "SELECT DISTINCT periode FROM stg_program WHERE periode IS NOT NULL "
                "UNION SELECT DISTINCT periode FROM stg_penerima WHERE periode IS NOT NULL"
            ).fetchall()
        }
        con.register("periode_semua_df", _periods_frame(periods))
        con.execute(
            "CREATE OR REPLACE TEMP TABLE periode_semua AS SELECT periode, mulai::DATE AS mulai, "
            "akhir::DATE AS akhir FROM periode_semua_df"
        )
        con.unregister("periode_semua_df")
        rules = get_contract("verval", city.aturan_fakir_miskin).rules
        criteria = [c.kode for c in rules.kriteria] + ([rules.langsung.kode] if rules.langsung else [])
        progress("Menyatukan sumber data dan menyusun data keluarga")
        _run_sql(
            con,
            "10_integrasi.sql",
            isi_keluarga=_content_hash("keluarga", city, "k"),
            isi_verval=_content_hash("verval", city, "v"),
        )
        _run_sql(
            con,
            "20_keluarga.sql",
            kriteria=", ".join(criteria),
            kelompok_rentan=domain.family_group_sql(),
            kolom_rentan=domain.family_group_columns(),
        )
        tables = {}
        for name, source, order in FAMILY_OUTPUTS:
            tables[name] = _write(con, work, name, source, order)
            con.execute(
                f"CREATE OR REPLACE TEMP VIEW {source} AS SELECT * FROM read_parquet('{work / tables[name]['berkas']}')"
            )
        progress("Menghitung indikator wilayah, keluaran dan evaluasi program")
        _run_sql(
            con,
            "30_indikator.sql",
            {"kode_kota": city.kode, "pakai_rw": city.pakai_rw},
            kelompok_rentan=domain.area_group_sql(),
        )
        _run_sql(con, "40_keluaran.sql")
        _run_sql(con, "50_evaluasi.sql")
        progress("Menghitung perkiraan dampak program untuk kota dan tiap kecamatan")
        _evaluation_results(con, city, settings.threads)
        progress("Menulis tabel versi baru")
        for name, source, order in OUTPUTS:
            tables[name] = _write(con, work, name, source, order)
        for name, source, order in DERIVED_OUTPUTS:
            tables[name] = _write(con, work, name, source, order)
        periods_out = [r[0] for r in con.execute("SELECT DISTINCT periode FROM keluarga_final ORDER BY 1").fetchall()]
    finally:
        con.close()
    previous = None
    with contextlib.suppress(lake.NoLake):
        previous = lake.read_manifest(settings)["versi"]
    content = hashlib.sha256("".join(t["sha256"] for t in tables.values()).encode()).hexdigest()
    manifest = {
        "versi": version,
        "kota": city.kode,
        "nama_kota": city.nama,
        "diterbitkan_pada": registry.now_iso(),
        "oleh": user,
        "sebelumnya": previous,
        "unggahan": [e["id"] for e in entries],
        "periode": sorted(periods_out, key=lambda p: period_bounds(p)[1]),
        "tabel": tables,
        "sidik_isi": content,
    }
    lake.write_json_atomic(work / lake.MANIFEST, manifest)
    return manifest


def _evaluation_results(con: duckdb.DuckDBPyConnection, city: City, threads: int) -> None:
    """Temp table evaluasi_hasil: the estimates of the city and of each kecamatan in every period of the
    version, from the cells the read side gives for each area (the same query on the same rows)."""
    cells_sql = (SQL_DIR / "queries" / "evaluasi_sel.sql").read_text(encoding="utf-8")
    found = con.execute("SELECT DISTINCT periode FROM keluarga_final").fetchall()
    periods = sorted((r[0] for r in found), key=lambda p: period_bounds(p)[1])  # as the manifest lists them
    kecamatan = con.execute("SELECT kode FROM wilayah_ref WHERE level = 'kecamatan' ORDER BY kode").fetchall()
    areas = {city.kode: "", **{r[0]: r[0] for r in kecamatan}}  # area -> the query's prefix ('' = the city)
    cells = {area: con.execute(cells_sql, {"prefix": prefix}).df() for area, prefix in areas.items()}
    con.register("evaluasi_hasil_df", precompute.results(cells, periods, workers=threads))
    con.execute("CREATE OR REPLACE TEMP TABLE evaluasi_hasil AS SELECT * FROM evaluasi_hasil_df")
    con.unregister("evaluasi_hasil_df")


def _prune(settings: Settings, manifest: dict) -> None:
    keep = {manifest["versi"], manifest.get("sebelumnya")}
    existing = lake.existing_versions(settings)
    for old in existing[: max(0, len(existing) - lake.KEEP_VERSIONS)]:
        if old not in keep:
            shutil.rmtree(lake.version_path(settings, old), ignore_errors=True)


def rollback(*, settings: Settings | None = None, user: str = "cli", to: str | None = None) -> dict:
    """Make the previous version (or `to`) current again."""
    settings = settings or get_settings()
    with exclusive(settings, "kembalikan versi"):
        try:
            current = lake.read_manifest(settings)
        except lake.NoLake:
            # The manifest was lost: the newest kept version (or the one named) becomes current again.
            kept = lake.existing_versions(settings)
            if not kept:
                raise
            current = {"versi": None, "sebelumnya": kept[-1]}
        target = to or current.get("sebelumnya")
        if not target:
            raise PublishError(f"Versi {current['versi']} adalah versi pertama; tidak ada versi sebelumnya.")
        path = lake.version_path(settings, target) / lake.MANIFEST
        if not path.exists():
            raise PublishError(
                f"Versi {target} tidak tersedia lagi (versi lama dihapus setelah {lake.KEEP_VERSIONS} terbitan)."
            )
        manifest = json.loads(path.read_text(encoding="utf-8"))
        manifest = {
            **manifest,
            "dipulihkan_dari": current["versi"],
            "dipulihkan_pada": registry.now_iso(),
            "dipulihkan_oleh": user,
        }
        lake.switch_to(settings, manifest)
        return manifest
