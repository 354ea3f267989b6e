"""The lurah's case work: the case list and the follow-up record per family.

Follow-ups are appended to the transactional store (table tindak_lanjut; SQLite or PostgreSQL,
see store.py), never written into uploaded data, so they survive every re-upload and publish and
show in later periods. They are keyed by the family's pseudonym (kk_hash), not its No KK.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import asdict, dataclass, fields
from zoneinfo import ZoneInfo

import pandas as pd
import sqlalchemy as sa

from pipelines import domain, store
from pipelines.access import audit
from pipelines.formatting import angka, is_missing, rupiah, tanggal
from pipelines.periods import period_label
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
# Basic needs a family lacks (published family columns), in the words the case list uses.
NEEDS = {n.flag: n.case_label for n in domain.NEEDS}
# Vulnerable groups a family belongs to (published family columns), in the words of the filter.
GROUPS = {g.flag: g.label for g in domain.GROUPS}


def chosen(rows: pd.DataFrame, *, only_unserved: bool, needs: list[str], groups: list[str]) -> pd.Series:
    """Families of the case list kept by its filters: every chosen unmet need and every chosen group
    (labels as the filters show them). Unknown is not in: a family whose list does not say is left out."""
    keep = rows["kk_hash"].notna()
    if only_unserved:
        keep &= ~rows["menerima_program"].fillna(False).astype(bool)
    for words, columns in ((needs, NEEDS), (groups, GROUPS)):
        for label in words:
            column = next(k for k, v in columns.items() if v == label)
            # A lake published before the column existed: nobody is known to be in it.
            keep &= rows[column].fillna(False).astype(bool) if column in rows else False
    return keep


class FollowUpError(ValueError):
    pass


def unmet_needs(family: dict) -> str:
    """'Rumah tidak layak, Sanitasi' for a family record; '-' when nothing is known to be missing."""
    return ", ".join(label for key, label in NEEDS.items() if not is_missing(v := family.get(key)) and v) or "-"


def fakir_miskin_text(value, score=None) -> str:
    """The verval outcome in words; a family no verval reached is 'belum diverval', not 'Tidak'."""
    if is_missing(value):
        return "belum diverval"
    return ("Ya" if value else "Tidak") + ("" if is_missing(score) else f" (skor {int(score)})")


@dataclass(frozen=True)
class FollowUp:
    kk_hash: str
    periode: str
    kode_kelurahan: str
    status: str
    catatan: str
    oleh: str
    waktu: str


def _legacy_path(settings: Settings):
    return settings.state_dir / "tindak_lanjut.jsonl"


def _import_legacy(settings: Settings) -> None:
    """Follow-ups of an older release (data/state/tindak_lanjut.jsonl) move into the store once;
    the file is kept beside it, renamed, as the record of what was moved."""
    path = _legacy_path(settings)
    if not path.exists():
        return
    try:
        with store.transaction(settings) as conn:
            rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
            if rows:
                conn.execute(sa.insert(store.tindak_lanjut), [{**r, "catatan": r.get("catatan") or ""} for r in rows])
            # Renamed before the commit: a second process that read the file too fails here and rolls back.
            path.rename(path.with_suffix(".jsonl.dipindahkan"))
    except FileNotFoundError:
        return


def record(
    settings: Settings, *, kk_hash: str, periode: str, kode_kelurahan: str, status: str, catatan: str, user: str
) -> FollowUp:
    """Append one follow-up (not audited: the page's path is `follow_up`)."""
    entry = _checked(kk_hash, periode, kode_kelurahan, status, catatan, user)
    _import_legacy(settings)
    with store.transaction(settings) as conn:
        conn.execute(sa.insert(store.tindak_lanjut).values(**asdict(entry)))
    return entry


def follow_up(
    settings: Settings,
    *,
    kk_hash: str,
    periode: str,
    kode_kelurahan: str,
    status: str,
    catatan: str,
    user: str,
    role: str,
) -> FollowUp:
    """A user's follow-up on a family: checked, audited, then kept. If the audit line cannot be
    written (AuditError), nothing is kept."""
    _checked(kk_hash, periode, kode_kelurahan, status, catatan, user)
    audit.record(
        settings, user=user, role=role, action="tindak_lanjut", scope=kode_kelurahan, rows=1, detail=STATUSES[status]
    )
    return record(
        settings,
        kk_hash=kk_hash,
        periode=periode,
        kode_kelurahan=kode_kelurahan,
        status=status,
        catatan=catatan,
        user=user,
    )


def _checked(kk_hash: str, periode: str, kode_kelurahan: str, status: str, catatan: str, user: str) -> FollowUp:
    if status not in STATUSES:
        raise FollowUpError(f"Status tindak lanjut tidak dikenal: {status}")
    if not re.fullmatch(r"[0-9a-f]{32}", kk_hash or ""):
        raise FollowUpError("Keluarga tidak dikenal.")
    note = (catatan or "").strip()
    if len(note) > MAX_NOTE:
        raise FollowUpError(f"Catatan paling panjang {MAX_NOTE} karakter.")
    return FollowUp(
        kk_hash, periode, kode_kelurahan, status, note, user, dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    )


def history(settings: Settings, *, kode_prefix: str | None = None) -> list[FollowUp]:
    """Every follow-up, oldest first, inside an area (a kelurahan or kecamatan code prefix)."""
    _import_legacy(settings)
    table = store.tindak_lanjut
    query = sa.select(*[table.c[f.name] for f in fields(FollowUp)]).order_by(table.c.id)
    if kode_prefix is not None:
        query = query.where(
            sa.or_(table.c.kode_kelurahan == kode_prefix, table.c.kode_kelurahan.startswith(kode_prefix + "."))
        )
    with store.connection(settings) as conn:
        return [FollowUp(**row) for row in conn.execute(query).mappings()]


def latest(settings: Settings, *, kode_prefix: str | None = None) -> dict[str, FollowUp]:
    """The most recent follow-up per family (shown in later periods too)."""
    result: dict[str, FollowUp] = {}
    for item in history(settings, kode_prefix=kode_prefix):
        result[item.kk_hash] = item
    return result


def for_family(settings: Settings, kk_hash: str, *, kode_prefix: str) -> list[FollowUp]:
    """One family's follow-ups inside an area, newest first."""
    return [item for item in reversed(history(settings, kode_prefix=kode_prefix)) if item.kk_hash == kk_hash]


# ---- tables the case worker reads: plain text cells, Indonesian headers --------------------

RELATIONS = {
    "kepala": "Kepala keluarga",
    "pasangan": "Istri/suami",
    "anak": "Anak",
    "menantu": "Menantu",
    "cucu": "Cucu",
    "orang_tua": "Orang tua",
    "lainnya": "Lainnya",
}
# The case list on screen: the follow-up first, so it is seen without scrolling sideways.
# The download carries every column of `case_table`.
CASE_COLUMNS = ["Tindak lanjut", "Kepala keluarga", "RW/RT", "Desil", "Fakir miskin", "Belum terpenuhi", "Program"]


def as_text(value) -> str:
    return "-" if is_missing(value) else str(value)


def programmes_text(value) -> str:
    return ", ".join(value) if value is not None and len(value) else "-"


def _yes(value) -> bool:
    return not is_missing(value) and bool(value)


def case_table(rows: pd.DataFrame, follow: dict[str, FollowUp], zone: str) -> pd.DataFrame:
    """The case list, one row per family of `rows` (the read side's case list) with its latest follow-up."""
    latest_of = [follow.get(h) for h in rows["kk_hash"]]
    return pd.DataFrame(
        {
            "Tindak lanjut": [STATUSES[f.status] if f else "-" for f in latest_of],
            "Kepala keluarga": rows["nama_kepala"].map(as_text),
            "RW/RT": rows["rw"].map(as_text) + "/" + rows["rt"].map(as_text),
            "Desil": rows["desil"].map(lambda d: "-" if is_missing(d) else str(int(d))),
            "Fakir miskin": rows["fakir_miskin"].map(fakir_miskin_text),
            "Belum terpenuhi": [unmet_needs(r) for r in rows.to_dict("records")],
            "Program": rows["program"].map(programmes_text),
            "Alamat": rows["alamat"].map(as_text),
            "No KK": rows["no_kk"].map(as_text),
            "Jiwa": rows["jumlah_jiwa"],
            "Waktu tindak lanjut": [local_time(f.waktu, zone) if f else "-" for f in latest_of],
        },
        index=rows.index,
    )


def member_table(members: pd.DataFrame) -> pd.DataFrame:
    """Members as listed (read.MEMBER_COLUMNS), names and NIK as the read side masked them."""
    notes = [
        ", ".join(word for word, flag in (("disabilitas", r["disabilitas"]), ("stunting", r["stunting"])) if _yes(flag))
        or "-"
        for r in members.to_dict("records")
    ]
    return pd.DataFrame(
        {
            "Nama": members["nama"].map(as_text),
            "NIK": members["nik"].map(as_text),
            "Hubungan": members["hubungan"].map(lambda h: RELATIONS.get(h, as_text(h))),
            "L/P": members["jenis_kelamin"].map(as_text),
            "Umur": members["umur"].map(lambda u: "-" if is_missing(u) else f"{int(u)} th"),
            "Pendidikan": members["pendidikan"].map(as_text),
            "Pekerjaan": members["pekerjaan"].map(as_text),
            "Catatan": notes,
        }
    )


def history_table(history: pd.DataFrame) -> pd.DataFrame:
    """The family per period, oldest first: desil, fakir-miskin status, needs and programmes over time."""
    return pd.DataFrame(
        {
            "Periode": history["periode"].map(period_label),
            "Desil": history["desil"].map(lambda d: "-" if is_missing(d) else str(int(d))),
            "Fakir miskin": [fakir_miskin_text(r["fakir_miskin"], r["skor_fm"]) for r in history.to_dict("records")],
            "Jiwa": history["jumlah_jiwa"].map(lambda j: "-" if is_missing(j) else angka(j)),
            "Belum terpenuhi": [unmet_needs(r) for r in history.to_dict("records")],
            "Program": history["program"].map(programmes_text),
            "RW/RT": history["rw"].map(as_text) + "/" + history["rt"].map(as_text),
            "Diperbarui": history["diperbarui"].map(tanggal),
        }
    )


def receipt_table(receipts: pd.DataFrame) -> pd.DataFrame:
    """What the family received, oldest first, with the programme's name and OPD from the catalogue."""
    return pd.DataFrame(
        {
            "Periode": receipts["periode"].map(period_label),
            "Tanggal": receipts["tanggal"].map(tanggal),
            "Program": [
                as_text(r["kode_program"])
                if is_missing(r["nama_program"])
                else f"{r['nama_program']} ({r['kode_program']})"
                for r in receipts.to_dict("records")
            ],
            "OPD": receipts["opd"].map(as_text),
            "Nilai": receipts["nilai"].map(rupiah),
        }
    )


def local_time(waktu: str, zone: str) -> str:
    """A stored UTC time as the city reads it: '1 Desember 2026 17.55'."""
    when = dt.datetime.fromisoformat(waktu).astimezone(ZoneInfo(zone))
    return f"{tanggal(when.date())} {when:%H.%M}"


def follow_up_table(items: list[FollowUp], zone: str) -> pd.DataFrame:
    """Follow-ups as given (newest first from `for_family`): when (in the city's time zone), who,
    status, period and note."""
    return pd.DataFrame(
        {
            "Waktu": [local_time(f.waktu, zone) for f in items],
            "Oleh": [f.oleh for f in items],
            "Status": [STATUSES.get(f.status, f.status) for f in items],
            "Periode": [period_label(f.periode) for f in items],
            "Catatan": [f.catatan or "-" for f in items],
        }
    )
