-- One family of the case list, one row per period it was listed in $kelurahan: where it lives,
-- its desil, fakir-miskin status and unmet needs, and, nested, the members and the receipts of
-- that period. Personal columns are read only when $pribadi is true; the read side masks them.
WITH
-- Step riwayat: only the periods when the family lived in this kelurahan, so a family that
-- moved in does not carry another kelurahan's records into this lurah's view.
riwayat AS (
    SELECT k.periode, k.kk_hash, k.kode_kelurahan, k.rw, k.rt, k.jumlah_jiwa, k.desil, k.fakir_miskin,
           k.skor_fm, k.periode_verval, k.rtlh, k.tanpa_air_layak, k.tanpa_sanitasi_layak,
           k.tanpa_jaminan_kesehatan, k.rawan_pangan, k.tanpa_listrik, k.balita, k.balita_stunting,
           k.anggota_disabilitas, k.program, k.menerima_program, k.nilai_bantuan, k.perlu_verifikasi,
           k.alasan_verifikasi, k.sumber_data, k.diperbarui,
           CASE WHEN $pribadi THEN p.nama_kepala END AS nama_kepala,
           CASE WHEN $pribadi THEN p.alamat END AS alamat,
           CASE WHEN $pribadi THEN p.no_kk END AS no_kk,
           CASE WHEN $pribadi THEN p.nik_kepala END AS nik_kepala
    FROM keluarga k
    LEFT JOIN (
        SELECT * FROM keluarga_pribadi WHERE kk_hash = $kk_hash AND kode_kelurahan = $kelurahan
    ) p ON p.periode = k.periode AND p.kk_hash = k.kk_hash
    WHERE k.kk_hash = $kk_hash AND k.kode_kelurahan = $kelurahan
),
-- Step anggota_periode: the members listed for the family in each of those periods, the head
-- first. A member without a valid NIK has no pseudonym to join on and is shown without a name.
anggota_periode AS (
    SELECT a.periode,
           list(struct_pack(
               nama := CASE WHEN $pribadi THEN p.nama END,
               nik := CASE WHEN $pribadi THEN p.nik END,
               hubungan := a.hubungan, jenis_kelamin := a.jenis_kelamin, umur := a.umur,
               pendidikan := a.pendidikan, pekerjaan := a.pekerjaan,
               disabilitas := a.disabilitas, stunting := a.stunting)
               ORDER BY a.hubungan <> 'kepala', a.umur DESC NULLS LAST, a.nik_hash) AS anggota
    FROM anggota a
    SEMI JOIN riwayat r ON r.periode = a.periode
    LEFT JOIN anggota_pribadi p ON p.periode = a.periode AND p.kk_hash = a.kk_hash AND p.nik_hash = a.nik_hash
    WHERE a.kk_hash = $kk_hash
    GROUP BY a.periode
),
-- Step nama_program: a programme's latest name and OPD from the catalogue (receipts carry the code).
nama_program AS (
    SELECT kode_program, arg_max(nama_program, periode) AS nama_program, arg_max(opd, periode) AS opd
    FROM program GROUP BY kode_program
),
-- Step bantuan_periode: what the family received in each period, with date and rupiah.
bantuan_periode AS (
    SELECT b.periode,
           list(struct_pack(kode_program := b.kode_program, nama_program := n.nama_program, opd := n.opd,
                            tanggal := b.tanggal, nilai := b.nilai)
                ORDER BY b.tanggal NULLS LAST, b.kode_program) AS bantuan
    FROM penerima b
    SEMI JOIN riwayat r ON r.periode = b.periode
    LEFT JOIN nama_program n USING (kode_program)
    WHERE b.kk_hash = $kk_hash
    GROUP BY b.periode
)
SELECT r.*, coalesce(a.anggota, []) AS anggota, coalesce(b.bantuan, []) AS bantuan
FROM riwayat r
LEFT JOIN anggota_periode a USING (periode)
LEFT JOIN bantuan_periode b USING (periode)
ORDER BY r.periode
