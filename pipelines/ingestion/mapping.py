"""Mapping files: how an analyst makes an unrecognised export fit a contract.

A mapping is a small TOML file (format and example in the README):

    sumber = "keluarga"          # optional: the source kind it is for
    lembar = "Data"              # optional: sheet to read (Excel)
    baris_judul = 5              # optional: row number of the header
    pemisah = ";"                # optional: CSV delimiter

    [kolom]                      # header in the file -> contract column ("" = ignore)
    "NO_KARTU_KELUARGA" = "no_kk"

    [nilai.rawan_pangan]         # value in the file -> value the contract accepts
    "Memenuhi Kriteria" = "ya"
"""

from __future__ import annotations

import datetime as dt
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.ingestion.contracts import Contract


class MappingError(ValueError):
    pass


@dataclass(frozen=True)
class Mapping:
    columns: dict[str, str] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    source: str | None = None
    sheet: str | None = None
    header_row: int | None = None
    delimiter: str | None = None

    @staticmethod
    def load(path: Path, contract: Contract) -> Mapping:
        return Mapping.from_dict(_read(path), contract)

    @staticmethod
    def declared_source(path: Path) -> str | None:
        """The `sumber` a mapping file names, if any (the kind it is for)."""
        return _read(path).get("sumber")

    @staticmethod
    def from_dict(raw: dict, contract: Contract) -> Mapping:
        known = set(contract.names)
        unknown_keys = set(raw) - {"sumber", "lembar", "baris_judul", "pemisah", "kolom", "nilai"}
        if unknown_keys:
            raise MappingError(f"Kunci tidak dikenal di berkas pemetaan: {', '.join(sorted(unknown_keys))}.")
        if raw.get("sumber") and raw["sumber"] != contract.name:
            raise MappingError(f"Berkas pemetaan ini untuk sumber '{raw['sumber']}', bukan '{contract.name}'.")
        columns = {str(k): str(v) for k, v in raw.get("kolom", {}).items()}
        bad = sorted(v for v in columns.values() if v and v not in known)
        if bad:
            raise MappingError(
                f"Kolom tujuan tidak dikenal: {', '.join(bad)}. Kolom {contract.name} yang sah: {', '.join(sorted(known))}."
            )
        targets = [v for v in columns.values() if v]
        dupes = sorted({v for v in targets if targets.count(v) > 1})
        if dupes:
            raise MappingError(f"Beberapa kolom berkas dipetakan ke kolom yang sama: {', '.join(dupes)}.")
        values = {
            str(k): {str(a).strip().lower(): str(b) for a, b in v.items()} for k, v in raw.get("nilai", {}).items()
        }
        bad_values = sorted(k for k in values if k not in known)
        if bad_values:
            raise MappingError(f"Peta nilai untuk kolom yang tidak dikenal: {', '.join(bad_values)}.")
        header_row = raw.get("baris_judul")
        if header_row is not None and (not isinstance(header_row, int) or header_row < 1):
            raise MappingError("baris_judul harus bilangan bulat mulai 1.")
        delim = raw.get("pemisah")
        if delim is not None and (not isinstance(delim, str) or len(delim) != 1):
            raise MappingError('pemisah harus satu karakter, misalnya ";".')
        return Mapping(columns, values, raw.get("sumber"), raw.get("lembar"), header_row, delim)


def _where(exc: tomllib.TOMLDecodeError) -> str:
    """tomllib explains in English; the analyst gets where to look, in Indonesian."""
    found = re.search(r"line (\d+), column (\d+)", str(exc))
    place = f"baris {found[1]}, kolom {found[2]}" if found else "sebuah baris"
    return (
        f"penulisannya salah di {place}. Periksa tanda kutip, tanda = dan kurung [ ] di sana "
        "(contoh yang benar ada di README, bagian 'Berkas pemetaan')."
    )


def _read(path: Path) -> dict:
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8-sig"))
    except FileNotFoundError as exc:
        raise MappingError(f"Berkas pemetaan '{path}' tidak ditemukan.") from exc
    except UnicodeDecodeError as exc:
        raise MappingError(
            f"Berkas pemetaan '{Path(path).name}' bukan teks UTF-8. Simpan ulang sebagai UTF-8 dari penyunting teks."
        ) from exc
    except tomllib.TOMLDecodeError as exc:
        raise MappingError(
            f"Berkas pemetaan '{Path(path).name}' tidak bisa dibaca sebagai TOML: {_where(exc)}"
        ) from exc
    _check_types(raw)
    return raw


def _kind(value) -> str:
    """A TOML value's type in the words the message uses."""
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int):
        return "bilangan bulat"
    if isinstance(value, float):
        return "bilangan desimal"
    if isinstance(value, str):
        return "teks"
    if isinstance(value, list):
        return "daftar [...]"
    if isinstance(value, dict):
        return "tabel"
    if isinstance(value, (dt.date, dt.time)):
        return "tanggal/waktu"
    return type(value).__name__


def _wrong(key: str, expected: str, value, example: str) -> MappingError:
    return MappingError(
        f"Di berkas pemetaan, {key} harus {expected}, bukan {_kind(value)}. Contoh: {example}. "
        "Lihat README, bagian 'Berkas pemetaan'."
    )


def _check_types(raw: dict) -> None:
    """Every key holds the type the format says, so a number where text belongs is named, not a crash."""
    for key, example in (
        ("sumber", 'sumber = "keluarga"'),
        ("lembar", 'lembar = "Data"'),
        ("pemisah", 'pemisah = ";"'),
    ):
        if key in raw and not isinstance(raw[key], str):
            raise _wrong(f"'{key}'", "teks dalam tanda kutip", raw[key], example)
    header_row = raw.get("baris_judul")
    if header_row is not None and (isinstance(header_row, bool) or not isinstance(header_row, int)):
        raise _wrong("'baris_judul'", "bilangan bulat mulai 1", header_row, "baris_judul = 5")
    columns = raw.get("kolom", {})
    if not isinstance(columns, dict):
        raise _wrong("'kolom'", "tabel [kolom]", columns, '[kolom] lalu di bawahnya "NO_KK" = "no_kk"')
    for header, target in columns.items():
        if not isinstance(target, str):
            raise _wrong(
                f'kolom "{header}"',
                'teks (nama kolom kontrak, atau "" untuk diabaikan)',
                target,
                f'"{header}" = "no_kk"',
            )
    values = raw.get("nilai", {})
    if not isinstance(values, dict):
        raise _wrong("'nilai'", "tabel [nilai.<kolom>]", values, '[nilai.rawan_pangan] lalu "Memenuhi Kriteria" = "ya"')
    for column, pairs in values.items():
        if not isinstance(pairs, dict):
            raise _wrong(f"nilai.{column}", f"tabel [nilai.{column}]", pairs, f'[nilai.{column}] lalu "Ya" = "ya"')
        for found, meant in pairs.items():
            if not isinstance(meant, str):
                raise _wrong(f'nilai.{column} "{found}"', "teks dalam tanda kutip", meant, f'"{found}" = "ya"')
