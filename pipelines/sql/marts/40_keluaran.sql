-- Programme outputs, partner contributions, area statistics and the upload list, as published.

CREATE OR REPLACE TEMP TABLE program_out AS
SELECT periode, kode_program, nama_program, opd, kegiatan, kebutuhan_dasar, indikator_keluaran, satuan,
       target, realisasi, anggaran, realisasi_anggaran, jumlah_kegiatan, sasaran_desil_maks,
       kode_kecamatan, kode_kelurahan, _unggahan AS unggahan
FROM program_pilih;

CREATE OR REPLACE TEMP TABLE kontribusi_out AS
SELECT periode, organisasi, kategori, kegiatan, jumlah_peserta, nilai_donasi, jumlah_penerima_manfaat,
       kode_kecamatan, kode_kelurahan, tanggal, tautan_dokumentasi, _unggahan AS unggahan
FROM kontribusi_pilih;

CREATE OR REPLACE TEMP TABLE statistik_out AS
SELECT kode_wilayah, periode, indikator, nilai, satuan, sumber, _unggahan AS unggahan
FROM statistik_pilih;

CREATE OR REPLACE TEMP TABLE unggahan_out AS SELECT * FROM unggahan;
