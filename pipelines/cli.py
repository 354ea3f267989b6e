"""The `python -m pipelines` command line.

Exit codes: 0 done (an ingest may still have rejected some rows: see its report),
2 the input cannot be used at all (message in Indonesian on stderr), 3 another
process holds the lock, 4 the audit log cannot be written, 5 the server's disk or
the application's database refused a write (full, read-only, no permission).
Every failure ends with one Indonesian line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import sqlalchemy as sa

from pipelines.access import accounts, audit
from pipelines.cities import UnknownCity, get_city
from pipelines.formatting import angka
from pipelines.ingestion import disk
from pipelines.ingestion.contracts import AUTO, SOURCE_NAMES, UnknownSource
from pipelines.ingestion.mapping import MappingError
from pipelines.ingestion.readers import FileRejected
from pipelines.lake import manifest as lake
from pipelines.lake import registry
from pipelines.lake.lock import LockBusy
from pipelines.periods import PeriodError, period_label
from pipelines.settings import get_settings
from pipelines.state import active_city

EXIT_UNUSABLE = 2
EXIT_BUSY = 3
EXIT_AUDIT = 4
EXIT_STORAGE = 5
# Commands that change something and record it in the audit log afterwards.
AUDITED = {"ingest", "publish", "rollback", "withdraw", "users"}
LEVELS = ("kota", "kecamatan", "kelurahan", "rw", "rt")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m pipelines", description="Data TKPKD: unggah, terbitkan, ringkasan.")
    sub = p.add_subparsers(dest="command", required=True)

    ing = sub.add_parser("ingest", help="baca, bersihkan dan simpan satu berkas (belum diterbitkan)")
    ing.add_argument(
        "source",
        choices=(AUTO, *SOURCE_NAMES),
        metavar="SOURCE",
        help=f"jenis sumber: {', '.join(SOURCE_NAMES)}, atau '{AUTO}' (dikenali dari judul kolom)",
    )
    ing.add_argument("file", type=Path, metavar="FILE")
    ing.add_argument("--period", required=True, help="periode data, mis. 2025-Q4 atau 2025-12")
    ing.add_argument("--mapping", type=Path, help="berkas pemetaan kolom (TOML)")
    ing.add_argument("--sheet", help="nama lembar Excel (bila tidak dipilih otomatis)")
    ing.add_argument("--user", default="cli", help="nama pengunggah untuk catatan audit")
    ing.add_argument("--json", action="store_true", help="cetak laporan sebagai JSON")

    pub = sub.add_parser("publish", help="terbitkan semua unggahan aktif sebagai versi baru")
    pub.add_argument("--user", default="cli")
    pub.add_argument("--json", action="store_true")

    rb = sub.add_parser("rollback", help="kembali ke versi terbit sebelumnya")
    rb.add_argument("--to", help="versi tujuan, mis. v0003 (bawaan: versi sebelumnya)")
    rb.add_argument("--user", default="cli")
    rb.add_argument("--json", action="store_true")

    demo = sub.add_parser("demo", help="bangkitkan data contoh sintetis dan terbitkan")
    demo.add_argument("--city", default="61.71", help="kode atau nama kota: 61.71 (Pontianak), 64.74 (Bontang)")
    demo.add_argument("--scale", type=float, default=1.0, help="skala jumlah keluarga (1.0 = ukuran kota)")
    demo.add_argument("--seed", type=int, default=2025)
    demo.add_argument("--if-missing", action="store_true", help="lewati bila sudah ada data terbit")
    demo.add_argument("--json", action="store_true")

    summ = sub.add_parser("summary", help="indikator wilayah dari versi terbit")
    summ.add_argument("--period", required=True)
    summ.add_argument("--level", choices=LEVELS, default="kelurahan")
    summ.add_argument("--json", action="store_true")

    ev = sub.add_parser("evaluasi", help="evaluasi program: keluaran, hasil, biaya per hasil, ketepatan sasaran")
    ev.add_argument("--period", required=True, help="periode, mis. 2025-Q4 atau Triwulan IV 2025")
    ev.add_argument("--json", action="store_true")

    st = sub.add_parser("status", help="versi terbit dan daftar unggahan")
    st.add_argument("--json", action="store_true")

    us = sub.add_parser("users", help="kelola akun pengguna dasbor")
    us_sub = us.add_subparsers(dest="users_command", required=True)
    add = us_sub.add_parser("add", help="buat akun baru")
    add.add_argument("username")
    add.add_argument("--role", required=True, choices=sorted(accounts.ROLES), help="peran akun")
    add.add_argument("--area", help="kode kecamatan (camat) atau kelurahan (lurah)")
    add.add_argument("--name", default="", help="nama lengkap")
    add.add_argument("--email", help="e-mail untuk masuk lewat SSO (OIDC)")
    add.add_argument("--password", help="kata sandi (bawaan: dibuat acak dan dicetak sekali)")
    us_sub.add_parser("list", help="daftar akun")
    pw = us_sub.add_parser("passwd", help="ganti kata sandi")
    pw.add_argument("username")
    pw.add_argument("--password", help="kata sandi baru (bawaan: dibuat acak dan dicetak sekali)")
    for name, text in (("disable", "nonaktifkan akun"), ("enable", "aktifkan akun")):
        one = us_sub.add_parser(name, help=text)
        one.add_argument("username")
    init = us_sub.add_parser("init-admin", help="buat admin pertama bila belum ada (sandi dari TKPKD_ADMIN_PASSWORD)")
    init.add_argument("--username", default="admin")
    us_sub.add_parser("init-demo", help="buat akun contoh (pimpinan, analis, camat, lurah) bila belum ada akun")

    mp = sub.add_parser("mapping", help="berkas pemetaan kolom")
    mp_sub = mp.add_subparsers(dest="mapping_command", required=True)
    sug = mp_sub.add_parser("suggest", help="usulkan pemetaan untuk berkas yang judul kolomnya tidak dikenali")
    sug.add_argument("file", type=Path, metavar="FILE")
    sug.add_argument("--source", choices=SOURCE_NAMES, help="jenis sumber (bawaan: yang paling cocok)")
    sug.add_argument("--sheet", help="nama lembar Excel")
    sug.add_argument("--json", action="store_true", help="cetak usulan sebagai JSON")

    wd = sub.add_parser("withdraw", help="tarik unggahan agar tidak ikut terbitan berikutnya")
    wd.add_argument("id_unggahan")
    wd.add_argument("--user", default="cli")
    return p


def _print(data, as_json: bool, text: str) -> None:
    if as_json:
        print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
    else:
        print(text)


def _audit(user: str, action: str, rows: int | None, detail: str) -> None:
    """Command-line uploads, publishes and rollbacks are audited like the app's."""
    audit.record(get_settings(), user=user, role="cli", action=action, rows=rows, detail=detail)


