-- Integration across uploads: one record per family, person, receipt and programme per period.
-- Inputs (built by pipelines/lake/publish.py): unggahan, periode_grid, stg_<source> tables with
-- _unggahan, _urutan (upload order), _periode_unggahan and _terbaru (larger = the later upload,
-- then the later row of it: "the latest upload wins", defined once in publish.py). Placeholders in braces are
-- column lists from the contracts.

-- Step keluarga_ulang: a No KK present in more than one upload of the same period.
-- The latest upload wins (a corrected or newer file replaces the older record); a repeat
-- with different content is a conflict and is reported. Only repeated keys are ranked.
CREATE OR REPLACE TEMP TABLE keluarga_ulang AS
WITH ulang AS (
    SELECT _periode_unggahan, no_kk FROM stg_keluarga GROUP BY ALL HAVING count(*) > 1
)
SELECT k._periode_unggahan AS periode, k.no_kk, k._unggahan, k._baris, k.kode_kelurahan,
       {isi_keluarga} AS _isi,
       row_number() OVER (PARTITION BY k._periode_unggahan, k.no_kk ORDER BY k._terbaru DESC) AS urutan
FROM stg_keluarga k SEMI JOIN ulang u ON u._periode_unggahan = k._periode_unggahan AND u.no_kk = k.no_kk;

CREATE OR REPLACE TEMP VIEW keluarga_pilih AS
SELECT k.* EXCLUDE (_periode_unggahan), k._periode_unggahan AS periode
FROM stg_keluarga k
ANTI JOIN (SELECT _unggahan, _baris FROM keluarga_ulang WHERE urutan > 1) x
    ON x._unggahan = k._unggahan AND x._baris = k._baris;

-- Step verval_pilih: the same for verval rows keyed by NIK; rows whose NIK was invalid stay.
CREATE OR REPLACE TEMP TABLE verval_ulang AS
WITH ulang AS (
    SELECT _periode_unggahan, nik FROM stg_verval WHERE nik IS NOT NULL GROUP BY ALL HAVING count(*) > 1
)
SELECT v._periode_unggahan AS periode, v.nik, v._unggahan, v._baris, v.kode_kelurahan,
       {isi_verval} AS _isi,
       row_number() OVER (PARTITION BY v._periode_unggahan, v.nik ORDER BY v._terbaru DESC) AS urutan
FROM stg_verval v SEMI JOIN ulang u ON u._periode_unggahan = v._periode_unggahan AND u.nik = v.nik;

CREATE OR REPLACE TEMP VIEW verval_pilih AS
SELECT v.* EXCLUDE (_periode_unggahan), v._periode_unggahan AS periode
FROM stg_verval v
ANTI JOIN (SELECT _unggahan, _baris FROM verval_ulang WHERE urutan > 1) x
    ON x._unggahan = v._unggahan AND x._baris = v._baris;

-- Step anggota_pilih: family members, keyed by NIK per period.
CREATE OR REPLACE TEMP TABLE anggota_ulang AS
WITH ulang AS (
    SELECT _periode_unggahan, nik FROM stg_anggota WHERE nik IS NOT NULL GROUP BY ALL HAVING count(*) > 1
)
SELECT a._periode_unggahan AS periode, a.nik, a._unggahan, a._baris,
       row_number() OVER (PARTITION BY a._periode_unggahan, a.nik ORDER BY a._terbaru DESC) AS urutan
FROM stg_anggota a SEMI JOIN ulang u ON u._periode_unggahan = a._periode_unggahan AND u.nik = a.nik;

CREATE OR REPLACE TEMP VIEW anggota_pilih AS
SELECT a.* EXCLUDE (_periode_unggahan), a._periode_unggahan AS periode
FROM stg_anggota a
ANTI JOIN (SELECT _unggahan, _baris FROM anggota_ulang WHERE urutan > 1) x
    ON x._unggahan = a._unggahan AND x._baris = a._baris;

-- Step konflik: the same key in several uploads of a period with different content.
-- Its kelurahan list shows families listed in two kelurahan at once.
CREATE OR REPLACE TEMP TABLE konflik AS
SELECT 'keluarga' AS sumber, periode, pseudonim(no_kk) AS kunci,
       list(DISTINCT kode_kelurahan ORDER BY kode_kelurahan) AS kelurahan,
       list(DISTINCT _unggahan ORDER BY _unggahan) AS unggahan
