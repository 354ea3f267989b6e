-- Programme evaluation, precomputed at publish: output (keluaran) -> outcome (hasil) -> targeting.
-- Inputs: keluarga_final (the written family table), periode_grid, program_out.
-- Outputs:
--   evaluasi_sel       outcome cells for the comparison-group estimate (pipelines/evaluation/programmes.py
--                      pools them into a difference in differences with a bootstrap interval),
--   evaluasi_keluaran  outputs, reach and targeting per programme, kelurahan and period.
-- Family-level definitions (RTLH, layak bantuan, galat inklusi...): definisi.sql.

-- The family flag that says a programme's basic need is unmet, from the catalogue's category
-- (cat_kebutuhan_dasar). Economic and social-assistance programmes aim at welfare, not one need.
CREATE OR REPLACE MACRO eval_kebutuhan(kategori) AS
    CASE kategori
        WHEN 'rumah' THEN 'rtlh'
        WHEN 'air' THEN 'air'
        WHEN 'sanitasi' THEN 'sanitasi'
        WHEN 'kesehatan' THEN 'jaminan_kesehatan'
        WHEN 'pangan' THEN 'rawan_pangan'
    END;

-- The state of a named need as 1 (unmet), 0 (met) or -1 (unknown); 0 for programmes without one,
-- so every family falls in the same need stratum.
CREATE OR REPLACE MACRO eval_butuh(nama, rtlh, air, sanitasi, jkn, rawan) AS
    CASE nama
        WHEN 'rtlh' THEN rtlh
        WHEN 'air' THEN air
        WHEN 'sanitasi' THEN sanitasi
        WHEN 'jaminan_kesehatan' THEN jkn
        WHEN 'rawan_pangan' THEN rawan
        ELSE 0
    END;

-- Step eval_periode: family-list periods in time order; a cohort needs the period before and after.
CREATE OR REPLACE TEMP TABLE eval_periode AS
SELECT periode, (row_number() OVER (ORDER BY akhir))::INTEGER AS i FROM periode_grid;

-- Step eval_program: programmes with a catalogue entry (only they have outputs and a budget to
-- judge); the latest period's category names the need the programme addresses.
CREATE OR REPLACE TEMP TABLE eval_program AS
SELECT kode_program, eval_kebutuhan(arg_max(kebutuhan_dasar, periode)) AS butuh
FROM program_out
WHERE kode_program IS NOT NULL
GROUP BY kode_program;

-- Step eval_panel: one row per family and period with what the evaluation compares (keluarga_final
-- already holds one row per No KK and period: the integration keeps the latest upload of a repeat).
CREATE OR REPLACE TEMP TABLE eval_panel AS
SELECT k.kk_hash, p.i, k.kode_kecamatan, k.kode_kelurahan, k.desil, k.fakir_miskin, k.layak_bantuan,
       coalesce(k.rtlh::INTEGER, -1) AS rtlh, coalesce(k.tanpa_air_layak::INTEGER, -1) AS air,
       coalesce(k.tanpa_sanitasi_layak::INTEGER, -1) AS sanitasi,
       coalesce(k.tanpa_jaminan_kesehatan::INTEGER, -1) AS jkn, coalesce(k.rawan_pangan::INTEGER, -1) AS rawan,
       k.program
FROM keluarga_final k JOIN eval_periode p USING (periode)
WHERE k.kk_hash IS NOT NULL;

-- Step eval_terima: each family, period and catalogue programme received (receipts and the
-- PKH/BPNT flags of the family list, as in keluarga.program).
CREATE OR REPLACE TEMP TABLE eval_terima AS
SELECT t.* FROM (SELECT * EXCLUDE (program), unnest(program) AS kode_program FROM eval_panel) t
SEMI JOIN eval_program p USING (kode_program);

-- Step eval_pertama: the period a family first received a programme. PKH and BPNT pay every
-- quarter once enrolled, so the effect is measured at enrolment (first receipt), never on old
-- recipients. A receipt in the first listed period may be an enrolment from before the data began,
-- so that period starts no cohort (the pairs below start at the second period).
CREATE OR REPLACE TEMP TABLE eval_pertama AS
SELECT kk_hash, kode_program, min(i) AS i_pertama FROM eval_terima GROUP BY ALL;

