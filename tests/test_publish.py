"""Publishing: integrated tables, known counts, atomic switch, determinism, lock, rollback."""

from __future__ import annotations

import json

import duckdb
import pytest

from pipelines.ingestion.ingest import ingest
from pipelines.lake import manifest as lake
from pipelines.lake import publish as publish_module
from pipelines.lake.lock import LockBusy, exclusive
from pipelines.lake.publish import PublishError, publish, rollback
from pipelines.read.query import reader
from pipelines.read.summary import summary
from tests.builders import KELUARGA_HEADER, keluarga_row, kk, write_csv


def table(settings, name: str) -> list[dict]:
    manifest = lake.read_manifest(settings)
    path = lake.table_path(settings, manifest, name)
    return duckdb.sql(f"SELECT * FROM '{path}'").df().to_dict("records")


def test_summary_counts_match_the_known_truth(small_city):
    publish(settings=small_city)
    kota = {r["periode"]: r for r in summary("2025-Q3", "kota") + summary("2025-Q4", "kota")}
    # Q3: four listed families plus family 6 found only by verval.
    assert kota["2025-Q3"]["jumlah_keluarga"] == 5
    assert kota["2025-Q3"]["keluarga_desil_1"] == 1
    assert kota["2025-Q3"]["keluarga_desil_1_4"] == 3
    assert kota["2025-Q3"]["keluarga_fakir_miskin"] == 2
    assert kota["2025-Q3"]["keluarga_rtlh"] == 1
    assert kota["2025-Q3"]["keluarga_tanpa_air_layak"] == 1
    # Q4: five listed families; family 2 stays FM (latest verval carries forward); family 6 was Q3 only.
    assert kota["2025-Q4"]["jumlah_keluarga"] == 5
    assert kota["2025-Q4"]["keluarga_desil_1"] == 0
    assert kota["2025-Q4"]["keluarga_desil_1_4"] == 4
    assert kota["2025-Q4"]["keluarga_fakir_miskin"] == 1
    # Q4 receipts: family 1 (BSPS), family 3 (PKH flag), family 4 (PKH through the head's NIK).
    assert kota["2025-Q4"]["keluarga_penerima_program"] == 3
    # Inclusion error: family 3 (desil 7, not FM) receives PKH.
    assert kota["2025-Q4"]["galat_inklusi"] == 1
    # Exclusion error: eligible (desil 1-4 or FM) without a programme: families 2 and 5.
    assert kota["2025-Q4"]["galat_eksklusi"] == 2
    kel = {r["kode_wilayah"]: r for r in summary("2025-Q4", "kelurahan")}
    assert kel["61.71.01.1006"]["jumlah_keluarga"] == 4 and kel["61.71.03.1002"]["jumlah_keluarga"] == 1
    rt = {r["kode_wilayah"]: r for r in summary("2025-Q4", "rt")}
    assert set(rt) == {"61.71.01.1006.001.002", "61.71.03.1002.005.005"}


def test_personal_data_stays_in_the_pribadi_tables(small_city):
    publish(settings=small_city)
    families = table(small_city, "keluarga")
    assert "no_kk" not in families[0] and "nama_kepala" not in families[0] and "nik_kepala" not in families[0]
    private = table(small_city, "keluarga_pribadi")
    by_hash = {r["kk_hash"]: r["no_kk"] for r in private}
    assert {by_hash[f["kk_hash"]] for f in families if f["periode"] == "2025-Q4"} == {kk(i) for i in range(1, 6)}
    assert all(len(f["kk_hash"]) == 32 and f["kk_hash"] != kk(1) for f in families)


def test_receipt_by_nik_reaches_the_family(small_city):
    publish(settings=small_city)
    receipts = {r["kode_program"]: r for r in table(small_city, "penerima")}
    assert receipts["PKH"]["cocok_keluarga"] and receipts["BSPS"]["cocok_keluarga"]
    assert receipts["PKH"]["nilai"] == 750000.0


def test_same_inputs_give_the_same_lake(small_city):
    first = publish(settings=small_city)
    second = publish(settings=small_city)
    assert first["versi"] != second["versi"]
    assert first["sidik_isi"] == second["sidik_isi"]
    assert {k: v["sha256"] for k, v in first["tabel"].items()} == {k: v["sha256"] for k, v in second["tabel"].items()}