def _cmd_ingest(args) -> int:
    from pipelines.ingestion.ingest import ingest

    source = args.source
    if source == AUTO:
        from pipelines.ingestion.detect import detect_source

        source = detect_source(args.file, active_city(get_settings()), sheet=args.sheet, mapping_file=args.mapping)
    result = ingest(source, args.file, args.period, mapping_file=args.mapping, sheet=args.sheet, user=args.user)
    _audit(
        args.user, "unggah", result.report["baris_dibaca"], f"{result.report['berkas']} ({source}, {args.period}), CLI"
    )
    r = result.report
    lines = [
        f"Berkas {r['berkas']} ({r['sumber']}, {period_label(r['periode'])})"
        + (" sudah pernah diunggah; tidak ada data ganda." if r["sudah_pernah_diunggah"] else ""),
        f"  baris dibaca {angka(r['baris_dibaca'])}, diterima {angka(r['baris_diterima'])}, "
        f"ditolak {angka(r['baris_ditolak'])}, ditandai untuk verifikasi {angka(r['baris_ditandai'])}",
    ]
    for reason, n in list(r["ditolak_menurut_alasan"].items())[:10]:
        lines.append(f"  - {reason}: {angka(n)}")
    if r["baris_ditolak"]:
        lines.append(f"  Daftar baris ditolak: {r['berkas_penolakan']}")
    lines.append("  Belum diterbitkan: jalankan `python -m pipelines publish`.")
    _print(r, args.json, "\n".join(lines))
    return 0


def _cmd_publish(args) -> int:
    from pipelines.lake.publish import publish

    m = publish(user=args.user)
    _audit(args.user, "terbitkan", m["tabel"]["keluarga"]["baris"], f"{m['versi']}, CLI")
    keluarga = m["tabel"]["keluarga"]["baris"]
    text = (
        f"Versi {m['versi']} diterbitkan: {len(m['unggahan'])} unggahan, {angka(keluarga)} baris keluarga, "
        f"periode {', '.join(m['periode'])}."
    )
    _print(m, args.json, text)
    return 0


def _cmd_rollback(args) -> int:
    from pipelines.lake.publish import rollback

    m = rollback(user=args.user, to=args.to)
    _audit(args.user, "kembalikan", None, f"{m['dipulihkan_dari']} -> {m['versi']}, CLI")
    _print(m, args.json, f"Versi aktif sekarang {m['versi']} (sebelumnya {m['dipulihkan_dari']}).")
    return 0


def _cmd_demo(args) -> int:
    from demo import build_demo

    settings = get_settings()
    if args.if_missing and (settings.lake_dir / lake.MANIFEST).exists():
        _print({"dilewati": True}, args.json, "Data terbit sudah ada; data contoh tidak dibangun ulang.")
        return 0
    result = build_demo(
        get_city(args.city), settings=settings, scale=args.scale, seed=args.seed, progress=not args.json
    )
    _print(result, args.json, f"Data contoh {result['kota']} diterbitkan sebagai versi {result['versi']}.")
    return 0


