-- Data quality per kelurahan inside the caller's scope (kecamatan or kelurahan prefix).
SELECT *
FROM kualitas
WHERE ($prefix = '' OR kode_kelurahan = $prefix OR starts_with(kode_kelurahan, $prefix || '.')
       OR kode_kecamatan = $prefix)
  AND ($periode IS NULL OR periode = $periode)
ORDER BY kode_kelurahan
