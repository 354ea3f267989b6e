-- Programme outputs per programme and period inside the scope: target against realisation,
-- budget against spending, and families reached (from receipts). City-wide rows (no kelurahan)
-- are shown to city-level users only.
WITH keluaran AS (
    SELECT periode, kode_program, any_value(nama_program) AS nama_program, any_value(opd) AS opd,
           any_value(kebutuhan_dasar) AS kebutuhan_dasar, any_value(satuan) AS satuan,
           sum(target) AS target, sum(realisasi) AS realisasi, sum(anggaran) AS anggaran,
           sum(realisasi_anggaran) AS realisasi_anggaran, sum(jumlah_kegiatan) AS jumlah_kegiatan
    FROM program
    WHERE ($prefix = '' OR kode_kelurahan = $prefix OR starts_with(kode_kelurahan, $prefix || '.'))
      AND ($periode IS NULL OR periode = $periode)
    GROUP BY periode, kode_program
), jangkauan AS (
    SELECT periode, kode_program, count(DISTINCT kk_hash) AS keluarga_terjangkau
    FROM penerima
    WHERE kk_hash IS NOT NULL
      AND ($prefix = '' OR kode_kelurahan = $prefix OR starts_with(kode_kelurahan, $prefix || '.'))
      AND ($periode IS NULL OR periode = $periode)
    GROUP BY periode, kode_program
)
SELECT k.*, coalesce(j.keluarga_terjangkau, 0) AS keluarga_terjangkau,
       CASE WHEN k.target > 0 THEN k.realisasi / k.target END AS capaian
FROM keluaran k LEFT JOIN jangkauan j USING (periode, kode_program)
ORDER BY periode, kode_program