def _cmd_summary(args) -> int:
    from pipelines.read.summary import summary

    rows = summary(args.period, args.level)
    if args.json:
        _print(rows, True, "")
        return 0
    header = f"{'kode_wilayah':<24}{'nama_wilayah':<24}{'keluarga':>10}{'jiwa':>10}{'FM':>7}{'desil 1-4':>11}"
    out = [header]
    for r in rows:
        out.append(
            f"{r['kode_wilayah']:<24}{(r['nama_wilayah'] or '')[:23]:<24}{angka(r['jumlah_keluarga']):>10}"
            f"{angka(r['jumlah_jiwa'] or 0):>10}{angka(r['keluarga_fakir_miskin']):>7}{angka(r['keluarga_desil_1_4']):>11}"
        )
    print("\n".join(out))
    return 0


def _cmd_evaluasi(args) -> int:
    from pipelines.access.scope import Scope
    from pipelines.evaluation.programmes import evaluate
    from pipelines.evaluation.report import lines, records
    from pipelines.periods import require_period
    from pipelines.read.query import reader

    lake_reader = reader()
    code, name = lake_reader.city()
    ev = evaluate(lake_reader, Scope.whole_city(), require_period(args.period))
    _print(records(ev, name), args.json, "\n".join(lines(ev, name)))
    return 0


def _cmd_status(args) -> int:
    settings = get_settings()
    uploads = registry.uploads(settings, include_withdrawn=True)
    try:
        manifest = lake.read_manifest(settings)
    except lake.NoLake:
        manifest = None
    data = {"versi_aktif": manifest["versi"] if manifest else None, "unggahan": uploads}
    lines = [
        f"Versi aktif: {manifest['versi']} ({manifest['diterbitkan_pada']})" if manifest else "Belum ada versi terbit."
    ]
    for u in uploads:
        mark = " [ditarik]" if "ditarik_pada" in u else ""
        lines.append(
            f"  {u['id']}{mark}: {u['nama_berkas']}, {u['baris_diterima']} diterima / {u['baris_ditolak']} ditolak"
        )
    _print(data, args.json, "\n".join(lines))
    return 0


def _cmd_users(args) -> int:
    settings = get_settings()
    city = active_city(settings)
    cmd = args.users_command
    if cmd == "list":
        for a in accounts.load(settings).values():
            status = "aktif" if a.aktif else "nonaktif"
            print(f"{a.username:<20}{a.role.label:<28}{a.wilayah or 'seluruh kota':<16}{status}")
        return 0
    if cmd == "init-admin":
        if any(a.peran == "admin" for a in accounts.load(settings).values()):
            print("Admin sudah ada; tidak ada yang diubah.")
            return 0
        given = os.environ.get("TKPKD_ADMIN_PASSWORD")
        password = given or accounts.generate_password()
        accounts.create(
            settings,
            username=args.username,
            nama="Admin",
            peran="admin",
            wilayah=None,
            password=password,
            city_code=city.kode,
        )
        audit.record(settings, user="cli", role="admin", action="kelola_pengguna", detail=f"buat admin {args.username}")
        print(f"Admin '{args.username}' dibuat." + ("" if given else f" Kata sandi (dicetak sekali): {password}"))
        return 0
    if cmd == "init-demo":
        return _init_demo(settings, city)
    password = getattr(args, "password", None) or (accounts.generate_password() if cmd in ("add", "passwd") else None)
    if cmd == "add":
        accounts.create(
            settings,
            username=args.username,
            nama=args.name,
            peran=args.role,
            wilayah=args.area,
            password=password,
            city_code=city.kode,
            email=args.email,
        )
        detail = f"buat {args.username} ({args.role}, {args.area or 'seluruh kota'})"
    elif cmd == "passwd":
        accounts.set_password(settings, args.username, password)
        detail = f"ganti sandi {args.username}"
    else:
        accounts.set_active(settings, args.username, cmd == "enable")
        detail = f"{'aktifkan' if cmd == 'enable' else 'nonaktifkan'} {args.username}"
    audit.record(settings, user="cli", role="admin", action="kelola_pengguna", detail=detail)
    print(
        f"Selesai: {detail}."
        + (f" Kata sandi (dicetak sekali): {password}" if cmd in ("add", "passwd") and not args.password else "")
    )
    return 0


