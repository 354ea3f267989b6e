-- The published family, person and receipt tables. Personal data (No KK, NIK, names,
-- addresses) goes only to the *_pribadi tables; everything else is linked by pseudonyms.

-- Step fm_keluarga: a family is fakir miskin when any member verified in that period is.
CREATE OR REPLACE TEMP TABLE fm_keluarga AS
SELECT v.no_kk, v.periode AS periode_verval, g.akhir AS akhir_verval,
       bool_or(v.fakir_miskin) AS fakir_miskin, max(v.skor) AS skor_fm,
       arg_max(v.kode_kelurahan, v.skor) AS kode_kelurahan, arg_max(v.kode_kecamatan, v.skor) AS kode_kecamatan,
       arg_max(v.rw, v.skor) AS rw, arg_max(v.rt, v.skor) AS rt,
       arg_max(v.nama, v.skor) AS nama, arg_max(v.nik, v.skor) AS nik, arg_max(v.alamat, v.skor) AS alamat,
       count(*) AS anggota_diverval, max(v.tanggal) AS tanggal_verval,
       min(v._unggahan) AS _unggahan, min(v._urutan) AS _urutan, min(v._baris) AS _baris
FROM verval_pilih v JOIN periode_semua g USING (periode)
WHERE v.no_kk IS NOT NULL
GROUP BY v.no_kk, v.periode, g.akhir;

-- Step program_kk: programmes each family received in a period, from the receipts.
CREATE OR REPLACE TEMP TABLE program_kk AS
SELECT periode_terima AS periode, kk AS no_kk, list(DISTINCT kode ORDER BY kode) AS program, sum(nilai) AS nilai_bantuan
FROM penerima_pilih WHERE kk IS NOT NULL GROUP BY periode_terima, kk;

-- Step anggota_kk: members listed per family and period, and the vulnerable groups the family
-- belongs to (one column per group of pipelines/domain.py GROUPS, written from there; member rules
-- in definisi.sql).
CREATE OR REPLACE TEMP TABLE anggota_kk AS
WITH anggota_umur AS (
    SELECT a.*, g.akhir, umur_pada(a.tanggal_lahir, g.akhir) AS umur
    FROM anggota_pilih a JOIN periode_semua g USING (periode)
    WHERE a.no_kk IS NOT NULL
)
SELECT periode, no_kk, count(*) AS anggota_tercatat,
       -- Under-fives at the end of the period: the denominator of stunting prevalence.
       count(*) FILTER (WHERE tanggal_lahir > akhir - INTERVAL 5 YEAR) AS balita,
       count(*) FILTER (WHERE stunting) AS balita_stunting,
       count(*) FILTER (WHERE disabilitas) AS anggota_disabilitas,
       {kelompok_rentan}
FROM anggota_umur GROUP BY periode, no_kk;

