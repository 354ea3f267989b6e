"""Finding the header row and mapping its cells to a contract's columns."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache

from pipelines.ingestion.contracts import Contract, normalize_header
from pipelines.ingestion.filetype import FileRejected
from pipelines.ingestion.mapping import Mapping
from pipelines.settings import HEADER_SCAN_ROWS


@dataclass
class RawTable:
    headers: list[str]  # header text per source column position
    columns: dict[str, int]  # contract column -> source column position
    header_row: int
    file_type: str
    sheet: str | None = None
    encoding: str | None = None
    delimiter: str | None = None
    # Lines that could not be split into fields: (row number, reason, raw text).
    bad_lines: list[tuple[int, str, str]] = field(default_factory=list)
    unmapped_headers: list[str] = field(default_factory=list)

    def source_header(self, column: str) -> str:
        return self.headers[self.columns[column]]


@cache
def _alias_lookup(contract: Contract) -> dict[str, list[tuple[int, str]]]:
    """Normal form of every alias -> (rank of the alias, contract column)."""
    lookup: dict[str, list[tuple[int, str]]] = {}
    for col in contract.columns:
        for rank, alias in enumerate(col.aliases):
            lookup.setdefault(normalize_header(alias), []).append((rank, col.name))
    return lookup


def match_headers(cells: list[str], contract: Contract, mapping: Mapping | None) -> dict[str, int]:
    """Contract column -> position, for one candidate header row."""
    lookup = _alias_lookup(contract)
    explicit = {normalize_header(k): v for k, v in (mapping.columns if mapping else {}).items()}
    found: dict[str, int] = {}
    candidates: list[tuple[int, int, str]] = []
    for pos, cell in enumerate(cells):
        key = normalize_header(cell)
        if not key:
            continue
        if key in explicit:
            target = explicit[key]
            if target and target not in found:
                found[target] = pos
            continue
        for rank, name in lookup.get(key, ()):
            candidates.append((rank, pos, name))
    taken = set(found.values())
    for _, pos, name in sorted(candidates):
        if name not in found and pos not in taken:
            found[name] = pos
            taken.add(pos)
    return found


def missing_columns(found: dict[str, int], contract: Contract) -> list:
    """Required columns not found, and the one-of group when none of it is."""
    missing = [c for c in contract.columns if c.required and c.name not in found]
    if contract.one_of and not any(n in found for n in contract.one_of):
        missing += [contract.column(n) for n in contract.one_of]
    return missing


def require_columns(found: dict[str, int], contract: Contract, headers: list[str], where: str) -> None:
    missing = missing_columns(found, contract)
    if missing:
        seen = ", ".join(f"'{h}'" for h in headers if str(h).strip()) or "(kosong)"
        need = "; ".join(f"{c.label} (mis. {', '.join(repr(a) for a in c.aliases[1:4])})" for c in missing)
        raise FileRejected(
            f"Kolom wajib untuk {contract.label} tidak ditemukan{where}: {need}. Judul kolom yang terbaca: {seen}. "
            "Jika nama kolom berbeda, buat berkas pemetaan (lihat README, bagian 'Berkas pemetaan')."
        )


def best_header(rows: list[list[str]], contract: Contract, mapping: Mapping | None) -> tuple[int, dict[str, int]]:
    best = (-1, {})
    for idx, cells in enumerate(rows[:HEADER_SCAN_ROWS]):
        found = match_headers(cells, contract, mapping)
        if len(found) > len(best[1]):
            best = (idx, found)
    return best
