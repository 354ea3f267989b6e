-- Outcome cells of the programme evaluation for the families living in the area ($prefix ''
-- means the whole city). Treated families are placed by their kelurahan before receipt; their
-- comparison group is their stratum's, drawn from the whole kecamatan (sql/marts/50_evaluasi.sql),
-- and comes as counts only.
SELECT *
FROM evaluasi_sel
WHERE $prefix = '' OR kode_kelurahan = $prefix OR starts_with(kode_kelurahan, $prefix || '.')
ORDER BY kode_program, hasil, periode_kohort, kode_kecamatan, kode_kelurahan, desil_awal, fm_awal, butuh_awal