-- Step keluarga_dasar: listed families plus families found only by a verval survey in that
-- period (the RT's own count finds people national lists miss). The pseudonym is computed here, once.
CREATE OR REPLACE TEMP TABLE keluarga_dasar AS
WITH semua AS (
    SELECT k.periode, k.no_kk, k.nik_kepala, k.nama_kepala, k.alamat, k.kode_kecamatan, k.kode_kelurahan,
           coalesce(k.rw, '000') AS rw, k.rt, k.jumlah_anggota, k.desil, k.lantai, k.dinding, k.atap, k.luas_lantai,
           k.sumber_air, k.sanitasi, k.penerangan, k.jaminan_kesehatan, k.rawan_pangan,
           k.penerima_pkh, k.penerima_bpnt, k.penerima_pbi, k.lintang, k.bujur,
           k.tanggal_pemutakhiran, k._ditandai, k._alasan_tanda, k._unggahan, k._urutan, k._baris, 'daftar' AS sumber_data
    FROM keluarga_pilih k
    UNION ALL
    SELECT f.periode_verval, f.no_kk, f.nik, f.nama, f.alamat, f.kode_kecamatan, f.kode_kelurahan,
           coalesce(f.rw, '000'), f.rt, f.anggota_diverval, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,
           NULL, NULL, NULL, NULL, NULL, f.tanggal_verval, true, 'ditemukan di verval, belum ada di daftar keluarga',
           f._unggahan, f._urutan, f._baris, 'verval'
    FROM fm_keluarga f
    ANTI JOIN keluarga_pilih k ON k.no_kk = f.no_kk AND k.periode = f.periode_verval
    WHERE f.kode_kelurahan IS NOT NULL AND f.rt IS NOT NULL
)
SELECT *, pseudonim(no_kk) AS kk_hash FROM semua;

-- Step fm_periode: for each family listed in a period, the latest verval at or before its end.
-- Matched on the narrow (period, No KK) pairs of families ever verified: an ASOF join sorts its
-- left side, and sorting every wide family row took a second per 2,000,000 rows.
CREATE OR REPLACE TEMP TABLE fm_periode AS
SELECT d.periode, d.no_kk, f.fakir_miskin, f.skor_fm, f.periode_verval
FROM (
    SELECT DISTINCT k.periode, k.no_kk, g.akhir
    FROM keluarga_dasar k JOIN periode_semua g USING (periode)
    SEMI JOIN fm_keluarga v ON v.no_kk = k.no_kk
) d
ASOF JOIN fm_keluarga f ON d.no_kk = f.no_kk AND d.akhir >= f.akhir_verval;

-- Step keluarga_final: one row per family and period with every definition applied
-- (sql/marts/definisi.sql). Fakir-miskin status is the latest verval at or before the period;
-- programmes combine the receipts with the PKH/BPNT/PBI-JK flags a DTSEN/P3KE list carries.
CREATE OR REPLACE TEMP VIEW keluarga_final AS
WITH dengan_fm AS (
    SELECT d.*, f.fakir_miskin, f.skor_fm, f.periode_verval
    FROM keluarga_dasar d
    LEFT JOIN fm_periode f ON f.periode = d.periode AND f.no_kk = d.no_kk
), lengkap AS (
    SELECT d.*, a.anggota_tercatat, a.balita, a.balita_stunting, a.anggota_disabilitas, {kolom_rentan}, p.nilai_bantuan,
           list_sort(list_distinct(list_concat(
               coalesce(p.program, []::VARCHAR[]),
               CASE WHEN d.penerima_pkh THEN ['PKH'] ELSE []::VARCHAR[] END,
               CASE WHEN d.penerima_bpnt THEN ['BPNT'] ELSE []::VARCHAR[] END,
               CASE WHEN d.penerima_pbi THEN ['PBI-JK'] ELSE []::VARCHAR[] END))) AS program,
           u.diunggah_pada
    FROM dengan_fm d
    LEFT JOIN program_kk p ON p.periode = d.periode AND p.no_kk = d.no_kk
    LEFT JOIN anggota_kk a ON a.periode = d.periode AND a.no_kk = d.no_kk
    LEFT JOIN unggahan u ON u.id = d._unggahan
)
SELECT
    periode,
    kk_hash,
    kode_kecamatan, kode_kelurahan, rw, rt,
    coalesce(jumlah_anggota, anggota_tercatat) AS jumlah_jiwa,
    desil,
    desil = 1 AS desil_1,
    desil <= 4 AS desil_1_4,
    fakir_miskin,
    skor_fm,
    periode_verval,
    def_rtlh(lantai, dinding, atap, luas_lantai, coalesce(jumlah_anggota, anggota_tercatat)) AS rtlh,
    def_tanpa_air_layak(sumber_air) AS tanpa_air_layak,
    def_tanpa_sanitasi_layak(sanitasi) AS tanpa_sanitasi_layak,
    def_tanpa_jaminan_kesehatan(jaminan_kesehatan) AS tanpa_jaminan_kesehatan,
    def_rawan_pangan(rawan_pangan) AS rawan_pangan,
    def_tanpa_listrik(penerangan) AS tanpa_listrik,
    program,
    len(program) > 0 AS menerima_program,
    nilai_bantuan,
    def_layak_bantuan(desil, fakir_miskin) AS layak_bantuan,
    def_galat_eksklusi(desil, fakir_miskin, len(program) > 0) AS galat_eksklusi,
    def_galat_inklusi(desil, fakir_miskin, len(program) > 0) AS galat_inklusi,
    balita,
    coalesce(balita_stunting, 0) AS balita_stunting,
    coalesce(anggota_disabilitas, 0) AS anggota_disabilitas,
    -- Members listed for the family in this period (NULL: no member list): what the vulnerable
    -- groups' shares are shares of.
    anggota_tercatat,
    {kolom_rentan},
    nik_kepala IS NOT NULL AS nik_kepala_valid,
    _ditandai AS perlu_verifikasi,
    _alasan_tanda AS alasan_verifikasi,
    sumber_data,
    coalesce(tanggal_pemutakhiran, diunggah_pada::DATE) AS diperbarui,
    _urutan AS urutan_unggahan,
    _baris AS baris_sumber
FROM lengkap;

CREATE OR REPLACE TEMP VIEW keluarga_pribadi AS
-- The house's geotag is personal data too: it stays here, with the name and address.
SELECT periode, kk_hash, no_kk, nik_kepala, nama_kepala, alamat, lintang, bujur, kode_kelurahan, rw, rt,
       _urutan AS urutan_unggahan, _baris AS baris_sumber
FROM keluarga_dasar;

-- Step anggota_out: members, with age at the end of the period.
CREATE OR REPLACE TEMP VIEW anggota_out AS
SELECT a.periode, pseudonim(a.nik) AS nik_hash, pseudonim(a.no_kk) AS kk_hash, a.jenis_kelamin,
       umur_pada(a.tanggal_lahir, g.akhir) AS umur,
       a.hubungan, a.pendidikan, a.masih_sekolah, a.pekerjaan, a.disabilitas, a.stunting,
       a.nik IS NOT NULL AS nik_valid, a._ditandai AS perlu_verifikasi
FROM anggota_pilih a JOIN periode_semua g USING (periode);

CREATE OR REPLACE TEMP VIEW anggota_pribadi AS
SELECT periode, pseudonim(nik) AS nik_hash, pseudonim(no_kk) AS kk_hash, nik, nama, tanggal_lahir
FROM anggota_pilih;

-- Step verval_out: each verified person with score and status under the city's rule set.
CREATE OR REPLACE TEMP VIEW verval_out AS
SELECT periode, pseudonim(nik) AS nik_hash, pseudonim(no_kk) AS kk_hash, kode_kecamatan, kode_kelurahan,
       coalesce(rw, '000') AS rw, rt, tanggal, skor, fakir_miskin, {kriteria}, _ditandai AS perlu_verifikasi
FROM verval_pilih;

CREATE OR REPLACE TEMP VIEW verval_pribadi AS
SELECT periode, pseudonim(nik) AS nik_hash, pseudonim(no_kk) AS kk_hash, nik, nama, alamat FROM verval_pilih;

-- Step penerima_out: receipts; kk_hash is NULL when the receipt matches no known family.
CREATE OR REPLACE TEMP TABLE penerima_out AS
SELECT p.periode_terima AS periode, coalesce(k.kk_hash, pseudonim(p.kk)) AS kk_hash, pseudonim(p.nik) AS nik_hash,
       p.kode AS kode_program, p.tanggal, p.nilai, coalesce(k.kode_kelurahan, p.kode_kelurahan) AS kode_kelurahan,
       k.no_kk IS NOT NULL AS cocok_keluarga, p._unggahan AS unggahan
FROM penerima_pilih p
LEFT JOIN keluarga_dasar k ON k.no_kk = p.kk AND k.periode = p.periode_terima;
