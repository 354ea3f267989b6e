-- Partner contributions (CSR, Baznas, academia, media, community) inside the area. Activities
-- without a kelurahan go to city-level users only, or to their kecamatan's users.
SELECT periode, organisasi, kategori, kegiatan, jumlah_peserta, nilai_donasi, jumlah_penerima_manfaat,
       kode_kecamatan, kode_kelurahan, tanggal, tautan_dokumentasi
FROM kontribusi
WHERE $prefix = ''
   OR kode_kelurahan = $prefix
   OR starts_with(kode_kelurahan, $prefix || '.')
   OR (kode_kelurahan IS NULL AND kode_kecamatan = $prefix)
ORDER BY periode, tanggal, organisasi, kegiatan, kode_kelurahan
