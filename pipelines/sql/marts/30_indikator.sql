-- Area indicators per period at kota, kecamatan, kelurahan, RW and RT: the table every page
-- reads. Family-level definitions: definisi.sql and 20_keluarga.sql. Labels and sources of
-- each column: pipelines/read/indicators.py.

-- Rule "no data is not zero": families with a flag, or NULL when no family of the group carries
-- the column at all (a column never uploaded, e.g. health insurance in a list without it). Pages
-- then say "Belum ada data" instead of showing 0 families.
CREATE OR REPLACE MACRO hitung_diketahui(flag) AS CASE WHEN count(flag) > 0 THEN count(*) FILTER (WHERE flag) END;

CREATE OR REPLACE TEMP TABLE konflik_kelurahan AS
SELECT periode, kode_kelurahan, count(*) AS konflik
FROM (SELECT periode, unnest(kelurahan) AS kode_kelurahan FROM konflik)
WHERE kode_kelurahan IS NOT NULL
GROUP BY ALL;

CREATE OR REPLACE TEMP TABLE indikator AS
WITH agregat AS (
    SELECT
        periode, kode_kecamatan, kode_kelurahan, rw, rt,
        grouping(kode_kecamatan, kode_kelurahan, rw, rt) AS g,
        count(*) AS jumlah_keluarga,
        sum(jumlah_jiwa) AS jumlah_jiwa,
        hitung_diketahui(desil_1) AS keluarga_desil_1,
        hitung_diketahui(desil_1_4) AS keluarga_desil_1_4,
        hitung_diketahui(fakir_miskin) AS keluarga_fakir_miskin,
        hitung_diketahui(rtlh) AS keluarga_rtlh,
        hitung_diketahui(tanpa_air_layak) AS keluarga_tanpa_air_layak,
        hitung_diketahui(tanpa_sanitasi_layak) AS keluarga_tanpa_sanitasi_layak,
        hitung_diketahui(tanpa_jaminan_kesehatan) AS keluarga_tanpa_jaminan_kesehatan,
        hitung_diketahui(rawan_pangan) AS keluarga_rawan_pangan,
        hitung_diketahui(tanpa_listrik) AS keluarga_tanpa_listrik,
        count(*) FILTER (WHERE menerima_program) AS keluarga_penerima_program,
        count(*) FILTER (WHERE layak_bantuan) AS keluarga_layak_bantuan,
        count(*) FILTER (WHERE galat_eksklusi) AS galat_eksklusi,
        count(*) FILTER (WHERE galat_inklusi) AS galat_inklusi,
        sum(balita) AS jumlah_balita,
        sum(balita_stunting) AS balita_stunting,
        -- Vulnerable groups (pipelines/domain.py GROUPS, written from there): families and persons
        -- in each, out of the families and persons a member list was uploaded for.
        count(anggota_tercatat) AS keluarga_data_anggota,
        sum(anggota_tercatat) AS jiwa_data_anggota,
        {kelompok_rentan},
        count(*) FILTER (WHERE nik_kepala_valid) AS keluarga_nik_valid,
        count(*) FILTER (WHERE perlu_verifikasi) AS keluarga_perlu_verifikasi,
        count(*) FILTER (WHERE sumber_data = 'verval') AS keluarga_hanya_verval,
        count(*) FILTER (WHERE fakir_miskin IS NOT NULL) AS keluarga_terverval,
        max(diperbarui) AS terakhir_diperbarui,
        min(diperbarui) AS paling_lama_diperbarui
    FROM keluarga_final
    GROUP BY GROUPING SETS (
        (periode),
        (periode, kode_kecamatan),
        (periode, kode_kecamatan, kode_kelurahan),
        (periode, kode_kecamatan, kode_kelurahan, rw),
        (periode, kode_kecamatan, kode_kelurahan, rw, rt)
    )
), berlevel AS (
    SELECT a.*,
        CASE g WHEN 15 THEN 'kota' WHEN 7 THEN 'kecamatan' WHEN 3 THEN 'kelurahan' WHEN 1 THEN 'rw' ELSE 'rt' END AS level,
        CASE g
            WHEN 15 THEN $kode_kota
            WHEN 7 THEN kode_kecamatan
            WHEN 3 THEN kode_kelurahan
            WHEN 1 THEN kode_kelurahan || '.' || rw
            ELSE kode_kelurahan || '.' || rw || '.' || rt
        END AS kode_wilayah,
        CASE g
            WHEN 15 THEN NULL
            WHEN 7 THEN $kode_kota
            WHEN 3 THEN kode_kecamatan
            WHEN 1 THEN kode_kelurahan
            ELSE CASE WHEN $pakai_rw THEN kode_kelurahan || '.' || rw ELSE kode_kelurahan END
        END AS kode_induk
    FROM agregat a
    -- A city without RW (Bontang) has no RW level.
    WHERE $pakai_rw OR g <> 1
)
SELECT
    b.level, b.kode_wilayah,
    CASE b.level
        WHEN 'rw' THEN 'RW ' || b.rw
        WHEN 'rt' THEN CASE WHEN $pakai_rw THEN 'RT ' || b.rt || ' / RW ' || b.rw ELSE 'RT ' || b.rt END
        ELSE w.nama
    END AS nama_wilayah,
    b.kode_induk, b.kode_kecamatan, b.kode_kelurahan, b.rw, b.rt, b.periode,
    b.* EXCLUDE (level, kode_wilayah, kode_induk, kode_kecamatan, kode_kelurahan, rw, rt, periode, g),
    coalesce(k.konflik, 0) AS konflik
