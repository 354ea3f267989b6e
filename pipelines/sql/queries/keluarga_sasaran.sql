-- The case list of one kelurahan: desil-1 and fakir-miskin families (with $luas, every family
-- eligible for help: desil 1-4 or FM), their unmet needs and the programmes they receive.
-- Personal columns are read only when $pribadi is true; the read side masks them unless told not to.
SELECT k.kk_hash, k.rw, k.rt, k.desil, k.fakir_miskin, k.skor_fm, k.jumlah_jiwa,
       k.rtlh, k.tanpa_air_layak, k.tanpa_sanitasi_layak, k.tanpa_jaminan_kesehatan, k.rawan_pangan,
       k.tanpa_listrik, k.balita_stunting, k.program, k.menerima_program, k.perlu_verifikasi,
       k.alasan_verifikasi, k.sumber_data, k.diperbarui,
       CASE WHEN $pribadi THEN p.nama_kepala END AS nama_kepala,
       CASE WHEN $pribadi THEN p.alamat END AS alamat,
       CASE WHEN $pribadi THEN p.no_kk END AS no_kk,
       CASE WHEN $pribadi THEN p.nik_kepala END AS nik_kepala
FROM keluarga k
LEFT JOIN keluarga_pribadi p ON p.periode = k.periode AND p.kk_hash = k.kk_hash
WHERE k.periode = $periode
  AND k.kode_kelurahan = $kelurahan
  AND ($rw IS NULL OR k.rw = $rw)
  AND ($rt IS NULL OR k.rt = $rt)
  AND (k.desil = 1 OR coalesce(k.fakir_miskin, false) OR ($luas AND k.layak_bantuan))
ORDER BY k.rw, k.rt, k.desil NULLS LAST, k.kk_hash
