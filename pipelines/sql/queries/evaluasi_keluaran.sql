-- Outputs, reach and targeting per programme, kelurahan and period inside the area, with the
-- programme's catalogue entry (its latest period's wording). City-wide output rows (no kelurahan)
-- go to city-level users only; rows for a whole kecamatan also to that kecamatan.
WITH katalog AS (
    SELECT kode_program,
           arg_max(nama_program, periode) AS nama_program,
           arg_max(opd, periode) AS opd,
           arg_max(kegiatan, periode) AS kegiatan,
           arg_max(kebutuhan_dasar, periode) AS kebutuhan_dasar,
           arg_max(indikator_keluaran, periode) AS indikator_keluaran,
           arg_max(satuan, periode) AS satuan,
           arg_max(sasaran_desil_maks, periode) AS sasaran_desil_maks
    FROM program
    GROUP BY kode_program
)
SELECT e.*, k.* EXCLUDE (kode_program)
FROM evaluasi_keluaran e
LEFT JOIN katalog k USING (kode_program)
WHERE $prefix = ''
   OR e.kode_kelurahan = $prefix
   OR starts_with(e.kode_kelurahan, $prefix || '.')
   OR (e.kode_kelurahan IS NULL AND e.kode_kecamatan = $prefix)
ORDER BY e.periode, e.kode_program, e.kode_kelurahan