def test_rows_equal_on_the_table_key_are_written_in_one_order(tmp_path):
    """Members without a valid NIK share (periode, kk_hash, nik_hash = NULL); whatever order the
    integration hands them over in, the file is the same bytes."""
    rows = [("2025-Q4", "kk1", None, "L", 30 + i % 5, f"anak {i}") for i in range(400)]
    shas = []
    for n, ordered in enumerate((rows, rows[::-1])):
        con = duckdb.connect()
        con.execute(
            "CREATE TABLE t (periode VARCHAR, kk_hash VARCHAR, nik_hash VARCHAR, jk VARCHAR, umur INT, x VARCHAR)"
        )
        con.executemany("INSERT INTO t VALUES (?, ?, ?, ?, ?, ?)", ordered)
        work = tmp_path / str(n)
        work.mkdir()
        shas.append(publish_module._write(con, work, "anggota", "t", "periode, kk_hash, nik_hash")["sha256"])
    assert shas[0] == shas[1]


def test_failed_publish_leaves_the_previous_version_current(small_city, monkeypatch):
    first = publish(settings=small_city)
    real = publish_module._run_sql

    def failing(con, name, *a, **kw):
        if name == "30_indikator.sql":
            raise RuntimeError("disk penuh")
        return real(con, name, *a, **kw)

    monkeypatch.setattr(publish_module, "_run_sql", failing)
    with pytest.raises(RuntimeError):
        publish(settings=small_city)
    assert lake.read_manifest(small_city)["versi"] == first["versi"]
    assert lake.existing_versions(small_city) == [first["versi"]]
    leftovers = [p.name for p in lake.versions_dir(small_city).iterdir() if p.name.startswith(".")]
    assert leftovers == []
    assert summary("2025-Q4", "kota")[0]["jumlah_keluarga"] == 5


def test_two_writers_at_once_are_refused(small_city):
    with exclusive(small_city, "uji"), pytest.raises(LockBusy, match="Proses lain"):
        publish(settings=small_city)


def test_rollback_returns_to_the_previous_version(small_city, tmp_path):
    first = publish(settings=small_city)
    extra = write_csv(tmp_path / "tambahan.csv", KELUARGA_HEADER, [keluarga_row(9, desil="1")])
    ingest("keluarga", extra, "2025-Q4", settings=small_city)
    second = publish(settings=small_city)
    assert summary("2025-Q4", "kota")[0]["jumlah_keluarga"] == 6
    back = rollback(settings=small_city)
    assert back["versi"] == first["versi"] and back["dipulihkan_dari"] == second["versi"]
    assert reader(small_city).version == first["versi"]
    assert summary("2025-Q4", "kota")[0]["jumlah_keluarga"] == 5


def test_rollback_without_a_previous_version_says_so(small_city):
    publish(settings=small_city)
    with pytest.raises(PublishError, match="versi pertama"):
        rollback(settings=small_city)


def test_later_upload_wins_and_the_conflict_is_reported(small_city, tmp_path):
    moved = keluarga_row(2, "Sei Jawi Dalam", "5", "5", "3")
    ingest("keluarga", write_csv(tmp_path / "koreksi.csv", KELUARGA_HEADER, [moved]), "2025-Q4", settings=small_city)
    publish(settings=small_city)
    conflicts = [c for c in table(small_city, "konflik") if c["periode"] == "2025-Q4"]
    assert len(conflicts) == 1 and list(conflicts[0]["kelurahan"]) == ["61.71.01.1006", "61.71.03.1002"]
    kel = {r["kode_wilayah"]: r for r in summary("2025-Q4", "kelurahan")}
    assert kel["61.71.03.1002"]["jumlah_keluarga"] == 2
    assert kel["61.71.01.1006"]["konflik"] == 1 and kel["61.71.03.1002"]["konflik"] == 1


def test_publish_without_family_data_is_refused(settings):
    with pytest.raises(PublishError, match="Belum ada unggahan data keluarga"):
        publish(settings=settings)


def test_manifest_names_every_table_with_its_hash(small_city):
    manifest = publish(settings=small_city)
    on_disk = json.loads((lake.version_path(small_city, manifest["versi"]) / "manifest.json").read_text())
    assert on_disk == manifest
    for name, info in manifest["tabel"].items():
        assert (lake.version_path(small_city, manifest["versi"]) / info["berkas"]).exists(), name
