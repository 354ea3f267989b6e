"""Proposing a mapping for a file whose headers the contracts do not recognise.

For each contract column the file column that fits best is proposed, judged by its header (the
contract's spellings compared loosely: case, snake_case, word order, small typos, numbered
criteria `ind_1..ind_8` or `K1..K8` in the rule set's order) and by its values (16-digit numbers,
names of the city's kelurahan and kecamatan, yes/no words, dates, numbers). The analyst checks
the proposal; it becomes a mapping file of the usual format (`--mapping`). Nothing here reads
more than the file's first rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from rapidfuzz import fuzz

from pipelines.cities import City
from pipelines.ingestion.contracts import SOURCE_NAMES, Column, Contract, Kind, contract_for, normalize_header
from pipelines.ingestion.detect import head_blocks
from pipelines.ingestion.filetype import FileRejected, detect_file_type
from pipelines.regions import normalize_name, region_index
from pipelines.settings import HEADER_SCAN_ROWS

# A proposal needs a header at least this close to one of the column's spellings (0-100), or,
# for the kinds whose values say what they are, values that fit this often.
NAME_FIT = 75
VALUE_FIT = 0.8
# Values that fit this rarely contradict a similar header for the kinds whose values are telling.
CONTRADICTED = 0.2
# Header spellings shorter than this match only exactly ("RT" is not "ART").
SHORT = 3
YES_NO = {
    "ya", "y", "iya", "yes", "1", "benar", "true", "ada", "memenuhi", "memenuhi kriteria", "penerima", "terima",
    "menerima", "sudah", "tidak", "t", "tdk", "no", "n", "0", "salah", "false", "tidak ada", "bukan",
    "tidak memenuhi", "tidak memenuhi kriteria", "belum",
}  # fmt: skip
# The kinds whose values alone can identify a column (a number could be anything).
TELLING_KINDS = (Kind.ID16, Kind.KELURAHAN, Kind.KECAMATAN)
NUMBERED = re.compile(r"^(?:ind|indikator|k|kriteria|krit)[\s_.-]*(\d{1,2})$", re.I)


@dataclass(frozen=True)
class Proposal:
    column: str  # contract column
    label: str
    required: bool
    header: str | None  # the file's header proposed, None when nothing fits
    position: int | None
    reason: str  # why, in Indonesian

    def as_dict(self) -> dict:
        """For `mapping suggest --json` (Indonesian keys, like every JSON the product prints)."""
        return {
            "kolom": self.column,
            "label": self.label,
            "wajib": self.required,
            "judul": self.header,
            "posisi": self.position,
            "alasan": self.reason,
        }


@dataclass(frozen=True)
class Suggestion:
    source: str
    header_row: int  # 1-based row of the file holding the headers
    headers: list[str]
    proposals: list[Proposal]
    sheet: str | None = None

    @property
    def unused(self) -> list[str]:
        taken = {p.position for p in self.proposals if p.position is not None}
        return [h for i, h in enumerate(self.headers) if i not in taken and h.strip()]

    @property
    def missing_required(self) -> list[Proposal]:
        return [p for p in self.proposals if p.required and p.header is None]


def _words(text: str) -> str:
    return " ".join(re.split(r"[^a-z0-9]+", str(text).lower())).strip()


def name_fit(column: Column, header: str) -> float:
    """0-100: how close a header is to one of the column's spellings."""
    compact = normalize_header(header)
    if not compact:
        return 0.0
    best = 0.0
    for alias in column.aliases:
        alias_compact = normalize_header(alias)
        if alias_compact == compact:
            return 100.0
        if len(alias_compact) < SHORT or len(compact) < SHORT:
            continue
        best = max(best, fuzz.ratio(alias_compact, compact), fuzz.token_sort_ratio(_words(alias), _words(header)))
    return best


def value_fit(kind: Kind, values: list[str], city: City) -> float:
    """0-1: the share of sample values that look like the kind's values."""
    values = [v.strip() for v in values if v and v.strip()]
    if not values:
        return 0.0
    if kind is Kind.ID16:
        ok = sum(len(re.sub(r"\D", "", v)) == 16 for v in values)
    elif kind is Kind.KELURAHAN:
        index = region_index(city.kode)
        ok = sum(index.resolve(v.replace("_", " ")).kode is not None for v in values)
    elif kind is Kind.KECAMATAN:
        names = region_index(city.kode).kecamatan_names
        ok = sum(normalize_name(v.replace("_", " ")) in names for v in values)
    elif kind is Kind.YESNO:
        ok = sum(v.lower() in YES_NO for v in values)
    elif kind in (Kind.INT, Kind.NUMBER, Kind.RUPIAH, Kind.DESIL):
        ok = sum(bool(re.fullmatch(r"-?[\d.,]+", v)) for v in values)
    elif kind is Kind.DATE:
        ok = sum(bool(re.fullmatch(r"\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}", v)) for v in values)
    else:
        return 0.0
    return ok / len(values)


def _criteria(contract: Contract) -> list[Column]:
    """The rule set's criteria columns, in its order (verval only)."""
    if not contract.rules:
        return []
    codes = [c.kode for c in contract.rules.kriteria]
    return [c for code in codes for c in contract.columns if c.name == code]