def _init_demo(settings, city) -> int:
    """Demo accounts for a first look, with random passwords printed once; never over existing ones."""
    if any(a.peran != "admin" for a in accounts.load(settings).values()):
        print("Sudah ada akun pengguna; akun contoh tidak dibuat.")
        return 0
    regions = city.regions().set_index("kode_kemendagri")
    kel_code = regions[regions["level"] == "kelurahan"].index[0]
    try:  # the demo lurah and camat get the kelurahan with the most desil-1 families, if data exist
        from pipelines.read.summary import summary

        rows = summary(lake.read_manifest(settings)["periode"][-1], "kelurahan")
        kel_code = max(rows, key=lambda r: r["keluarga_desil_1"] or 0)["kode_wilayah"]
    except lake.NoLake:
        pass
    kec_code = regions.loc[kel_code, "parent_kode"]
    plan = [
        ("pimpinan", "Wakil Wali Kota (contoh)", "pimpinan", None),
        ("analis", "Analis Bappeda (contoh)", "analis", None),
        ("camat", f"Camat {regions.loc[kec_code, 'nama_kemendagri']} (contoh)", "camat", kec_code),
        ("lurah", f"Lurah {regions.loc[kel_code, 'nama_kemendagri']} (contoh)", "lurah", kel_code),
    ]
    print("Akun contoh (kata sandi dicetak sekali; ganti dengan `users passwd`):")
    for username, nama, role, area in plan:
        password = accounts.generate_password()
        accounts.create(
            settings, username=username, nama=nama, peran=role, wilayah=area, password=password, city_code=city.kode
        )
        print(f"  {username:<10} {password:<20} {nama}")
    audit.record(settings, user="cli", role="admin", action="kelola_pengguna", detail="buat akun contoh")
    return 0


def _cmd_withdraw(args) -> int:
    entry = registry.withdraw(get_settings(), args.id_unggahan, args.user)
    _audit(args.user, "unggah", None, f"tarik {entry['id']}, CLI")
    print(f"Unggahan {entry['id']} ditarik; terbitkan ulang agar berlaku.")
    return 0


def _cmd_mapping(args) -> int:
    from pipelines.ingestion.suggest import as_toml, suggest

    found = suggest(args.file, active_city(get_settings()), source=args.source, sheet=args.sheet)
    data = {"sumber": found.source, "baris_judul": found.header_row, "usulan": [p.as_dict() for p in found.proposals]}
    _print(data, args.json, as_toml(found, args.file.name).rstrip())
    return 0


COMMANDS = {
    "ingest": _cmd_ingest,
    "publish": _cmd_publish,
    "rollback": _cmd_rollback,
    "demo": _cmd_demo,
    "summary": _cmd_summary,
    "evaluasi": _cmd_evaluasi,
    "status": _cmd_status,
    "withdraw": _cmd_withdraw,
    "users": _cmd_users,
    "mapping": _cmd_mapping,
}


def _fail(args, message: str, code: int) -> int:
    if getattr(args, "json", False):
        print(json.dumps({"error": message}, ensure_ascii=False))
    print(f"Gagal: {message}", file=sys.stderr)
    return code


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    import duckdb

    from pipelines.lake.publish import PublishError

    if args.command in AUDITED and getattr(args, "users_command", None) != "list":
        try:
            audit.ready(get_settings())  # fail before acting, not after: nothing may happen unaudited
        except audit.AuditError as exc:
            return _fail(args, f"log audit tidak dapat ditulis ({exc.reason}); perintah tidak dijalankan.", EXIT_AUDIT)
        except OSError as exc:
            reason = disk.problem(exc)
            return _fail(args, f"log audit tidak dapat ditulis ({reason}); perintah tidak dijalankan.", EXIT_AUDIT)
    try:
        return COMMANDS[args.command](args)
    except audit.AuditError as exc:
        return _fail(
            args, f"perintah sudah dijalankan, tetapi log audit tidak dapat ditulis ({exc.reason}).", EXIT_AUDIT
        )
    except LockBusy as exc:
        return _fail(args, str(exc), EXIT_BUSY)
    except disk.StorageError as exc:
        return _fail(args, str(exc), EXIT_STORAGE)
    except (
        FileRejected,
        MappingError,
        PeriodError,
        UnknownSource,
        UnknownCity,
        PublishError,
        lake.NoLake,
        registry.UploadNotFound,
        accounts.AccountError,
    ) as exc:
        return _fail(args, exc.args[0] if exc.args else str(exc), EXIT_UNUSABLE)
    except OSError as exc:
        where = f" ({exc.filename})" if exc.filename else ""
        return _fail(args, f"berkas atau folder data tidak dapat dipakai{where}: {disk.problem(exc)}.", EXIT_STORAGE)
    except duckdb.IOException:
        return _fail(args, f"data tidak dapat disimpan: {disk.WORK_FILES_FAILED}. Hubungi admin.", EXIT_STORAGE)
    except sa.exc.SQLAlchemyError:
        return _fail(args, "basis data aplikasi tidak dapat dipakai. Hubungi admin.", EXIT_STORAGE)
