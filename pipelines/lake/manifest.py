"""The published lake: immutable version folders and one manifest that names the current one.

    data/lake/manifest.json          the current version (replaced atomically)
    data/lake/versions/v0007/        one folder per publish, never changed after
        manifest.json, keluarga.parquet, indikator.parquet, ...

A reader opens manifest.json once and reads the files of that version, so a publish
running meanwhile is never seen half-done.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from pipelines.settings import Settings

MANIFEST = "manifest.json"
# Versions kept (the current and its predecessor always among them), so a rollback has somewhere
# to go; each full version of a city is about 170 MB, so more would fill a small server's disk.
KEEP_VERSIONS = 3


class NoLake(FileNotFoundError):
    pass


class DamagedVersion(NoLake):
    """A file of the current version cannot be read (damaged disk, edited or deleted by hand)."""

    def __init__(self, version: str, previous: str | None) -> None:
        self.version, self.previous = version, previous
        advice = (
            f"Analis dapat mengembalikan versi {previous} (halaman Unggah data, atau "
            f"`python -m pipelines rollback --to {previous}`)."
            if previous
            else "Analis perlu menerbitkan ulang data (`python -m pipelines publish`)."
        )
        super().__init__(f"Data versi {version} rusak: sebagian berkasnya tidak dapat dibaca. {advice}")


def versions_dir(settings: Settings) -> Path:
    return settings.lake_dir / "versions"


def read_manifest(settings: Settings) -> dict:
    path = settings.lake_dir / MANIFEST
    if not path.exists():
        kept = existing_versions(settings)
        if kept:
            raise NoLake(
                f"Penanda versi aktif (manifest.json) hilang, padahal {len(kept)} versi terbit tersimpan "
                f"(terakhir {kept[-1]}). Analis dapat memulihkannya: `python -m pipelines rollback --to {kept[-1]}`."
            )
        raise NoLake(
            "Belum ada data yang diterbitkan. Unggah data lalu terbitkan (python -m pipelines publish), "
            "atau bangun data contoh (python -m pipelines demo)."
        )
    return json.loads(path.read_text(encoding="utf-8"))


def version_path(settings: Settings, version: str) -> Path:
    if not re.fullmatch(r"v\d{4,}", version):
        raise ValueError(f"Nama versi tidak sah: {version}")
    return versions_dir(settings) / version


def table_path(settings: Settings, manifest: dict, table: str) -> Path:
    info = manifest["tabel"][table]
    return version_path(settings, manifest["versi"]) / info["berkas"]


def existing_versions(settings: Settings) -> list[str]:
    folder = versions_dir(settings)
    if not folder.exists():
        return []
    return sorted(p.name for p in folder.iterdir() if re.fullmatch(r"v\d{4,}", p.name) and (p / MANIFEST).exists())


def next_version(settings: Settings) -> str:
    folder = versions_dir(settings)
    numbers = [int(p.name[1:]) for p in folder.iterdir() if re.fullmatch(r"v\d{4,}", p.name)] if folder.exists() else []
    return f"v{(max(numbers, default=0) + 1):04d}"


def write_json_atomic(path: Path, data: dict) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with tmp.open("w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=2, sort_keys=True)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
    fsync_dir(path.parent)


def fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def switch_to(settings: Settings, manifest: dict) -> None:
    """Make a version current: the one atomic step of a publish or rollback."""
    write_json_atomic(settings.lake_dir / MANIFEST, manifest)