FROM berlevel b
LEFT JOIN wilayah_ref w ON w.kode = b.kode_wilayah
LEFT JOIN (
    SELECT periode, kode_kelurahan AS kode, konflik FROM konflik_kelurahan
    UNION ALL
    SELECT periode, left(kode_kelurahan, 8), sum(konflik) FROM konflik_kelurahan GROUP BY ALL
    UNION ALL
    SELECT periode, $kode_kota, sum(konflik) FROM konflik_kelurahan GROUP BY ALL
) k ON k.periode = b.periode AND k.kode = b.kode_wilayah AND b.level IN ('kota', 'kecamatan', 'kelurahan');

-- Step kualitas: per kelurahan and period, how fresh and how clean its data are, and how many
-- rows its latest upload had rejected (so a camat sees which lurah must refresh).
CREATE OR REPLACE TEMP TABLE kualitas AS
WITH terakhir AS (
    SELECT k.periode, k.kode_kelurahan, arg_max(u.id, u.urutan) AS unggahan_terakhir
    FROM keluarga_final k JOIN unggahan u ON u.urutan = k.urutan_unggahan
    GROUP BY ALL
)
SELECT w.kode AS kode_kelurahan, w.nama AS nama_kelurahan, w.kode_induk AS kode_kecamatan, p.periode,
       coalesce(i.jumlah_keluarga, 0) AS jumlah_keluarga,
       i.terakhir_diperbarui,
       i.keluarga_nik_valid,
       coalesce(i.keluarga_perlu_verifikasi, 0) AS keluarga_perlu_verifikasi,
       coalesce(i.konflik, 0) AS konflik,
       t.unggahan_terakhir,
       u.nama_berkas AS berkas_terakhir,
       u.diunggah_pada AS diunggah_terakhir,
       coalesce(r.ditolak, 0) AS baris_ditolak_unggahan_terakhir
FROM wilayah_ref w
CROSS JOIN (SELECT DISTINCT periode FROM keluarga_final) p
LEFT JOIN indikator i ON i.level = 'kelurahan' AND i.kode_wilayah = w.kode AND i.periode = p.periode
LEFT JOIN terakhir t ON t.kode_kelurahan = w.kode AND t.periode = p.periode
LEFT JOIN unggahan u ON u.id = t.unggahan_terakhir
LEFT JOIN ditolak_kelurahan r ON r.unggahan = t.unggahan_terakhir AND r.kode_kelurahan = w.kode
WHERE w.level = 'kelurahan';