FROM keluarga_ulang GROUP BY sumber, periode, no_kk HAVING count(DISTINCT _isi) > 1
UNION ALL
SELECT 'verval', periode, pseudonim(nik),
       list(DISTINCT kode_kelurahan ORDER BY kode_kelurahan), list(DISTINCT _unggahan ORDER BY _unggahan)
FROM verval_ulang GROUP BY periode, nik HAVING count(DISTINCT _isi) > 1;

-- Step nik_kk: which family a NIK belongs to, from members, verval and heads; latest period wins.
CREATE OR REPLACE TEMP TABLE nik_kk AS
WITH semua AS (
    SELECT nik, no_kk, periode FROM anggota_pilih WHERE nik IS NOT NULL
    UNION ALL SELECT nik, no_kk, periode FROM verval_pilih WHERE nik IS NOT NULL
    UNION ALL SELECT nik_kepala, no_kk, periode FROM keluarga_pilih WHERE nik_kepala IS NOT NULL
)
SELECT s.nik, arg_max(s.no_kk, g.akhir) AS no_kk
FROM semua s LEFT JOIN periode_semua g USING (periode)
GROUP BY s.nik;

-- Step program_pilih: programme catalogue and outputs; one row per programme, period and
-- location (NULL = city-wide), the latest upload winning.
CREATE OR REPLACE TEMP TABLE program_pilih AS
SELECT * EXCLUDE (_r) FROM (
    SELECT p.* EXCLUDE (periode), coalesce(p.periode, p._periode_unggahan) AS periode,
           row_number() OVER (PARTITION BY p.kode_program, coalesce(p.periode, p._periode_unggahan), p.kode_kelurahan
                              ORDER BY p._terbaru DESC) AS _r
    FROM stg_program p
) WHERE _r = 1;

-- Step program_kunci: a receipt may name its programme by code or by name.
CREATE OR REPLACE TEMP TABLE program_kunci AS
SELECT DISTINCT lower(trim(kode_program)) AS kunci, kode_program FROM program_pilih
UNION
SELECT DISTINCT lower(trim(nama_program)), kode_program FROM program_pilih
WHERE lower(trim(nama_program)) NOT IN (SELECT lower(trim(kode_program)) FROM program_pilih);

-- Step penerima_pilih: receipts linked to a family (by No KK, else through the NIK) and to the
-- period of the family lists containing the receipt date (else the row's or upload's period).
-- The same receipt in two uploads counts once.
CREATE OR REPLACE TEMP TABLE penerima_pilih AS
WITH dasar AS (
    SELECT p.*,
           coalesce(p.no_kk, m.no_kk) AS kk,
           coalesce(g.periode, p.periode, p._periode_unggahan) AS periode_terima,
           coalesce(k.kode_program, upper(trim(p.kode_program))) AS kode
    FROM stg_penerima p
    LEFT JOIN nik_kk m ON p.no_kk IS NULL AND m.nik = p.nik
    LEFT JOIN periode_grid g ON p.tanggal BETWEEN g.mulai AND g.akhir
    LEFT JOIN program_kunci k ON k.kunci = lower(trim(p.kode_program))
)
SELECT * EXCLUDE (_r) FROM (
    SELECT *, row_number() OVER (
        PARTITION BY kk, nik, kode, periode_terima, tanggal, nilai ORDER BY _terbaru DESC) AS _r
    FROM dasar
) WHERE _r = 1;

-- Step kontribusi_pilih: partner contributions; exact repeats across uploads count once.
CREATE OR REPLACE TEMP TABLE kontribusi_pilih AS
SELECT * EXCLUDE (_r) FROM (
    SELECT c.*, coalesce(g.periode, c._periode_unggahan) AS periode,
           row_number() OVER (PARTITION BY c.organisasi, c.kategori, c.kegiatan, c.tanggal, c.kode_kelurahan,
                              c.jumlah_peserta, c.nilai_donasi, c.jumlah_penerima_manfaat
                              ORDER BY c._terbaru DESC) AS _r
    FROM stg_kontribusi c LEFT JOIN periode_grid g ON c.tanggal BETWEEN g.mulai AND g.akhir
) WHERE _r = 1;

-- Step statistik_pilih: area statistics (BPS, Dinkes); latest upload wins per area, period, indicator.
CREATE OR REPLACE TEMP TABLE statistik_pilih AS
SELECT * EXCLUDE (_r) FROM (
    SELECT s.*, row_number() OVER (PARTITION BY s.kode_wilayah, s.periode, lower(s.indikator)
                                   ORDER BY s._terbaru DESC) AS _r
    FROM stg_indikator_wilayah s
) WHERE _r = 1;