-- Step eval_hasil: for each family listed both before (t-1) and after (t+1) a cohort period t,
-- every outcome it could improve on, and whether it did. An outcome counts only for families
-- who had the problem before (desil 1, fakir miskin, the unmet need) and whose state after is known.
CREATE OR REPLACE TEMP TABLE eval_pasangan AS
SELECT a.kk_hash, a.i + 1 AS i_kohort, a.kode_kecamatan, a.kode_kelurahan,
       a.desil AS desil_awal, coalesce(a.fakir_miskin::INTEGER, -1) AS fm_awal,
       a.rtlh, a.air, a.sanitasi, a.jkn, a.rawan,
       b.desil AS desil_akhir, b.fakir_miskin AS fm_akhir,
       b.rtlh AS rtlh_akhir, b.air AS air_akhir, b.sanitasi AS sanitasi_akhir, b.jkn AS jkn_akhir,
       b.rawan AS rawan_akhir
FROM eval_panel a JOIN eval_panel b ON b.kk_hash = a.kk_hash AND b.i = a.i + 2;

CREATE OR REPLACE TEMP TABLE eval_hasil AS
WITH semua AS (
    -- Moved up at least one decile (desil 10 cannot).
    SELECT *, 'naik_desil' AS hasil, desil_akhir > desil_awal AS membaik
    FROM eval_pasangan WHERE desil_awal <= 9 AND desil_akhir IS NOT NULL
    UNION ALL
    -- Left desil 1 (the extreme-poverty proxy).
    SELECT *, 'keluar_desil_1', desil_akhir > 1 FROM eval_pasangan WHERE desil_awal = 1 AND desil_akhir IS NOT NULL
    UNION ALL
    -- Graduated: fakir miskin before, verified not fakir miskin after.
    SELECT *, 'keluar_fakir_miskin', NOT fm_akhir FROM eval_pasangan WHERE fm_awal = 1 AND fm_akhir IS NOT NULL
    UNION ALL
    -- A basic need met: unmet before, met after.
    SELECT *, 'rtlh', rtlh_akhir = 0 FROM eval_pasangan WHERE rtlh = 1 AND rtlh_akhir >= 0
    UNION ALL
    SELECT *, 'air', air_akhir = 0 FROM eval_pasangan WHERE air = 1 AND air_akhir >= 0
    UNION ALL
    SELECT *, 'sanitasi', sanitasi_akhir = 0 FROM eval_pasangan WHERE sanitasi = 1 AND sanitasi_akhir >= 0
    UNION ALL
    SELECT *, 'jaminan_kesehatan', jkn_akhir = 0 FROM eval_pasangan WHERE jkn = 1 AND jkn_akhir >= 0
    UNION ALL
    SELECT *, 'rawan_pangan', rawan_akhir = 0 FROM eval_pasangan WHERE rawan = 1 AND rawan_akhir >= 0
)
SELECT kk_hash, i_kohort, kode_kecamatan, kode_kelurahan, desil_awal, fm_awal, rtlh, air, sanitasi, jkn, rawan,
       hasil, membaik
FROM semua;

-- Step eval_diterima: the treated. Families first reached at t, on the welfare outcomes every
-- programme aims at and on the programme's own need. The stratum is the starting desil, fakir-miskin
-- status and the programme's need at t-1, within the kecamatan (selection into a programme depends
-- on these; kecamatan keeps area-wide shocks on both sides). `periode_terima` counts the periods of
-- receipt from t to t+1 (what was spent on the family until the outcome was measured).
CREATE OR REPLACE TEMP TABLE eval_diterima AS
SELECT f.kode_program, h.i_kohort, h.hasil, h.kode_kecamatan, h.kode_kelurahan, h.desil_awal, h.fm_awal,
       eval_butuh(p.butuh, h.rtlh, h.air, h.sanitasi, h.jkn, h.rawan) AS butuh_awal, h.membaik,
       1 + (lagi.kk_hash IS NOT NULL)::INTEGER AS periode_terima
FROM eval_pertama f
JOIN eval_program p USING (kode_program)
JOIN eval_hasil h ON h.kk_hash = f.kk_hash AND h.i_kohort = f.i_pertama
LEFT JOIN eval_terima lagi
    ON lagi.kk_hash = f.kk_hash AND lagi.kode_program = f.kode_program AND lagi.i = f.i_pertama + 1
