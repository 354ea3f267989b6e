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

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from pipelines.contracts import Contract


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


def _read(path: Path) -> dict:
    try:
        return tomllib.loads(Path(path).read_text(encoding="utf-8-sig"))
    except FileNotFoundError as exc:
        raise MappingError(f"Berkas pemetaan '{path}' tidak ditemukan.") from exc
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise MappingError(f"Berkas pemetaan '{Path(path).name}' tidak bisa dibaca sebagai TOML: {exc}") from exc
