"""The read side: the only module that reads the published lake.

A `LakeReader` holds one in-memory DuckDB connection per process with views over the
parquet files of the current version (never a DuckDB file a pipeline writes). Each
query takes a new cursor, because a connection is not safe across threads and every
browser session is a thread. Every query function takes the caller's `Scope`; rows
outside it are never returned, whatever area code a page or a URL asks for.
"""

from __future__ import annotations

import os
import re
import threading
from dataclasses import dataclass
from importlib import resources

import duckdb
import pandas as pd

from pipelines.access import audit, masking
from pipelines.access.scope import OutOfScope, Scope
from pipelines.domain import LEVELS, Kode, level_of
from pipelines.lake import manifest as lake
from pipelines.lake.geometry import feature_collection
from pipelines.settings import Settings, get_settings

QUERIES = resources.files("pipelines") / "sql" / "queries"


MEMBER_COLUMNS = [
    "nama",
    "nik",
    "hubungan",
    "jenis_kelamin",
    "umur",
    "pendidikan",
    "pekerjaan",
    "disabilitas",
    "stunting",
]


@dataclass(frozen=True)
class FamilyDetail:
    """One family's record for the case worker (personal columns already masked as the caller asked)."""

    history: pd.DataFrame  # one row per period the family lived in the kelurahan, oldest first
    members: pd.DataFrame  # MEMBER_COLUMNS, as listed in `members_period`
    members_period: str | None  # None: no member list was uploaded for this family
    receipts: pd.DataFrame  # every receipt of those periods, with the programme's name and OPD


def _check_family_access(scope: Scope, kelurahan: str, full_ids: bool) -> None:
    """Family rows are read one kelurahan at a time, by roles with names, whole IDs only for some."""
    scope.check(kelurahan)
    if Kode(kelurahan).level != "kelurahan":
        raise OutOfScope("Daftar keluarga dibuka per kelurahan.")
    if not scope.names:
        raise OutOfScope("Peran Anda tidak diizinkan melihat daftar keluarga.")
    if full_ids and not scope.full_ids:
        raise OutOfScope("Peran Anda tidak diizinkan melihat NIK dan No KK lengkap.")


def _mask_family(rows: pd.DataFrame, *, reveal: bool, full_ids: bool) -> pd.DataFrame:
    """Head's name and address masked unless revealed; No KK and NIK unless revealed in full."""
    if not reveal:
        rows = rows.assign(
            nama_kepala=rows["nama_kepala"].map(masking.mask_name), alamat=rows["alamat"].map(masking.mask_address)
        )
    if not (reveal and full_ids):
        rows = rows.assign(no_kk=rows["no_kk"].map(masking.mask_id), nik_kepala=rows["nik_kepala"].map(masking.mask_id))
    return rows


