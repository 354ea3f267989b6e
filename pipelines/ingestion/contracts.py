"""Sources as data contracts: what each accepted kind of file must and may contain.

Each contract lists its columns with a kind (which decides how a value is cleaned and
checked), whether it is required, what happens to an invalid value (the row is
rejected, the row is flagged for verification, or the value is dropped with a
warning), and the header names real exports use. Headers are compared in a normal
form (lower case, letters and digits only), so `No. KK`, `NO KK` and `no_kk` are one.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from pathlib import Path


class Kind(StrEnum):
    ID16 = "id16"  # NIK or No KK: 16 digits kept as text
    TEXT = "text"
    KELURAHAN = "kelurahan"  # a kelurahan name or code, resolved to a Kemendagri code
    KECAMATAN = "kecamatan"
    KOTA = "kota"
    WILAYAH = "wilayah"  # a region at any level (area statistics)
    RTRW = "rtrw"
    INT = "int"
    NUMBER = "number"  # Indonesian notation: 1.234.567 and 12,5
    COORD = "coord"  # decimal degrees: -0.0345 or 109,3427
    RUPIAH = "rupiah"
    YESNO = "yesno"
    DESIL = "desil"
    DATE = "date"
    PERIOD = "period"
    SEX = "sex"
    CATEGORY = "category"  # mapped to a fixed vocabulary, see sql/staging/macros.sql


class OnInvalid(StrEnum):
    REJECT = "tolak"  # the row goes to the rejects file
    FLAG = "tandai"  # the row is accepted and flagged for verification
    WARN = "peringatan"  # the value is dropped, the row is accepted


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind
    label: str
    aliases: tuple[str, ...] = ()
    required: bool = False
    on_invalid: OnInvalid = OnInvalid.WARN
    category: str | None = None  # vocabulary name for Kind.CATEGORY


@dataclass(frozen=True)
class Contract:
    name: str
    label: str
    columns: tuple[Column, ...]
    # Rows sharing these columns describe the same thing: equal content is a duplicate,
    # different content a conflict. Empty means only exact duplicates are collapsed.
    key: tuple[str, ...] = ()
    # At least one of these must hold a valid value (penerima: No KK or NIK).
    one_of: tuple[str, ...] = ()
    # The fakir-miskin rule set whose criteria became columns (verval only).
    rules: RuleSet | None = field(default=None, compare=False)

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def normalize_header(value: str) -> str:
    text = unicodedata.normalize("NFKC", str(value)).lower()
    return re.sub(r"[^a-z0-9]", "", text)


def _c(name: str, kind: Kind, label: str, aliases: str = "", **kw) -> Column:
    """A column; `aliases` are the header spellings real exports use, separated by '|'."""
    return Column(name, kind, label, (name, label, *[a for a in aliases.split("|") if a]), **kw)


R, F = OnInvalid.REJECT, OnInvalid.FLAG
_KK_ALIASES = "No. KK|NO_KK|NOMOR_KK|Nomor KK|Nomor Kartu Keluarga|No Kartu Keluarga|NoKK|KK|No.KK|Nomor_Kartu_Keluarga"
_KELURAHAN_ALIASES = (
    "Desa/Kelurahan|Kelurahan/Desa|Kel|Kel/Desa|Desa|Nama Kelurahan|Nama Desa|Kode Kemendagri|Kode Kelurahan"
    "|Kode Wilayah|Kode Desa|Kode Desa/Kelurahan|KELURAHAN_DESA|NAMA_DESA|KODE_WILAYAH"
)

_NO_KK = _c("no_kk", Kind.ID16, "No KK", _KK_ALIASES, required=True, on_invalid=R)
_KELURAHAN = _c("kelurahan", Kind.KELURAHAN, "Kelurahan", _KELURAHAN_ALIASES, required=True, on_invalid=R)
_KECAMATAN = _c("kecamatan", Kind.KECAMATAN, "Kecamatan", "Kec|Nama Kecamatan|KODE_KECAMATAN")
_KOTA = _c("kota", Kind.KOTA, "Kabupaten/Kota", "Kota|Kab/Kota|Kabupaten|Nama Kota", on_invalid=R)
_RW = _c("rw", Kind.RTRW, "RW", "No RW|Nomor RW|R.W.|RW_", required=True, on_invalid=R)
_RT = _c("rt", Kind.RTRW, "RT", "No RT|Nomor RT|R.T.|RT_", required=True, on_invalid=R)
_ALAMAT = _c("alamat", Kind.TEXT, "Alamat", "Alamat Lengkap|Alamat Rumah|Jalan|ALAMAT_KK")
_PERIODE = _c("periode", Kind.PERIOD, "Periode", "Bulan|Triwulan|Tahun|Periode Laporan")

KELUARGA = Contract(
    name="keluarga",
    label="Data keluarga (DTSEN / P3KE)",
    key=("no_kk",),
    columns=(
        _NO_KK,
        _c(
            "nik_kepala",
            Kind.ID16,
            "NIK Kepala Keluarga",
            "NIK KRT|NIK_KRT|NIK Kepala|NIK KK|NIK Kepala Rumah Tangga|NIK_KEPALA_KELUARGA|NIK",
            required=True,
            on_invalid=F,
        ),
        _c(
            "nama_kepala",
            Kind.TEXT,
            "Nama Kepala Keluarga",
            "Nama KRT|NAMA_KRT|Nama Kepala|NAMA_KEPALA_KELUARGA|Nama Kepala Rumah Tangga|Nama KK|Nama",
            required=True,
            on_invalid=R,
        ),
        _KELURAHAN,
        _KECAMATAN,
        _KOTA,
        _RW,
        _RT,
        _ALAMAT,
        _c(
            "jumlah_anggota",
            Kind.INT,
            "Jumlah Anggota Keluarga",
            "Jumlah ART|Jml ART|JML_ART|Jumlah Anggota|Jml Anggota Keluarga|Jumlah Jiwa",
        ),
        _c(
            "desil",
            Kind.DESIL,
            "Desil",
            "Desil Kesejahteraan|Peringkat Kesejahteraan|Desil Nasional|DESIL_NASIONAL|Status Kesejahteraan|Kelompok Desil",
            required=True,
            on_invalid=R,
        ),
        _c("id_keluarga_p3ke", Kind.TEXT, "ID Keluarga P3KE", "ID Keluarga|IDKELUARGA|ID_KELUARGA_P3KE"),
        _c("lantai", Kind.CATEGORY, "Jenis Lantai", "Lantai|Jenis Lantai Terluas|JENIS_LANTAI", category="lantai"),
        _c(
            "dinding", Kind.CATEGORY, "Jenis Dinding", "Dinding|Jenis Dinding Terluas|JENIS_DINDING", category="dinding"
        ),
        _c("atap", Kind.CATEGORY, "Jenis Atap", "Atap|Jenis Atap Terluas|JENIS_ATAP", category="atap"),
        _c("luas_lantai", Kind.NUMBER, "Luas Lantai (m2)", "Luas Lantai|Luas Bangunan|LUAS_LANTAI"),
        _c(
            "sumber_air",
            Kind.CATEGORY,
            "Sumber Air Minum",
            "Sumber Air|Sumber Air Minum Utama|SUMBER_AIRMINUM|Air Minum",
            category="sumber_air",
        ),
        _c(
            "sanitasi",
            Kind.CATEGORY,
            "Fasilitas BAB",
            "Sanitasi|Fasilitas Buang Air Besar|Jamban|FASILITAS_BAB|Kepemilikan Jamban",
            category="sanitasi",
        ),
        _c(
            "penerangan",
            Kind.CATEGORY,
            "Sumber Penerangan",
            "Penerangan|Sumber Penerangan Utama|Daya Listrik|SUMBER_PENERANGAN",
            category="penerangan",
        ),
        _c(
            "jaminan_kesehatan",
            Kind.CATEGORY,
            "Jaminan Kesehatan",
            "JKN|BPJS Kesehatan|Kepemilikan Jaminan Kesehatan|Status JKN",
            category="jaminan_kesehatan",
        ),
        _c("rawan_pangan", Kind.YESNO, "Rawan Pangan", "Kerawanan Pangan|Pernah Tidak Makan|Kekurangan Pangan"),
        _c("penerima_pkh", Kind.YESNO, "Penerima PKH", "PKH|Status PKH"),
        _c("penerima_bpnt", Kind.YESNO, "Penerima BPNT", "BPNT|Sembako|Penerima Sembako|Status BPNT"),
        _c("penerima_pbi", Kind.YESNO, "Penerima PBI", "PBI|PBI JK|PBI-JK|Status PBI"),
        _c("lintang", Kind.COORD, "Lintang", "Latitude|Lat|Koordinat Lintang"),
        _c("bujur", Kind.COORD, "Bujur", "Longitude|Long|Lng|Lon|Koordinat Bujur"),
        _c(
            "tanggal_pemutakhiran",
            Kind.DATE,
            "Tanggal Pemutakhiran",
            "Tanggal Update|Tgl Update|Tanggal Pendataan|Tgl Pendataan|Tanggal Verifikasi",
        ),
    ),
)

ANGGOTA = Contract(
    name="anggota",
    label="Anggota keluarga",
    key=("nik",),
    columns=(
        _c("nik", Kind.ID16, "NIK", "NIK Anggota|Nomor Induk Kependudukan|NIK_ART", required=True, on_invalid=F),
        _NO_KK,
        _c("nama", Kind.TEXT, "Nama", "Nama Anggota|Nama Lengkap|NAMA_ART", required=True, on_invalid=R),
        _c("jenis_kelamin", Kind.SEX, "Jenis Kelamin", "JK|L/P|Kelamin|JENIS_KELAMIN"),
        _c("tanggal_lahir", Kind.DATE, "Tanggal Lahir", "Tgl Lahir|TGL_LAHIR|Tanggal_Lahir"),
        _c(
            "hubungan",
            Kind.CATEGORY,
            "Hubungan dengan Kepala Keluarga",
            "Hubungan|Hubungan Keluarga|Status Hubungan|SHDK|HUB_KRT",
            category="hubungan",
        ),
        _c("pendidikan", Kind.TEXT, "Pendidikan", "Pendidikan Terakhir|Ijazah Tertinggi|Jenjang Pendidikan"),
        _c("masih_sekolah", Kind.YESNO, "Masih Sekolah", "Status Sekolah|Partisipasi Sekolah|Bersekolah"),
        _c("pekerjaan", Kind.TEXT, "Pekerjaan", "Pekerjaan Utama|Status Pekerjaan|Jenis Pekerjaan"),
        _c("disabilitas", Kind.YESNO, "Disabilitas", "Penyandang Disabilitas|Difabel|Status Disabilitas"),
        _c("stunting", Kind.YESNO, "Stunting", "Balita Stunting|Status Stunting|Stunting (TB/U < -2 SD)"),
    ),
)

PENERIMA = Contract(
    name="penerima",
    label="Penerima program",
    one_of=("no_kk", "nik"),
    columns=(
        _c(
            "no_kk",
            Kind.ID16,
            "No KK",
            "no_kk|No KK|No. KK|NO_KK|NOMOR_KK|Nomor KK|Nomor Kartu Keluarga|No Kartu Keluarga|NoKK|KK|No.KK|Nomor_Kartu_Keluarga",
        ),
        _c("nik", Kind.ID16, "NIK", "NIK Penerima|NIK KPM|Nomor Induk Kependudukan"),
        _c("nama", Kind.TEXT, "Nama Penerima", "Nama|Nama KPM"),
        _c(
            "kode_program",
            Kind.TEXT,
            "Kode Program",
            "Program|Jenis Bantuan|Nama Program|KODE_PROGRAM",
            required=True,
            on_invalid=R,
        ),
        _c("tanggal", Kind.DATE, "Tanggal Terima", "Tanggal|Tanggal Penyaluran|Tgl Salur|Tanggal Bantuan"),
        _PERIODE,
        _c("nilai", Kind.RUPIAH, "Nilai (Rp)", "Nilai|Nominal|Jumlah Bantuan|Nilai Bantuan|Rupiah"),
        _c("kelurahan", Kind.KELURAHAN, "Kelurahan", _KELURAHAN_ALIASES),
    ),
)

PROGRAM = Contract(
    name="program",
    label="Program dan keluaran OPD",
    key=("kode_program", "periode", "kelurahan"),
    columns=(
        _c("kode_program", Kind.TEXT, "Kode Program", "Kode|KODE_PROGRAM", required=True, on_invalid=R),
        _c("nama_program", Kind.TEXT, "Nama Program", "Program", required=True, on_invalid=R),
        _c("opd", Kind.TEXT, "OPD", "Perangkat Daerah|Instansi|Dinas|OPD Pelaksana", required=True, on_invalid=R),
        _c("kegiatan", Kind.TEXT, "Kegiatan", "Nama Kegiatan|Sub Kegiatan"),
        _c(
            "kebutuhan_dasar",
            Kind.CATEGORY,
            "Kebutuhan Dasar",
            "Sasaran Kebutuhan|Bidang|Fokus",
            category="kebutuhan_dasar",
        ),
        _c("indikator_keluaran", Kind.TEXT, "Indikator Keluaran", "Indikator Output|Output"),
        _c("satuan", Kind.TEXT, "Satuan", "Satuan Keluaran"),
        _c("target", Kind.NUMBER, "Target", "Target Keluaran|Target Output"),
        _c("realisasi", Kind.NUMBER, "Realisasi", "Realisasi Keluaran|Capaian|Realisasi Output"),
        _c("anggaran", Kind.RUPIAH, "Anggaran (Rp)", "Anggaran|Pagu|Pagu Anggaran"),
        _c(
            "realisasi_anggaran",
            Kind.RUPIAH,
            "Realisasi Anggaran (Rp)",
            "Realisasi Anggaran|Serapan|Realisasi Keuangan",
        ),
        _c("jumlah_kegiatan", Kind.INT, "Jumlah Kegiatan", "Kegiatan Terlaksana|Frekuensi"),
        _c("sasaran_desil_maks", Kind.INT, "Sasaran Desil Maksimum", "Desil Sasaran|Desil Maks"),
        _PERIODE,
        _c("kelurahan", Kind.KELURAHAN, "Lokasi (Kelurahan)", f"Lokasi|{_KELURAHAN_ALIASES}", on_invalid=R),
    ),
)

KONTRIBUSI = Contract(
    name="kontribusi",
    label="Kontribusi mitra (pentahelix)",
    columns=(
        _c(
            "organisasi",
            Kind.TEXT,
            "Organisasi",
            "Nama Organisasi|Mitra|Lembaga|Nama Mitra",
            required=True,
            on_invalid=R,
        ),
        _c(
            "kategori",
            Kind.CATEGORY,
            "Kategori Pentahelix",
            "Kategori|Unsur Pentahelix|Jenis Mitra",
            required=True,
            on_invalid=R,
            category="pentahelix",
        ),
        _c("kegiatan", Kind.TEXT, "Kegiatan", "Nama Kegiatan|Bentuk Kegiatan", required=True, on_invalid=R),
        _c("jumlah_peserta", Kind.INT, "Jumlah Peserta", "Peserta|Jml Peserta"),
        _c("nilai_donasi", Kind.RUPIAH, "Nilai Donasi (Rp)", "Nilai Donasi|Donasi|Nilai Bantuan|Nilai (Rp)"),
        _c(
            "jumlah_penerima_manfaat",
            Kind.INT,
            "Jumlah Penerima Manfaat",
            "Penerima Manfaat|Jml Penerima Manfaat|Jumlah KK Penerima",
        ),
        _c("kelurahan", Kind.KELURAHAN, "Kelurahan", _KELURAHAN_ALIASES, on_invalid=R),
        _c("tanggal", Kind.DATE, "Tanggal", "Tanggal Kegiatan|Tgl Kegiatan", required=True, on_invalid=R),
        _c("tautan_dokumentasi", Kind.TEXT, "Tautan Dokumentasi", "Dokumentasi|Link Dokumentasi|Foto"),
    ),
)

INDIKATOR_WILAYAH = Contract(
    name="indikator_wilayah",
    label="Statistik wilayah (BPS, Dinkes)",
    key=("kode_wilayah", "periode", "indikator"),
    columns=(
        _c(
            "kode_wilayah",
            Kind.WILAYAH,
            "Kode Wilayah",
            "Wilayah|Nama Wilayah|Kode Kemendagri|Kelurahan|Kecamatan|Kota",
            required=True,
            on_invalid=R,
        ),
        _c("periode", Kind.PERIOD, "Periode", "Tahun|Bulan", required=True, on_invalid=R),
        _c("indikator", Kind.TEXT, "Indikator", "Nama Indikator|Variabel", required=True, on_invalid=R),
        _c("nilai", Kind.NUMBER, "Nilai", "Angka|Persentase", required=True, on_invalid=R),
        _c("satuan", Kind.TEXT, "Satuan", "Unit"),
        _c("sumber", Kind.TEXT, "Sumber", "Sumber Data"),
    ),
)


@dataclass(frozen=True)
class Criterion:
    kode: str
    label: str
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class RuleSet:
    """A fakir-miskin rule set read from a TOML file (see data/reference/rules/)."""

    nama: str
    ambang: int
    kriteria: tuple[Criterion, ...]
    langsung: Criterion | None  # meeting this one criterion alone makes a person FM

    @staticmethod
    def load(path: Path) -> RuleSet:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))

        def crit(d: dict) -> Criterion:
            return Criterion(d["kode"], d["label"], tuple(d.get("alias", ())))

        kriteria = tuple(crit(d) for d in raw["kriteria"])
        ambang = int(raw["ambang"])
        if not kriteria or not 1 <= ambang <= len(kriteria):
            raise ValueError(f"Aturan {path}: ambang {ambang} harus antara 1 dan {len(kriteria)}")
        if len({c.kode for c in kriteria}) != len(kriteria):
            raise ValueError(f"Aturan {path}: kode kriteria ganda")
        langsung = crit(raw["langsung"]) if "langsung" in raw else None
        return RuleSet(raw["nama"], ambang, kriteria, langsung)


def verval_contract(rules: RuleSet) -> Contract:
    criteria = [*(rules.kriteria), *([rules.langsung] if rules.langsung else [])]
    crit_columns = tuple(
        Column(
            c.kode, Kind.YESNO, c.label, (c.kode, c.label, *c.aliases), required=c is not rules.langsung, on_invalid=R
        )
        for c in criteria
    )
    return Contract(
        name="verval",
        label=f"Verifikasi-validasi lapangan ({rules.nama})",
        key=("nik",),
        rules=rules,
        columns=(
            _c("nik", Kind.ID16, "NIK", "NIK Anggota|Nomor Induk Kependudukan", required=True, on_invalid=F),
            _NO_KK,
            _c("nama", Kind.TEXT, "Nama", "Nama Lengkap|Nama Anggota", required=True, on_invalid=R),
            _KELURAHAN,
            _KECAMATAN,
            _KOTA,
            _RW,
            _RT,
            _ALAMAT,
            _c("tanggal", Kind.DATE, "Tanggal Verval", "Tanggal Survei|Tanggal Pendataan|Tanggal"),
            *crit_columns,
        ),
    )


STATIC_CONTRACTS = {c.name: c for c in (KELUARGA, ANGGOTA, PENERIMA, PROGRAM, KONTRIBUSI, INDIKATOR_WILAYAH)}
# Not a source kind: asks for the kind to be recognised from the file's headers (pipelines/ingestion/detect.py).
AUTO = "otomatis"
SOURCE_NAMES = ("keluarga", "anggota", "verval", "penerima", "program", "kontribusi", "indikator_wilayah")


class UnknownSource(ValueError):
    pass


@cache
def get_contract(name: str, rules_path: Path | None = None) -> Contract:
    """The contract for a source kind; `verval` takes the city's rule set."""
    if name == "verval":
        if rules_path is None:
            raise ValueError("verval memerlukan berkas aturan fakir miskin")
        return verval_contract(RuleSet.load(rules_path))
    if name not in STATIC_CONTRACTS:
        raise UnknownSource(f"Jenis sumber '{name}' tidak dikenal. Pilih salah satu: {', '.join(SOURCE_NAMES)}.")
    return STATIC_CONTRACTS[name]


def contract_for(source: str, city) -> Contract:
    """The contract as a city applies it: its fakir-miskin rule set, and RW optional where the
    city numbers households by RT only (Bontang)."""
    contract = get_contract(source, city.aturan_fakir_miskin if source == "verval" else None)
    if city.pakai_rw or "rw" not in contract.names:
        return contract
    return _without_required_rw(contract)


@cache
def _without_required_rw(contract: Contract) -> Contract:
    columns = tuple(
        Column(c.name, c.kind, c.label, c.aliases, required=False, on_invalid=OnInvalid.WARN, category=c.category)
        if c.name == "rw"
        else c
        for c in contract.columns
    )
    return Contract(contract.name, contract.label, columns, contract.key, contract.one_of, contract.rules)
