-- The case list of one kelurahan: desil-1 and fakir-miskin families (with $luas, every family
-- eligible for help: desil 1-4 or FM), their unmet needs and the programmes they receive.
-- Personal columns are read only when $pribadi is true; the read side masks them unless told not to.
-- Every published family column (pseudonymous: unmet needs, vulnerable groups, programmes), so a
-- new need or group reaches the list's filters without touching this query.
SELECT k.*,
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
