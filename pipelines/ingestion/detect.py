"""Which source kind a file holds, read from its header row, for an analyst who does not pick one.

Every contract is matched against the first rows of the file (every delimiter of a CSV,
every visible sheet of a workbook, a merged group header joined to its sub-headers). A kind
found only in a hidden sheet is refused with the sheet's name, never read silently. A kind is a
candidate only when all its required columns are found; the candidate matching the most
columns wins. A tie, or no candidate, is refused with a message that names what was seen,
so the analyst picks the kind by hand (or writes a mapping file that says `sumber`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path

from pipelines.cities import City
from pipelines.ingestion.contracts import AUTO, SOURCE_NAMES, Contract, contract_for
from pipelines.ingestion.csv_reader import head_rows as csv_head_rows
from pipelines.ingestion.csv_scan import read_head
from pipelines.ingestion.excel_reader import (
    calamine_errors,
    head_rows,
    hidden_sheet_rejected,
    open_workbook,
    with_parents,
)
from pipelines.ingestion.filetype import FileRejected, detect_file_type
from pipelines.ingestion.headers import best_header, missing_columns
from pipelines.ingestion.mapping import Mapping, MappingError
from pipelines.settings import MAX_CSV_COLUMNS

__all__ = ["AUTO", "detect_source"]


Blocks = list[tuple[list[list[str]], list[list]]]


def _sheet_blocks(wb, name: str) -> Blocks:
    with calamine_errors():
        head = head_rows(wb.get_sheet_by_name(name))
    return [([[str(c) for c in r] for r in head], head)]


def head_blocks(path: Path, kind: str, sheet: str | None) -> tuple[Blocks, dict[str, Callable[[], Blocks]]]:
    """(rows as text, raw rows) for each way the file's first rows can be read; and, for each hidden
    sheet of a workbook, how to read its first rows (only when no visible sheet will do)."""
    if kind == "csv":
        # Rows cut one cell past the column limit: the ingest refuses a wider file, saying how wide.
        cut = [[r[: MAX_CSV_COLUMNS + 1] for r in rows] for rows in csv_head_rows(read_head(path)).values()]
        return [(rows, rows) for rows in cut], {}
    wb, names, hidden = open_workbook(path, sheet)
    blocks = [b for name in names for b in _sheet_blocks(wb, name)]
    return blocks, {name: partial(_sheet_blocks, wb, name) for name in hidden}


def _match(blocks, contract: Contract, mapping: Mapping | None, excel: bool) -> dict[str, int]:
    best: dict[str, int] = {}
    for text_rows, raw_rows in blocks:
        idx, found = best_header(text_rows, contract, mapping)
        if idx >= 0 and excel:
            _, found = with_parents(raw_rows, idx, contract, mapping)
        if len(found) > len(best):
            best = found
    return best


def _mapping_source(mapping_file: Path | None) -> str | None:
    source = Mapping.declared_source(mapping_file) if mapping_file else None
    if source is not None and source not in SOURCE_NAMES:
        raise MappingError(f"sumber '{source}' di berkas pemetaan tidak dikenal. Pilih: {', '.join(SOURCE_NAMES)}.")
    return source


def _scores(blocks: Blocks, city: City, mapping_file: Path | None, *, excel: bool) -> list[tuple[int, str]]:
    """(columns found, kind) for each kind whose required columns are all found."""
    scores: list[tuple[int, str]] = []
    for source in SOURCE_NAMES:
        contract = contract_for(source, city)
        try:
            mapping = Mapping.load(mapping_file, contract) if mapping_file else None
        except MappingError:
            continue  # the mapping names columns this kind does not have
        found = _match(blocks, contract, mapping, excel)
        if not missing_columns(found, contract):
            scores.append((len(found), source))
    return scores


def detect_source(path: Path, city: City, *, sheet: str | None = None, mapping_file: Path | None = None) -> str:
    """The source kind of a file, or FileRejected saying why it cannot be told."""
    path = Path(path)
    if not path.is_file():
        raise FileRejected(f"Berkas '{path}' tidak ditemukan.")
    kind = detect_file_type(path)
    if named := _mapping_source(mapping_file):
        return named
    blocks, hidden = head_blocks(path, kind, sheet)
    scores = _scores(blocks, city, mapping_file, excel=kind != "csv")
    if not scores:
        for name, hidden_blocks in hidden.items():
            if _scores(hidden_blocks(), city, mapping_file, excel=True):
                raise hidden_sheet_rejected(name, "Data")
    scores.sort(reverse=True)
    if not scores:
        raise FileRejected(
            "Jenis data tidak bisa dikenali dari judul kolomnya: tidak ada jenis yang semua kolom wajibnya "
            "ditemukan. Pilih jenis data secara manual untuk melihat kolom mana yang kurang, atau buat berkas "
            "pemetaan (lihat README, bagian 'Berkas pemetaan')."
        )
    if len(scores) > 1 and scores[0][0] == scores[1][0]:
        tied = [contract_for(s, city).label for n, s in scores if n == scores[0][0]]
        raise FileRejected(
            f"Judul kolom cocok untuk lebih dari satu jenis data ({', '.join(tied)}). Pilih jenis data secara manual."
        )
    return scores[0][1]