WHERE h.hasil IN ('naik_desil', 'keluar_desil_1', 'keluar_fakir_miskin') OR h.hasil = p.butuh;

-- Step eval_pembanding: the comparison group of each treated stratum. Comparable families listed
-- before and after who had not received the programme by t+1 (a receipt at t+1 could already change
-- the outcome measured then). Only strata with treated families are counted.
CREATE OR REPLACE TEMP TABLE eval_pembanding AS
WITH sel AS (
    SELECT DISTINCT kode_program, i_kohort, hasil, kode_kecamatan, desil_awal, fm_awal, butuh_awal FROM eval_diterima
), calon AS (
    SELECT s.*, h.kk_hash, h.membaik
    FROM eval_hasil h
    JOIN eval_program p ON true
    JOIN sel s
        ON s.kode_program = p.kode_program AND s.i_kohort = h.i_kohort AND s.hasil = h.hasil
       AND s.kode_kecamatan = h.kode_kecamatan AND s.desil_awal = h.desil_awal AND s.fm_awal = h.fm_awal
       AND s.butuh_awal = eval_butuh(p.butuh, h.rtlh, h.air, h.sanitasi, h.jkn, h.rawan)
)
SELECT c.kode_program, c.i_kohort, c.hasil, c.kode_kecamatan, c.desil_awal, c.fm_awal, c.butuh_awal,
       count(*) AS pembanding, count(*) FILTER (WHERE c.membaik) AS pembanding_membaik
FROM calon c
ANTI JOIN eval_pertama f
    ON f.kk_hash = c.kk_hash AND f.kode_program = c.kode_program AND f.i_pertama <= c.i_kohort + 1
GROUP BY ALL;

-- Step evaluasi_sel: treated per stratum and kelurahan beside the stratum's comparison group
-- (repeated on each kelurahan row of the stratum; pipelines/evaluation/programmes.py counts it once).
-- fm_awal and butuh_awal: 1 yes, 0 no, -1 unknown (an unverified family is its own stratum).
CREATE OR REPLACE TEMP TABLE evaluasi_sel AS
SELECT d.kode_program, k.periode AS periode_kohort, s.periode AS periode_sebelum, a.periode AS periode_sesudah,
       d.hasil, d.kode_kecamatan, d.kode_kelurahan, d.desil_awal, d.fm_awal, d.butuh_awal,
       count(*) AS penerima,
       count(*) FILTER (WHERE d.membaik) AS penerima_membaik,
       sum(d.periode_terima)::BIGINT AS periode_terima,
       coalesce(any_value(c.pembanding), 0) AS pembanding,
       coalesce(any_value(c.pembanding_membaik), 0) AS pembanding_membaik
FROM eval_diterima d
JOIN eval_periode k ON k.i = d.i_kohort
JOIN eval_periode s ON s.i = d.i_kohort - 1
JOIN eval_periode a ON a.i = d.i_kohort + 1
LEFT JOIN eval_pembanding c USING (kode_program, i_kohort, hasil, kode_kecamatan, desil_awal, fm_awal, butuh_awal)
GROUP BY d.kode_program, k.periode, s.periode, a.periode, d.hasil, d.kode_kecamatan, d.kode_kelurahan,
         d.desil_awal, d.fm_awal, d.butuh_awal;

-- Step eval_jangkauan: families reached per programme, kelurahan and period (a family counts once),
-- new families (first receipt, never in the first listed period); recipients outside the target
-- (def_galat_inklusi: desil 6-10 and not fakir miskin); eligible recipients with the programme's need.
CREATE OR REPLACE TEMP TABLE eval_jangkauan AS
SELECT t.i, t.kode_kecamatan, t.kode_kelurahan, t.kode_program,
       count(*) AS keluarga_terjangkau,
       count(*) FILTER (WHERE f.i_pertama = t.i AND t.i > 1) AS keluarga_baru,
       count(*) FILTER (WHERE def_galat_inklusi(t.desil, t.fakir_miskin, true)) AS penerima_galat_inklusi,
       count(*) FILTER (
           WHERE t.layak_bantuan AND (p.butuh IS NULL OR eval_butuh(p.butuh, t.rtlh, t.air, t.sanitasi, t.jkn, t.rawan) = 1)
       ) AS sasaran_terjangkau
