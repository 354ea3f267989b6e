-- Definitions of every family-level indicator, in one place. Each flag is TRUE when the
-- family lacks the need, FALSE when it is known to have it, NULL when the data do not say
-- (unknown is never counted as lacking). Vocabularies: sql/staging/macros.sql.

-- Rumah tidak layak huni (RTLH). BPS/SDGs 11.1.1 "rumah layak huni" counts a house decent when
-- its building is durable (roof, walls and floor of durable material) and it is not crowded
-- (at least 7,2 m2 of floor per person); Permen PUPR 07/PRT/M/2018 (BSPS) uses the same
-- elements for RTLH. A family is RTLH when any element fails.
CREATE OR REPLACE MACRO def_rtlh(lantai, dinding, atap, luas_lantai, jumlah_anggota) AS
    CASE
        WHEN lantai IN ('tanah', 'bambu')
          OR dinding IN ('bambu', 'lainnya')
          OR atap IN ('jerami', 'bambu', 'lainnya')
          OR (luas_lantai > 0 AND jumlah_anggota > 0 AND luas_lantai / jumlah_anggota < 7.2) THEN true
        WHEN lantai IS NULL AND dinding IS NULL AND atap IS NULL THEN NULL
        ELSE false
    END;

-- Air minum tidak layak. BPS: improved sources are piped water, bored/pumped wells, protected
-- wells and springs, and rainwater; bottled and refill water count (Pontianak relies on
-- rainwater and refills). Unprotected wells and springs, rivers and ponds are not improved.
CREATE OR REPLACE MACRO def_tanpa_air_layak(sumber_air) AS
    CASE WHEN sumber_air IS NULL THEN NULL
         ELSE sumber_air IN ('sumur_tak_terlindung', 'mata_air_tak_terlindung', 'sungai', 'lainnya') END;

-- Sanitasi tidak layak. BPS: a private or shared toilet draining to a septic tank or sewer is
-- decent; no toilet, a public toilet, or disposal into rivers, ponds, fields or pits is not.
CREATE OR REPLACE MACRO def_tanpa_sanitasi_layak(sanitasi) AS
    CASE WHEN sanitasi IS NULL THEN NULL ELSE sanitasi IN ('tidak_ada', 'tidak_layak', 'umum') END;

-- Tanpa jaminan kesehatan: no JKN membership, PBI or otherwise (Perpres 82/2018 on JKN).
CREATE OR REPLACE MACRO def_tanpa_jaminan_kesehatan(jaminan_kesehatan) AS
    CASE WHEN jaminan_kesehatan IS NULL THEN NULL ELSE jaminan_kesehatan = 'tidak' END;

-- Rawan pangan: the family worried about or went without food in the past year
-- (FIES item used by Kepmensos 262/HUK/2022 criterion b and by Susenas).
CREATE OR REPLACE MACRO def_rawan_pangan(rawan_pangan) AS rawan_pangan;

-- Penerangan tidak layak: not electric, or electricity not from PLN (Kepmensos 262/HUK/2022
-- criterion h counts 450 VA too; that is a poverty marker, not a missing service).
CREATE OR REPLACE MACRO def_tanpa_listrik(penerangan) AS
    CASE WHEN penerangan IS NULL THEN NULL ELSE penerangan IN ('bukan_listrik', 'non_pln', 'pln_tanpa_meter') END;