def _header_row(rows: list[list[str]]) -> int:
    """The row (0-based) most like a header: the most text cells that are not numbers."""

    def texts(row):
        return sum(bool(c.strip()) and not re.fullmatch(r"[-\d.,/ ]+", c.strip()) for c in row)

    scan = rows[:HEADER_SCAN_ROWS]
    return max(range(len(scan)), key=lambda i: (texts(scan[i]), -i)) if scan else 0


def propose(contract: Contract, headers: list[str], sample: list[list[str]], city: City) -> list[Proposal]:
    """One proposal per contract column; each file column is proposed at most once."""
    column_values = [[row[i] if i < len(row) else "" for row in sample] for i in range(len(headers))]
    scored: list[tuple[float, int, str, int, str]] = []  # (score, order, column, position, reason)
    criteria = _criteria(contract)
    for pos, header in enumerate(headers):
        if not header.strip():
            continue
        numbered = NUMBERED.match(header.strip())
        if numbered and criteria and 1 <= int(numbered.group(1)) <= len(criteria):
            column = criteria[int(numbered.group(1)) - 1]
            scored.append(
                (200.0, 0, column.name, pos, f"kriteria nomor {numbered.group(1)} aturan {contract.rules.nama}")
            )
            continue
        for order, column in enumerate(contract.columns):
            by_name = name_fit(column, header)
            fits = value_fit(column.kind, column_values[pos], city)
            if column.kind in TELLING_KINDS and by_name < 100 and fits < CONTRADICTED:
                continue  # "no_keluarga" holding 1, 2, 3... is a running number, not a No KK
            if by_name >= NAME_FIT:
                words = "judul kolom sama" if by_name == 100 else f"judul kolom mirip ({by_name:.0f}/100)"
                if fits >= VALUE_FIT:
                    words += f", {fits:.0%} isinya cocok"
                scored.append((by_name + 10 * fits, order, column.name, pos, words))
            elif column.kind in TELLING_KINDS and fits >= VALUE_FIT:
                scored.append((60 * fits, order, column.name, pos, f"{fits:.0%} isinya cocok dengan {column.label}"))
    chosen: dict[str, tuple[int, str]] = {}
    taken: set[int] = set()
    for _score, _order, name, pos, reason in sorted(scored, key=lambda s: (-s[0], s[1], s[3])):
        if name not in chosen and pos not in taken:
            chosen[name] = (pos, reason)
            taken.add(pos)
    out = []
    for column in contract.columns:
        pos, reason = chosen.get(column.name, (None, "tidak ditemukan di berkas"))
        out.append(
            Proposal(
                column.name,
                column.label,
                column.required,
                headers[pos] if pos is not None else None,
                pos,
                reason,
            )
        )
    return out


def suggest(path: Path, city: City, *, source: str | None = None, sheet: str | None = None) -> Suggestion:
    """The best proposal for the file: for `source`, or for the kind whose proposal covers most."""
    path = Path(path)
    if not path.is_file():
        raise FileRejected(f"Berkas '{path}' tidak ditemukan.")
    blocks, _hidden = head_blocks(path, detect_file_type(path), sheet)
    kinds = [source] if source else list(SOURCE_NAMES)
    best: tuple[tuple[int, int], Suggestion] | None = None
    for text_rows, _raw in blocks:
        if not text_rows:
            continue
        idx = _header_row(text_rows)
        headers = [str(c) for c in text_rows[idx]]
        sample = text_rows[idx + 1 :]
        for kind in kinds:
            contract = contract_for(kind, city)
            proposals = propose(contract, headers, sample, city)
            found = [p for p in proposals if p.header is not None]
            key = (sum(p.required for p in found), len(found))
            if best is None or key > best[0]:
                best = (key, Suggestion(kind, idx + 1, headers, proposals, sheet))
    if best is None:
        raise FileRejected("Berkas tidak berisi baris yang bisa dibaca.")
    return best[1]


def _quote(text: str) -> str:
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"') + '"'


def as_toml(suggestion: Suggestion, file_name: str) -> str:
    """The proposal as a mapping file (README: "Berkas pemetaan"), with the reason beside each line."""
    lines = [
        f"# Usulan pemetaan untuk {file_name}. Periksa setiap baris sebelum dipakai dengan --mapping.",
        f"sumber = {_quote(suggestion.source)}",
        f"baris_judul = {suggestion.header_row}",
    ]
    if suggestion.sheet:
        lines.append(f"lembar = {_quote(suggestion.sheet)}")
    lines += ["", "[kolom]"]
    for p in suggestion.proposals:
        if p.header is not None:
            lines.append(f"{_quote(p.header)} = {_quote(p.column)}  # {p.label}: {p.reason}")
    for header in suggestion.unused:
        lines.append(f'{_quote(header)} = ""  # tidak dipakai')
    missing = [p for p in suggestion.proposals if p.header is None]
    if missing:
        lines += ["", "# Kolom yang tidak ditemukan di berkas:"]
        lines += [f"#   {p.column} ({p.label}){' - WAJIB' if p.required else ''}" for p in missing]
    return "\n".join(lines) + "\n"