FROM eval_terima t
JOIN eval_program p USING (kode_program)
JOIN eval_pertama f USING (kk_hash, kode_program)
GROUP BY ALL;

-- Step eval_layak: eligible families (def_layak_bantuan: desil 1-4 or fakir miskin) per kelurahan and
-- period, in all and with each unmet need: the target group a programme for that need should reach.
CREATE OR REPLACE TEMP TABLE eval_layak AS
SELECT i, kode_kecamatan, kode_kelurahan,
       count(*) FILTER (WHERE layak_bantuan) AS layak,
       count(*) FILTER (WHERE layak_bantuan AND rtlh = 1) AS layak_rtlh,
       count(*) FILTER (WHERE layak_bantuan AND air = 1) AS layak_air,
       count(*) FILTER (WHERE layak_bantuan AND sanitasi = 1) AS layak_sanitasi,
       count(*) FILTER (WHERE layak_bantuan AND jkn = 1) AS layak_jaminan_kesehatan,
       count(*) FILTER (WHERE layak_bantuan AND rawan = 1) AS layak_rawan_pangan
FROM eval_panel GROUP BY ALL;

-- Step evaluasi_keluaran: per programme, kelurahan and period, the outputs the agency reported
-- (target, realisation, budget, activities) beside the families the family lists show reached,
-- and the targeting counts. A programme has a row wherever it reported outputs or reached a family,
-- in its periods, every kelurahan has a row so an unreached eligible group shows as exclusion.
-- City-wide output rows (no kelurahan) keep kode_kelurahan NULL.
CREATE OR REPLACE TEMP TABLE evaluasi_keluaran AS
WITH keluaran AS (
    SELECT periode, kode_program, kode_kecamatan, kode_kelurahan, target, realisasi, anggaran,
           realisasi_anggaran, jumlah_kegiatan
    FROM program_out
    WHERE kode_program IS NOT NULL
), jangkauan AS (
    SELECT e.periode, j.* EXCLUDE (i) FROM eval_jangkauan j JOIN eval_periode e USING (i)
), aktif AS (
    SELECT DISTINCT periode, kode_program FROM keluaran
    UNION
    SELECT DISTINCT periode, kode_program FROM jangkauan
), sasaran AS (
    SELECT e.periode, l.kode_kecamatan, l.kode_kelurahan, p.kode_program,
           CASE p.butuh
               WHEN 'rtlh' THEN l.layak_rtlh
               WHEN 'air' THEN l.layak_air
               WHEN 'sanitasi' THEN l.layak_sanitasi
               WHEN 'jaminan_kesehatan' THEN l.layak_jaminan_kesehatan
               WHEN 'rawan_pangan' THEN l.layak_rawan_pangan
               ELSE l.layak
           END AS sasaran_layak
    FROM eval_layak l
    JOIN eval_periode e USING (i)
    CROSS JOIN eval_program p
    SEMI JOIN aktif a ON a.periode = e.periode AND a.kode_program = p.kode_program
)
SELECT coalesce(k.periode, j.periode, s.periode) AS periode,
       coalesce(k.kode_program, j.kode_program, s.kode_program) AS kode_program,
       coalesce(k.kode_kecamatan, j.kode_kecamatan, s.kode_kecamatan) AS kode_kecamatan,
       coalesce(k.kode_kelurahan, j.kode_kelurahan, s.kode_kelurahan) AS kode_kelurahan,
       k.target, k.realisasi, k.anggaran, k.realisasi_anggaran, k.jumlah_kegiatan,
       coalesce(j.keluarga_terjangkau, 0) AS keluarga_terjangkau,
       coalesce(j.keluarga_baru, 0) AS keluarga_baru,
       coalesce(j.penerima_galat_inklusi, 0) AS penerima_galat_inklusi,
       coalesce(s.sasaran_layak, 0) AS sasaran_layak,
       coalesce(j.sasaran_terjangkau, 0) AS sasaran_terjangkau
FROM keluaran k
FULL JOIN jangkauan j
    ON j.periode = k.periode AND j.kode_program = k.kode_program AND j.kode_kelurahan = k.kode_kelurahan
FULL JOIN sasaran s
    ON s.periode = coalesce(k.periode, j.periode) AND s.kode_program = coalesce(k.kode_program, j.kode_program)
   AND s.kode_kelurahan = coalesce(k.kode_kelurahan, j.kode_kelurahan);
