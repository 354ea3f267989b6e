-- Area indicators inside the caller's scope. $prefix '' means the whole city. A row is
-- returned when its area is the scope's area or lies below it; with $leluhur also when it
-- is an ancestor (city and kecamatan totals beside a kelurahan), never a sibling.
SELECT *
FROM indikator
WHERE ($prefix = ''
       OR kode_wilayah = $prefix
       OR starts_with(kode_wilayah, $prefix || '.')
       OR ($leluhur AND starts_with($prefix, kode_wilayah || '.')))
  AND ($periode IS NULL OR periode = $periode)
  AND ($level IS NULL OR level = $level)
  AND ($induk IS NULL OR kode_induk = $induk)
  AND ($kode IS NULL OR kode_wilayah = $kode)
ORDER BY periode, level, kode_wilayah
