"""`build_demo`: generate a city's synthetic exports, load each like an analyst would, publish.

Files go to data/demo/<city>/ and are loaded one by one through `pipelines.ingestion.ingest.ingest`
(with their mapping file where the headers need one), then `pipelines.lake.manifest.publish.publish`.
The same seed and scale give byte-identical files. Earlier demo uploads that are not part
of this build are withdrawn first, so a rebuild with another seed never mixes two
populations; an analyst's own uploads are never touched.
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from demo import keluarga, partners, people, programme_files, records, render
from demo.geography import Layout, build_layout
from demo.population import PERIODS, build_families, build_persons
from demo.simulate import State, simulate
from demo.truth import truth_of, write_truth
from demo.writers import FileSpec
from pipelines.cities import City
from pipelines.files import sha256_of
from pipelines.ingestion.contracts import RuleSet
from pipelines.ingestion.ingest import ingest
from pipelines.lake import registry
from pipelines.lake.publish import PublishError, publish
from pipelines.settings import Settings
from pipelines.state import set_city

USER = "demo"
TRUTH_FILE = "kebenaran.json"


@dataclass
class Context:
    """What every file writer needs to know about the city and where to write."""

    city: City
    other: City
    layout: Layout
    spell: dict
    folder: Path
    rules: RuleSet
    write_rw: bool
    kec_codes: np.ndarray
    truth_rejected_kk: dict = field(default_factory=dict)

    @property
    def slug_upper(self) -> str:
        return self.city.slug.upper()

    @property
    def code_compact(self) -> str:
        return self.city.kode.replace(".", "")


def _say(progress: bool, text: str) -> None:
    if progress:
        print(f"[data contoh] {text}", file=sys.stderr, flush=True)


def _number(n: float) -> str:
    return f"{n:,.0f}".replace(",", ".")


def _refuse_other_city(settings: Settings, city: City) -> None:
    uploads = registry.uploads(settings, include_withdrawn=True)
    real = [u for u in uploads if u.get("oleh") != USER]
    if real:
        # Synthetic families must never be published beside a city's real ones under one total.
        raise PublishError(
            f"Direktori data ini berisi {len(real)} unggahan data asli; data contoh tidak ditulis ke sana. "
            "Pakai direktori data lain untuk data contoh (TKPKD_DATA_DIR), atau terbitkan ulang data asli "
            "dengan `python -m pipelines publish` bila manifes hilang."
        )
    others = sorted({u.get("kota") for u in uploads} - {city.kode, None})
    if others:
        raise PublishError(
            f"Direktori data ini sudah berisi unggahan kota lain ({', '.join(others)}); data contoh {city.nama} "
            "tidak bisa dicampur. Pakai direktori data lain (TKPKD_DATA_DIR) untuk kota ini."
        )


def _share_with_raw(settings: Settings, specs: list, digests: dict) -> None:
    """One copy on disk: each generated file becomes a hard link to its kept raw upload."""
    for spec in specs:
        stored = settings.raw_dir / spec.source / spec.period / f"{digests[spec.path]}{spec.path.suffix.lower()}"
        if not stored.exists():
            continue
        link = spec.path.with_name(f".{spec.path.name}.link")
        try:
            os.link(stored, link)
        except OSError:  # another file system: keep the second copy rather than fail the demo
            continue
        os.replace(link, spec.path)


def _context(city: City, folder: Path, layout: Layout) -> Context:
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    # A city without RW (Bontang) sends no RW column; its contracts make RW optional.
    return Context(
        city=city,
        other=records.other_city(city),
        layout=layout,
        spell=render.kelurahan_spellings(city, layout),
        folder=folder,
        rules=RuleSet.load(city.aturan_fakir_miskin),
        write_rw=city.pakai_rw,
        kec_codes=np.array(layout.kecamatan_codes),
    )


def _files_of_period(st: State, t: int, ctx: Context, rng: np.random.Generator) -> list[FileSpec]:
    specs = keluarga.keluarga_files(st, t, ctx, rng)
    specs.append(people.verval_file(st, t, ctx, rng))
    specs += programme_files.penerima_files(st, t, ctx, rng)
    specs.append(programme_files.program_file(st, t, ctx, rng))
    if PERIODS[t].endswith("Q4"):
        year = int(PERIODS[t][:4])
        specs.append(partners.kontribusi_file(ctx, year, PERIODS[t], rng))
    if t == len(PERIODS) - 1:
        specs.append(people.anggota_file(st, t, ctx, rng))
        specs.append(partners.indikator_file(ctx, PERIODS[t]))
    return specs


def _withdraw_stale_demo(settings: Settings, keep: set[str]) -> int:
    stale = [u for u in registry.uploads(settings) if u.get("oleh") == USER and u["sha256"] not in keep]
    for u in stale:
        registry.withdraw(settings, u["id"], USER)
    return len(stale)


def generate(city: City, folder: Path, *, scale: float, seed: int, progress: bool = False):
    """Simulate the city and write every export into `folder` (emptied first); nothing is loaded.

    Returns the simulation state, the writing context and the files in loading order.
    """
    started = time.monotonic()
    rng = np.random.default_rng(seed)
    layout = build_layout(city, scale, rng)
    scale_text = f"{scale:g}".replace(".", ",")
    _say(
        progress,
        f"{city.nama}: membangkitkan {_number(layout.families.sum())} keluarga (skala {scale_text}, benih {seed})",
    )
    families = build_families(layout, city.kode, rng)
    persons = build_persons(families, layout, city.kode, rng)
    st = simulate(layout, families, persons, city.kode, rng)
    ctx = _context(city, folder, layout)
    _say(progress, f"simulasi {len(PERIODS)} triwulan selesai ({time.monotonic() - started:.0f} detik); menulis berkas")
    specs = [s for t in range(len(PERIODS)) for s in _files_of_period(st, t, ctx, rng)]
    size = sum(s.path.stat().st_size for s in specs) / 1e6
    _say(
        progress,
        f"{len(specs)} berkas ditulis ({_number(size)} MB) di {folder} "
        f"({time.monotonic() - started:.0f} detik sejak mulai)",
    )
    return st, ctx, specs


def build_demo(city: City, *, settings: Settings, scale: float = 1.0, seed: int = 2025, progress: bool = True) -> dict:
    started = time.monotonic()
    _refuse_other_city(settings, city)
    set_city(settings, city)
    st, ctx, specs = generate(city, settings.demo_dir / city.slug, scale=scale, seed=seed, progress=progress)
    truth = truth_of(st, ctx, seed=seed, scale=scale)
    # The simulation is no longer needed; free it before the pipeline's own memory use begins.
    del st
    digests = {s.path: sha256_of(s.path) for s in specs}
    withdrawn = _withdraw_stale_demo(settings, set(digests.values()))
    if withdrawn:
        _say(progress, f"{withdrawn} unggahan data contoh lama ditarik")
    files = []
    for i, spec in enumerate(specs, 1):
        report = ingest(
            spec.source,
            spec.path,
            spec.period,
            mapping_file=spec.mapping,
            sheet=None,
            user=USER,
            settings=settings,
            city=city,
        ).report
        share = f"{100 * report['baris_diterima'] / (report['baris_dibaca'] or 1):.1f}".replace(".", ",")
        _say(
            progress,
            f"unggah {i}/{len(specs)} {spec.source} {spec.period} {spec.path.name}: "
            f"{_number(report['baris_dibaca'])} baris, diterima {share}%",
        )
        files.append(
            {
                "berkas": spec.path.name,
                "sumber": spec.source,
                "periode": spec.period,
                "format": spec.format,
                "pemetaan": spec.mapping.name if spec.mapping else None,
                "baris_ditulis": spec.rows,
                "sha256": digests[spec.path],
                "kekacauan": spec.messiness,
                "baris_dibaca": report["baris_dibaca"],
                "baris_diterima": report["baris_diterima"],
                "baris_ditolak": report["baris_ditolak"],
                "baris_ditandai": report["baris_ditandai"],
            }
        )
    _share_with_raw(settings, specs, digests)
    _say(progress, "menerbitkan versi baru")
    manifest = publish(settings=settings, user=USER)
    truth["berkas"] = files
    truth_path = ctx.folder / TRUTH_FILE
    write_truth(truth_path, truth)
    seconds = round(time.monotonic() - started, 1)
    _say(progress, f"selesai: versi {manifest['versi']}, {len(files)} unggahan, {seconds:.0f} detik")
    return {
        "kota": city.nama,
        "versi": manifest["versi"],
        "unggahan": len(files),
        "detik": seconds,
        "kebenaran": str(truth_path),
    }
