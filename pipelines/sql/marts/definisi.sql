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
