"""A damaged or lost current version is said in Indonesian and the previous one is offered."""

from __future__ import annotations

import json

import pytest

from pipelines.access import audit
from pipelines.lake import manifest as lake
from pipelines.lake.publish import publish, rollback
from tests.apptest import app_as, create_users, failed, texts


@pytest.fixture
def two_versions(small_city):
    publish(settings=small_city)
    publish(settings=small_city, user="analis")
    create_users(small_city)
    return small_city


def _damage(settings, table: str = "indikator") -> str:
    manifest = lake.read_manifest(settings)
    path = lake.table_path(settings, manifest, table)
    path.write_bytes(b"PAR1 not a parquet file any more")
    return manifest["versi"]


def test_a_damaged_file_of_the_current_version_is_named_and_the_previous_version_offered(two_versions):
    version = _damage(two_versions)
    at = app_as("analis", page="views/ringkasan.py")
    assert not at.exception, [e.value for e in at.exception]
    shown = texts(at)
    assert f"Data versi {version} rusak" in shown
    previous = lake.read_manifest(two_versions)["sebelumnya"]
    at.checkbox(key="rusak_yakin").check().run()
    at.button(key="rusak_kembalikan").click().run()
    assert lake.read_manifest(two_versions)["versi"] == previous
    assert any(e["aksi"] == "kembalikan" for e in audit.entries(two_versions))
    assert not failed(at)


@pytest.mark.parametrize("user", ["pimpinan", "lurah"])
def test_other_roles_see_the_damage_but_no_rollback(two_versions, user):
    version = _damage(two_versions)
    at = app_as(user, page="views/ringkasan.py")
    assert not at.exception
    assert f"Data versi {version} rusak" in texts(at)
    assert not [b for b in at.button if b.key == "rusak_kembalikan"]


def test_a_lost_manifest_is_not_called_an_empty_lake_and_rollback_restores_it(two_versions):
    newest = lake.read_manifest(two_versions)["versi"]
    (two_versions.lake_dir / lake.MANIFEST).unlink()
    at = app_as("pimpinan", page="views/ringkasan.py")
    shown = texts(at)
    assert "manifest.json" in shown and newest in shown
    assert "Belum ada data yang diterbitkan" not in shown
    back = rollback(settings=two_versions, to=newest)
    assert back["versi"] == newest
    assert json.loads((two_versions.lake_dir / lake.MANIFEST).read_text())["versi"] == newest
