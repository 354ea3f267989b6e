"""The lurah's case work: masking of personal data and the follow-up record per family.

Follow-ups are kept in their own append-only store (data/state/tindak_lanjut.jsonl),
never by editing uploaded data, so they survive every re-upload and publish and show
in later periods. They are keyed by the family's pseudonym (kk_hash), not its No KK.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import json
import os
import re
from dataclasses import asdict, dataclass

from pipelines.settings import Settings

STATUSES = {
    "terverifikasi": "Sudah diverifikasi",
    "kunjungan": "Perlu kunjungan rumah",
    "dirujuk": "Dirujuk ke program",
    "pindah": "Pindah domisili",
    "meninggal": "Meninggal dunia",
}
# Statuses that mean the uploaded list must change at the next refresh.
NEEDS_DATA_CORRECTION = ("pindah", "meninggal")
MAX_NOTE = 500


class FollowUpError(ValueError):
    pass


def mask_id(value: str | None) -> str:
    """NIK / No KK with only the first 6 and last 4 digits shown: 617101******0001."""
    if not value:
        return "-"
    value = str(value)
    return value[:6] + "*" * max(0, len(value) - 10) + value[-4:] if len(value) > 10 else "*" * len(value)


def mask_name(value: str | None) -> str:
    """'Siti Aminah' -> 'S*** A*****': enough to tell rows apart, not to identify."""
    if not value:
        return "-"
    return " ".join(w[0] + "*" * max(2, len(w) - 1) for w in str(value).split())


def mask_address(value: str | None) -> str:
    """Keep the street kind, hide the rest: 'Jl. Merdeka No. 5' -> 'Jl. ***'."""
    if not value:
        return "-"
    m = re.match(r"^\s*(jl\.?|jalan|gg\.?|gang|komp\.?|komplek|perum\.?)\s", str(value), re.I)
    return f"{m.group(1)} ***" if m else "***"


@dataclass(frozen=True)
class FollowUp:
    kk_hash: str
    periode: str
    kode_kelurahan: str
    status: str
    catatan: str
    oleh: str
    waktu: str


def _path(settings: Settings):
    return settings.state_dir / "tindak_lanjut.jsonl"


def record(
    settings: Settings, *, kk_hash: str, periode: str, kode_kelurahan: str, status: str, catatan: str, user: str
) -> FollowUp:
    if status not in STATUSES:
        raise FollowUpError(f"Status tindak lanjut tidak dikenal: {status}")
    if not re.fullmatch(r"[0-9a-f]{32}", kk_hash or ""):
        raise FollowUpError("Keluarga tidak dikenal.")
    note = (catatan or "").strip()
    if len(note) > MAX_NOTE:
        raise FollowUpError(f"Catatan paling panjang {MAX_NOTE} karakter.")
    entry = FollowUp(
        kk_hash, periode, kode_kelurahan, status, note, user, dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    )
    settings.state_dir.mkdir(parents=True, exist_ok=True)
    fd = os.open(_path(settings), os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        os.write(fd, (json.dumps(asdict(entry), ensure_ascii=False) + "\n").encode("utf-8"))
        os.fsync(fd)
    finally:
        os.close(fd)
    return entry


def history(settings: Settings, *, kode_prefix: str | None = None) -> list[FollowUp]:
    """Every follow-up, oldest first, inside an area (a kelurahan or kecamatan code prefix)."""
    path = _path(settings)
    if not path.exists():
        return []
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = FollowUp(**json.loads(line))
        if (
            kode_prefix is None
            or item.kode_kelurahan == kode_prefix
            or item.kode_kelurahan.startswith(kode_prefix + ".")
        ):
            out.append(item)
    return out


def latest(settings: Settings, *, kode_prefix: str | None = None) -> dict[str, FollowUp]:
    """The most recent follow-up per family (shown in later periods too)."""
    result: dict[str, FollowUp] = {}
    for item in history(settings, kode_prefix=kode_prefix):
        result[item.kk_hash] = item
    return result