class LakeReader:
    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or get_settings()
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._version: str | None = None
        self._stamp: tuple[float, int] | None = None
        self.manifest: dict = {}

    def _ensure(self) -> None:
        """(Re)open views when the current version changed since the last query."""
        try:
            st = os.stat(self.settings.lake_dir / lake.MANIFEST)
        except FileNotFoundError:
            lake.read_manifest(self.settings)  # raises NoLake with the user's message
            raise
        stamp = (st.st_mtime, st.st_ino)
        if stamp == self._stamp and self._con is not None:
            return
        with self._lock:
            manifest = lake.read_manifest(self.settings)
            if self._con is not None and manifest["versi"] == self._version:
                self._stamp = stamp
                return
            con = duckdb.connect(
                config={
                    "threads": 2,
                    "memory_limit": "1GB",
                    "autoinstall_known_extensions": False,
                    "autoload_known_extensions": False,
                }
            )
            try:
                for table in manifest["tabel"]:
                    path = lake.table_path(self.settings, manifest, table)
                    con.execute(f"CREATE VIEW {table} AS SELECT * FROM read_parquet('{path}')")
            except (duckdb.IOException, duckdb.InvalidInputException) as exc:
                con.close()
                raise lake.DamagedVersion(manifest["versi"], manifest.get("sebelumnya")) from exc
            old, self._con = self._con, con
            self._version, self._stamp, self.manifest = manifest["versi"], stamp, manifest
            if old is not None:
                old.close()

    @property
    def version(self) -> str:
        self._ensure()
        return self._version or ""

    def _query(self, sql: str, params: dict | None = None) -> pd.DataFrame:
        self._ensure()
        cur = self._con.cursor()
        try:
            return cur.execute(sql, params or {}).df()
        except (duckdb.IOException, duckdb.InvalidInputException) as exc:
            # A parquet file of this version is missing or corrupt: say so, never a traceback.
            raise lake.DamagedVersion(self._version or "?", self.manifest.get("sebelumnya")) from exc
        finally:
            cur.close()

    def _run(self, name: str, params: dict) -> pd.DataFrame:
        return self._query((QUERIES / f"{name}.sql").read_text(encoding="utf-8"), params)

    # ---- public queries --------------------------------------------------------------

    def current_manifest(self) -> dict:
        self._ensure()
        return dict(self.manifest)

    def periods(self) -> list[str]:
        self._ensure()
        return list(self.manifest.get("periode", []))

    def city(self) -> tuple[str, str]:
        self._ensure()
        return self.manifest["kota"], self.manifest["nama_kota"]

    def area_indicators(
        self,
        scope: Scope,
        *,
        period: str | None = None,
        level: str | None = None,
        parent: str | None = None,
        kode: str | None = None,
        totals: bool = False,
    ) -> pd.DataFrame:
        """Indicator rows in scope; `totals` adds the totals of areas above the scope."""
        if level is not None and level not in LEVELS:
            raise ValueError(f"level tidak dikenal: {level}")
        if kode is not None:
            scope.check(kode, totals=totals)
        if parent is not None:
            scope.check(parent, totals=True)
        return self._run(
            "indikator_wilayah",
            {
                "prefix": scope.prefix,
                "leluhur": totals,
                "periode": period,
                "level": level,
                "induk": parent,
                "kode": kode,
            },
        )

    def children(self, scope: Scope, kode: str, *, period: str | None = None) -> pd.DataFrame:
        """Sub-areas of `kode` in scope (kecamatan of the city, kelurahan of a kecamatan, RW, RT)."""
        scope.check(kode, totals=True)
        rows = self.area_indicators(scope, period=period, parent=kode)
        return rows[rows["kode_wilayah"].map(scope.covers)]

    def quality(self, scope: Scope, *, period: str | None = None) -> pd.DataFrame:
        return self._run("kualitas", {"prefix": scope.prefix, "periode": period})

    def programmes(self, scope: Scope, *, period: str | None = None) -> pd.DataFrame:
        return self._run("program_capaian", {"prefix": scope.prefix, "periode": period})

    def statistics(self, scope: Scope, kode: str) -> pd.DataFrame:
        """Published area statistics (BPS, Dinkes) for an area or the areas above it."""
        scope.check(kode, totals=True)
        return self._query(
            "SELECT * FROM statistik_wilayah WHERE kode_wilayah = $kode OR starts_with($kode, kode_wilayah || '.') "
            "ORDER BY indikator, periode",
            {"kode": kode},
        )

    def shapes(self, scope: Scope, level: str) -> dict:
        """GeoJSON of kecamatan or kelurahan shapes in scope (the outline of the city is public)."""
        if level not in ("kecamatan", "kelurahan"):
            raise ValueError(f"peta hanya untuk kecamatan atau kelurahan, bukan {level}")
        rows = self._query("SELECT * FROM geometri WHERE level = $level ORDER BY kode", {"level": level})
        return feature_collection(rows)

    def case_list(
        self,
        scope: Scope,
        kelurahan: str,
        period: str,
        *,
        rw: str | None = None,
        rt: str | None = None,
        reveal: bool = False,
        full_ids: bool = False,
        wider: bool = False,
    ) -> pd.DataFrame:
        """Families to work on in one kelurahan. Names, addresses and IDs are masked unless `reveal`;
        whole NIK / No KK only with `full_ids` for roles whose task needs them. Every revealed view is
        audited with its row count."""
        _check_family_access(scope, kelurahan, full_ids)
        rows = self._run(
            "keluarga_sasaran",
            {
                "periode": period,
                "kelurahan": kelurahan,
                "rw": rw,
                "rt": rt,
                "luas": wider,
                "pribadi": True,
            },
        )
        if reveal and len(rows):
            self._audit_names(
                scope, kelurahan, len(rows), f"{period}{' RW ' + rw if rw else ''}{' RT ' + rt if rt else ''}", full_ids
            )
        return _mask_family(rows, reveal=reveal, full_ids=full_ids)

    def _audit_names(self, scope: Scope, kelurahan: str, rows: int, detail: str, full_ids: bool) -> None:
        """One `lihat_nama` line for names shown in a kelurahan (and whether whole IDs were)."""
        audit.record(
            self.settings,
            user=scope.user or "-",
            role=scope.role or "-",
            action="lihat_nama",
            scope=kelurahan,
            rows=rows,
            detail=detail + (", NIK lengkap" if full_ids else ""),
        )

    def family_detail(
        self,
        scope: Scope,
        kelurahan: str,
        kk_hash: str,
        period: str,
        *,
        reveal: bool = False,
        full_ids: bool = False,
    ) -> FamilyDetail:
        """One family of the case list: its record in every period it lived in the kelurahan, the
        members listed at `period` (or the last listing before it), and what it received. Masked,
        refused and audited as `case_list` is."""
        _check_family_access(scope, kelurahan, full_ids)
        if not re.fullmatch(r"[0-9a-f]{32}", kk_hash or ""):
            raise OutOfScope("Keluarga tidak dikenal.")
        rows = self._run("keluarga_detail", {"kelurahan": kelurahan, "kk_hash": kk_hash, "pribadi": True})
        order = {p: i for i, p in enumerate(self.periods())}
        rows = rows.sort_values("periode", key=lambda s: s.map(order)).reset_index(drop=True)
        listed = rows[rows["anggota"].map(len) > 0]
        upto = listed[listed["periode"].map(order) <= order.get(period, len(order))]
        chosen = upto.iloc[-1] if len(upto) else (listed.iloc[-1] if len(listed) else None)
        members = pd.DataFrame(list(chosen["anggota"]) if chosen is not None else [], columns=MEMBER_COLUMNS)
        receipts = pd.DataFrame(
            [{"periode": r["periode"], **b} for r in rows.to_dict("records") for b in r["bantuan"]],
            columns=["periode", "kode_program", "nama_program", "opd", "tanggal", "nilai"],
        )
        if reveal and len(rows):
            self._audit_names(scope, kelurahan, max(1, len(members)), f"{period} rincian keluarga", full_ids)
        if not reveal:
            members["nama"] = members["nama"].map(masking.mask_name)
        if not (reveal and full_ids):
            members["nik"] = members["nik"].map(masking.mask_id)
        return FamilyDetail(
            _mask_family(rows.drop(columns=["anggota", "bantuan"]), reveal=reveal, full_ids=full_ids),
            members,
            None if chosen is None else chosen["periode"],
            receipts,
        )

    def region_names(self) -> dict[str, str]:
        """Official names of the city, its kecamatan and kelurahan (public reference data)."""
        rows = self._query("SELECT kode, nama FROM wilayah")
        return dict(zip(rows["kode"], rows["nama"]))

    # ---- evaluation

    def _evaluation_prefix(self, scope: Scope, area: str | None) -> str:
        """The area's code as a query prefix ('' for the city); refuses areas outside the scope and
        lakes published before the evaluation tables existed."""
        self._ensure()
        if "evaluasi_sel" not in self.manifest.get("tabel", {}):
            raise lake.NoLake(
                "Versi data ini belum memuat evaluasi program. Terbitkan ulang data (python -m pipelines publish)."
            )
        if area is None:
            return scope.prefix
        scope.check(area)
        return "" if level_of(area) == "kota" else area

    def evaluation_cells(self, scope: Scope, *, area: str | None = None) -> pd.DataFrame:
        """Outcome cells (counts per stratum, never family rows) for families living in the area."""
        return self._run("evaluasi_sel", {"prefix": self._evaluation_prefix(scope, area)})

    def programme_outputs(self, scope: Scope, *, area: str | None = None) -> pd.DataFrame:
        """Outputs, reach and targeting per programme, kelurahan and period in the area."""
        return self._run("evaluasi_keluaran", {"prefix": self._evaluation_prefix(scope, area)})

    def evaluation_cohorts(self, scope: Scope, *, area: str | None = None, periods: list[str]) -> list[str]:
        """The cohort periods among the area's cells whose "after" period is one of `periods` (what the
        evaluation pools), without reading the cells themselves."""
        cells = (QUERIES / "evaluasi_sel.sql").read_text(encoding="utf-8")
        rows = self._query(
            f"SELECT DISTINCT periode_kohort FROM (\n{cells}\n) WHERE list_contains($periode, periode_sesudah)",
            {"prefix": self._evaluation_prefix(scope, area), "periode": periods},
        )
        return list(rows["periode_kohort"])

    def evaluation_results(self, scope: Scope, *, area: str, period: str) -> pd.DataFrame | None:
        """The outcome estimates computed at publish for the area (the city or a kecamatan) and period
        (pipelines/evaluation/precompute.py); None when this version holds none for them: a kelurahan,
        a period without cohorts, or a version published before the table existed."""
        self._evaluation_prefix(scope, area)  # the same refusals as the cells
        if "evaluasi_hasil" not in self.manifest.get("tabel", {}):
            return None
        try:
            rows = self._query(
                "SELECT * EXCLUDE (kode_wilayah, periode) FROM evaluasi_hasil "
                "WHERE kode_wilayah = $kode AND periode = $periode ORDER BY kode_program, hasil",
                {"kode": area, "periode": period},
            )
        except duckdb.CatalogException:  # the version changed under the query to one without the table
            return None
        return rows if len(rows) else None

    def contributions(self, scope: Scope, *, area: str | None = None) -> pd.DataFrame:
        """Partner contributions (CSR, Baznas, community) reported in the area."""
        return self._run("kontribusi_mitra", {"prefix": self._evaluation_prefix(scope, area)})


_readers: dict[str, LakeReader] = {}
_readers_lock = threading.Lock()


def reader(settings: Settings | None = None) -> LakeReader:
    """One reader per data directory per process."""
    settings = settings or get_settings()
    key = str(settings.data_dir)
    with _readers_lock:
        if key not in _readers:
            _readers[key] = LakeReader(settings)
        return _readers[key]
