-- Area indicators inside the caller's scope. $prefix '' means the whole city; otherwise a
-- row is returned only when its area is the scope's area or lies below it.
SELECT *
FROM indikator
WHERE ($prefix = '' OR kode_wilayah = $prefix OR starts_with(kode_wilayah, $prefix || '.'))
  AND ($periode IS NULL OR periode = $periode)
  AND ($level IS NULL OR level = $level)
  AND ($induk IS NULL OR kode_induk = $induk)
ORDER BY periode, level, kode_wilayah