-- Layak bantuan (eligible): DTSEN desil 1-4 (PKH's range; Inpres 4/2025) or fakir miskin by the
-- city's verval rule set (Kepmensos 262/HUK/2022 by default).
CREATE OR REPLACE MACRO def_layak_bantuan(desil, fakir_miskin) AS
    coalesce(desil <= 4, false) OR coalesce(fakir_miskin, false);

-- Galat eksklusi: eligible but receiving no programme in the period.
CREATE OR REPLACE MACRO def_galat_eksklusi(desil, fakir_miskin, menerima_program) AS
    def_layak_bantuan(desil, fakir_miskin) AND NOT menerima_program;

-- Galat inklusi: receiving a programme while in desil 6-10 and not fakir miskin (desil 5 is
-- still within Sembako and PBI-JK rules, so it is not counted as an error).
CREATE OR REPLACE MACRO def_galat_inklusi(desil, fakir_miskin, menerima_program) AS
    menerima_program AND coalesce(desil >= 6, false) AND NOT coalesce(fakir_miskin, false);

-- Vulnerable groups (pipelines/domain.py GROUPS). Each macro judges one member row; the family
-- belongs when any member, its head, or its only member (by the group) does. NULL when the member
-- list does not say (no birth date, no sex, a blank schooling cell, work in words not listed here).

-- Age in whole years at `akhir` (the end of the period).
CREATE OR REPLACE MACRO umur_pada(tanggal_lahir, akhir) AS
    date_diff('year', tanggal_lahir, akhir)
    - CASE WHEN strftime(akhir, '%m%d') < strftime(tanggal_lahir, '%m%d') THEN 1 ELSE 0 END;

-- Lanjut usia: 60 years or older (UU 13/1998 pasal 1).
CREATE OR REPLACE MACRO def_lansia(umur) AS umur >= 60;

-- Balita: under five (0-59 months, Kemenkes).
CREATE OR REPLACE MACRO def_balita(umur) AS umur < 5;

-- Penyandang disabilitas (UU 8/2016). The member list says yes/no; it does not carry the type.
CREATE OR REPLACE MACRO def_disabilitas(disabilitas) AS disabilitas;

-- Anak 7-18 tidak sekolah: of school age for the 12-year compulsory schooling (SD to SMA; the PIP
-- range) and "Masih Sekolah" answered no. A blank answer is unknown, never out of school. Older and
-- younger members are not in the group (false).
CREATE OR REPLACE MACRO def_anak_tidak_sekolah(umur, masih_sekolah) AS
    CASE WHEN umur IS NULL THEN NULL WHEN umur BETWEEN 7 AND 18 THEN NOT masih_sekolah ELSE false END;

-- Perempuan, from the cleaned sex code (L/P).
CREATE OR REPLACE MACRO def_perempuan(jenis_kelamin) AS
    CASE jenis_kelamin WHEN 'P' THEN true WHEN 'L' THEN false END;

-- Pekerjaan informal atau usaha mikro (BPS: berusaha sendiri, dibantu buruh tidak tetap, pekerja
-- bebas, pekerja keluarga; UU 20/2008 for UMKM). Work is free text in member lists, so it is read
-- by keywords: employees (PNS/ASN, TNI/Polri, karyawan, buruh pabrik, guru, tenaga kesehatan),
-- pensioners, students, housekeeping and no work are not informal; casual labour, traders, farmers,
-- fishers, craftsmen, drivers and the self-employed (wiraswasta, usaha, UMKM) are. Other words: NULL.
CREATE OR REPLACE MACRO def_pekerjaan_informal(pekerjaan) AS
    CASE
        WHEN pekerjaan IS NULL THEN NULL
        WHEN regexp_matches(lower(pekerjaan), 'pns|asn|tni|polri|polisi|karyawan|pegawai|buruh pabrik|guru|dosen|dokter|bidan|perawat|tenaga kesehatan|pensiun|pelajar|mahasiswa|sekolah|mengurus rumah|ibu rumah|tidak bekerja|belum bekerja|belum/tidak|tidak/belum') THEN false
        WHEN regexp_matches(lower(pekerjaan), 'buruh|lepas|harian|serabutan|pedagang|dagang|jualan|warung|nelayan|petani|pekebun|peternak|tukang|sopir|supir|ojek|becak|kurir|wiraswasta|wirausaha|usaha|umkm|pengrajin|perajin|penjahit|pembantu|asisten rumah|pemulung|montir|bengkel') THEN true
    END;
