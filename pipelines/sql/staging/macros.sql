-- Cleaning rules, one macro each. Every macro takes raw text as read from the file and
-- returns the clean value, or NULL when the value is missing or cannot be read. The
-- *_problem macros return the reason (Bahasa Indonesia) a value is invalid, or NULL.

-- Rule kosong: a missing value: empty, only spaces, or a placeholder exports write for "no data"
-- ('-', 'NULL', '#N/A', ...). A list rather than a pattern: it runs on every cell.
CREATE OR REPLACE MACRO kosong(x) AS
    CASE
        WHEN x IS NULL THEN true
        -- Placeholders are short; longer text is missing only when it is all spaces, which its
        -- first character already tells for almost every value.
        WHEN length(x) > 9 THEN CASE WHEN ascii(x) > 32 THEN false ELSE trim(x) = '' END
        ELSE lower(trim(x)) IN ('', '-', '--', '---', '.', '..', '...', 'null', 'none', 'nan', 'n/a', 'na',
                                '#n/a', '#na', '#ref!', '#value!', '#div/0!')
    END;

-- Rule teks: trim and collapse spaces; missing values (rule kosong) are NULL. The common case
-- (already clean text) is recognised without a regular expression.
CREATE OR REPLACE MACRO clean_text(x) AS
    CASE
        WHEN kosong(x) THEN NULL
        WHEN x = trim(x) AND strpos(x, '  ') = 0 AND strpos(x, chr(10)) = 0 AND strpos(x, chr(13)) = 0
             AND strpos(x, chr(9)) = 0 THEN x
        ELSE regexp_replace(trim(x), '\s+', ' ', 'g')
    END;

-- Rule id16: a NIK or No KK keeps its digits when written with spaces, dots, dashes,
-- a leading apostrophe (Excel's text marker) or quotes. (Kept free of clean_text: these
-- rules run on every row, and nested macros multiply the work.)
CREATE OR REPLACE MACRO id_digits(x) AS
    CASE WHEN regexp_full_match(x, '[0-9]{16}') THEN x
         ELSE regexp_replace(x, '[\s.''"`\-]', '', 'g') END;

-- Province codes (first two digits of a NIK or No KK), Permendagri on region codes,
-- including the Papua provinces formed in 2022.
CREATE OR REPLACE MACRO valid_province(d) AS substr(d, 1, 2) IN (
    '11', '12', '13', '14', '15', '16', '17', '18', '19', '21', '31', '32', '33', '34', '35', '36',
    '51', '52', '53', '61', '62', '63', '64', '65', '71', '72', '73', '74', '75', '76', '81', '82',
    '91', '92', '93', '94', '95', '96');

-- Rule id16: what is wrong with the shape of a 16-digit ID, or NULL.
-- A number cell from Excel (marked chr(1) by the reader) or a value in scientific
-- notation has lost digits (Excel keeps 15 significant digits): it is never repaired.
CREATE OR REPLACE MACRO id16_shape_problem(x) AS
    CASE
        WHEN regexp_full_match(x, '[0-9]{16}') THEN
            CASE
                WHEN NOT valid_province(x) THEN 'dua digit pertama bukan kode provinsi'
                WHEN substr(x, 13, 4) = '0000' THEN 'nomor urut (4 digit terakhir) tidak boleh 0000'
            END
        WHEN kosong(x) THEN 'kosong'
        WHEN starts_with(x, chr(1)) THEN
            'tersimpan sebagai angka di Excel sehingga digit terakhir hilang (Excel hanya menyimpan 15 digit); '
            || 'ketik ulang sebagai teks dari dokumen asli'
        WHEN regexp_matches(trim(x), '^[0-9]+([.,][0-9]+)?[eE][+]?[0-9]+$') THEN
            'rusak oleh Excel (notasi ilmiah seperti 6,17E+15); ketik ulang sebagai teks dari dokumen asli'
        WHEN NOT regexp_matches(id_digits(x), '^[0-9]+$') THEN 'berisi karakter selain angka'
        WHEN length(id_digits(x)) <> 16 THEN 'harus 16 digit (terbaca ' || length(id_digits(x)) || ' digit)'
        WHEN NOT valid_province(id_digits(x)) THEN 'dua digit pertama bukan kode provinsi'
        WHEN substr(id_digits(x), 13, 4) = '0000' THEN 'nomor urut (4 digit terakhir) tidak boleh 0000'
    END;

-- Rule NIK: digits 7-12 are the birth date DDMMYY, with 40 added to the day for women.
CREATE OR REPLACE MACRO nik_problem(x) AS
    coalesce(
        id16_shape_problem(x),
        CASE
            WHEN NOT (TRY_CAST(substr(id_digits(x), 7, 2) AS INTEGER) BETWEEN 1 AND 31
                      OR TRY_CAST(substr(id_digits(x), 7, 2) AS INTEGER) BETWEEN 41 AND 71)
                 OR NOT TRY_CAST(substr(id_digits(x), 9, 2) AS INTEGER) BETWEEN 1 AND 12
            THEN 'bagian tanggal lahir (digit 7-12) tidak valid'
        END);

-- Rule No KK: digits 7-12 are the issue date DDMMYY.
CREATE OR REPLACE MACRO kk_problem(x) AS
    coalesce(
        id16_shape_problem(x),
        CASE
            WHEN NOT TRY_CAST(substr(id_digits(x), 7, 2) AS INTEGER) BETWEEN 1 AND 31
                 OR NOT TRY_CAST(substr(id_digits(x), 9, 2) AS INTEGER) BETWEEN 1 AND 12
            THEN 'bagian tanggal terbit (digit 7-12) tidak valid'
        END);

-- Rule RT/RW: any spelling ('5', '05', '005', 'RT 05', 'RT.5', 'rw 005', '5,0') becomes
-- three digits ('005'); 0 and numbers above 999 are invalid.
CREATE OR REPLACE MACRO rtrw(x) AS
    CASE
        WHEN regexp_matches(clean_text(x), '^(?i)(r\.?\s*[tw]\.?)?\s*[:.\-/]?\s*0*([1-9][0-9]{0,2})([.,]0+)?$')
        THEN lpad(regexp_extract(clean_text(x), '^(?i)(r\.?\s*[tw]\.?)?\s*[:.\-/]?\s*0*([1-9][0-9]{0,2})', 2), 3, '0')
    END;

-- Rule ya/tidak: Ya/Tidak, Y/T, Y/N, 1/0, Benar/Salah, Ada/Tidak Ada,
-- Memenuhi (Kriteria)/Tidak Memenuhi (Kriteria), Penerima/Bukan Penerima, centang.
CREATE OR REPLACE MACRO yesno(x) AS
    CASE
        WHEN lower(clean_text(x)) IN ('ya', 'y', 'iya', 'yes', '1', 'benar', 'true', 'ada', 'memenuhi',
            'memenuhi kriteria', 'penerima', 'terima', 'menerima', 'sudah', '√', '✓', '✔', 'v') THEN true
        WHEN lower(clean_text(x)) IN ('tidak', 't', 'tdk', 'no', 'n', '0', 'salah', 'false', 'tidak ada',
            'bukan', 'bukan penerima', 'tidak menerima', 'tidak memenuhi', 'tidak memenuhi kriteria', 'belum',
            'tidak terima') THEN false
    END;

-- Rule desil: '3', '03', 'Desil 3', 'DESIL 3', 'Desil 3 (Miskin)', 'D3', '3,0' -> 3; only 1 to 10.
CREATE OR REPLACE MACRO desil(x) AS
    CASE
        WHEN TRY_CAST(regexp_extract(clean_text(x), '^(?i)(?:desil|d)?\s*[-:.]?\s*0*([0-9]{1,2})(?:[.,]0+)?(?:\s|\(|$)', 1)
                      AS INTEGER) BETWEEN 1 AND 10
        THEN TRY_CAST(regexp_extract(clean_text(x), '^(?i)(?:desil|d)?\s*[-:.]?\s*0*([0-9]{1,2})', 1) AS INTEGER)
    END;

-- Rule angka: Indonesian notation. '1.234.567' = 1234567; '12,5' = 12.5; '1.234,5' = 1234.5;
-- 'Rp 1.500.000,-' = 1500000; a plain '12.5' without thousands groups = 12.5.
CREATE OR REPLACE MACRO number_core(s) AS
    CASE
        WHEN regexp_matches(s, '^-?[0-9]{1,3}(\.[0-9]{3})+(,[0-9]+)?$') THEN replace(replace(s, '.', ''), ',', '.')::DOUBLE
        WHEN regexp_matches(s, '^-?[0-9]+(,[0-9]+)?$') THEN replace(s, ',', '.')::DOUBLE
        WHEN regexp_matches(s, '^-?[0-9]*\.[0-9]+$') THEN s::DOUBLE
    END;
CREATE OR REPLACE MACRO angka(x) AS
    number_core(regexp_replace(regexp_replace(lower(clean_text(x)), '^rp\.?\s*', ''), '(,-+|\.-+|\s)', '', 'g'));
-- Rule koordinat: decimal degrees with a decimal point or a decimal comma ('-0.0345', '109,3427');
-- never read as thousands. Outside -90..90 / -180..180 is invalid.
CREATE OR REPLACE MACRO koordinat(x) AS
    CASE
        WHEN regexp_matches(replace(clean_text(x), ' ', ''), '^-?[0-9]{1,3}([.,][0-9]+)?$')
             AND abs(replace(replace(clean_text(x), ' ', ''), ',', '.')::DOUBLE) <= 180
        THEN replace(replace(clean_text(x), ' ', ''), ',', '.')::DOUBLE
    END;
CREATE OR REPLACE MACRO bilangan_bulat(x) AS
    CASE WHEN angka(x) = floor(angka(x)) AND abs(angka(x)) < 1e15 THEN angka(x)::BIGINT END;

-- Rule tanggal: day first, as written in Indonesia: '19/12/2025', '19-12-2025', '19.12.2025',
-- '19 Desember 2025', '19 Des 2025', ISO '2025-12-19'; a five-digit Excel serial (45645).
-- Dates outside 1900-2100 are invalid.
CREATE OR REPLACE MACRO month_names_to_numbers(s) AS
    regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(
    regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(regexp_replace(lower(s),
    '\b(januari|jan)\b', '01'), '\b(februari|pebruari|feb|peb)\b', '02'), '\b(maret|mar)\b', '03'),
    '\b(april|apr)\b', '04'), '\b(mei)\b', '05'), '\b(juni|jun)\b', '06'), '\b(juli|jul)\b', '07'),
    '\b(agustus|agu|agt|agus|ags)\b', '08'), '\b(september|sep|sept)\b', '09'), '\b(oktober|okt)\b', '10'),
    '\b(november|nop|nov)\b', '11'), '\b(desember|des)\b', '12');
CREATE OR REPLACE MACRO date_core(s) AS
    CASE
        WHEN regexp_matches(s, '^[0-9]{5}$') THEN (DATE '1899-12-30' + s::INTEGER)
        ELSE TRY_CAST(try_strptime(s, ['%Y-%m-%d', '%d/%m/%Y', '%d-%m-%Y', '%d.%m.%Y', '%d %m %Y', '%Y/%m/%d',
                                       '%Y-%m-%d %H:%M:%S', '%Y-%m-%dT%H:%M:%S', '%d/%m/%Y %H:%M:%S', '%d/%m/%y',
                                       '%d-%m-%y']) AS DATE)
    END;
CREATE OR REPLACE MACRO tanggal(x) AS
    CASE
        WHEN year(date_core(month_names_to_numbers(clean_text(x)))) BETWEEN 1900 AND 2100
        THEN date_core(month_names_to_numbers(clean_text(x)))
    END;

-- Rule jenis kelamin: L/LK/Laki-laki/Pria/1 = L; P/PR/Perempuan/Wanita/2 = P.
CREATE OR REPLACE MACRO jenis_kelamin(x) AS
    CASE
        WHEN regexp_matches(lower(clean_text(x)), '^(l|lk|laki|laki-laki|laki - laki|laki laki|pria|1|m|male)$') THEN 'L'
        WHEN regexp_matches(lower(clean_text(x)), '^(p|pr|perempuan|wanita|2|f|female)$') THEN 'P'
    END;

-- Vocabularies. Field lists write the same thing many ways, so a value is classified by
-- keywords, checked in order (the more specific first). Unknown wording gives NULL and
-- a warning, never a guess.

-- Jenis lantai terluas (DTSEN/Susenas answer options).
CREATE OR REPLACE MACRO cat_lantai(x) AS
    CASE
        WHEN regexp_matches(lower(clean_text(x)), 'tanah') THEN 'tanah'
        WHEN regexp_matches(lower(clean_text(x)), 'bambu') THEN 'bambu'
        WHEN regexp_matches(lower(clean_text(x)), 'keramik|ubin|tegel|teraso|marmer|granit|parket|vinil|karpet') THEN 'keramik'
        WHEN regexp_matches(lower(clean_text(x)), '(kayu|papan).*tinggi') THEN 'kayu'
        WHEN regexp_matches(lower(clean_text(x)), 'kayu.*(rendah|murah|jelek)|papan') THEN 'kayu_rendah'
        WHEN regexp_matches(lower(clean_text(x)), 'kayu') THEN 'kayu'
        WHEN regexp_matches(lower(clean_text(x)), 'semen|plester|bata|beton|cor') THEN 'semen'
        WHEN regexp_matches(lower(clean_text(x)), 'lain') THEN 'lainnya'
    END;

-- Jenis dinding terluas.
CREATE OR REPLACE MACRO cat_dinding(x) AS
    CASE
        WHEN regexp_matches(lower(clean_text(x)), 'tanpa plester|tidak diplester|belum diplester') THEN 'tembok_tanpa_plester'
        WHEN regexp_matches(lower(clean_text(x)), 'tembok|beton|batako|bata|plester|gypsum|gipsum|kalsiboard|grc') THEN 'tembok'
        WHEN regexp_matches(lower(clean_text(x)), 'bambu|anyaman|gedek|bilik') THEN 'bambu'
        WHEN regexp_matches(lower(clean_text(x)), 'kayu|papan') THEN 'kayu'
        WHEN regexp_matches(lower(clean_text(x)), 'seng') THEN 'seng'
        WHEN regexp_matches(lower(clean_text(x)), 'terpal|kardus|rumbia|kawat|plastik|lain') THEN 'lainnya'
    END;

-- Jenis atap terluas.
CREATE OR REPLACE MACRO cat_atap(x) AS
    CASE
        WHEN regexp_matches(lower(clean_text(x)), 'beton') THEN 'beton'
        WHEN regexp_matches(lower(clean_text(x)), 'genteng|genting') THEN 'genteng'
        WHEN regexp_matches(lower(clean_text(x)), 'seng') THEN 'seng'
        WHEN regexp_matches(lower(clean_text(x)), 'asbes') THEN 'asbes'
        WHEN regexp_matches(lower(clean_text(x)), 'sirap|kayu') THEN 'kayu'
        WHEN regexp_matches(lower(clean_text(x)), 'bambu') THEN 'bambu'
        WHEN regexp_matches(lower(clean_text(x)), 'ijuk|rumbia|jerami|daun|nipah') THEN 'jerami'
        WHEN regexp_matches(lower(clean_text(x)), 'lain') THEN 'lainnya'
    END;

-- Sumber air minum utama.
CREATE OR REPLACE MACRO cat_sumber_air(x) AS
    CASE
        WHEN regexp_matches(lower(clean_text(x)), 'isi ulang') THEN 'isi_ulang'
        WHEN regexp_matches(lower(clean_text(x)), 'kemasan|bermerk|bermerek') THEN 'kemasan'
        WHEN regexp_matches(lower(clean_text(x)), 'ledeng|leding|pdam|perpipaan|\bpam\b') THEN 'ledeng'
        WHEN regexp_matches(lower(clean_text(x)), 'bor|pompa') THEN 'sumur_bor'
        WHEN regexp_matches(lower(clean_text(x)), 'sumur.*(tak|tidak) terlindung') THEN 'sumur_tak_terlindung'
        WHEN regexp_matches(lower(clean_text(x)), 'sumur') THEN 'sumur_terlindung'
        WHEN regexp_matches(lower(clean_text(x)), 'mata air.*(tak|tidak) terlindung') THEN 'mata_air_tak_terlindung'
        WHEN regexp_matches(lower(clean_text(x)), 'mata air') THEN 'mata_air_terlindung'
        WHEN regexp_matches(lower(clean_text(x)), 'hujan') THEN 'air_hujan'
        WHEN regexp_matches(lower(clean_text(x)), 'sungai|danau|waduk|kolam|parit|irigasi|rawa') THEN 'sungai'
        WHEN regexp_matches(lower(clean_text(x)), 'lain') THEN 'lainnya'
    END;

-- Fasilitas buang air besar (with the final disposal where the export combines them).
CREATE OR REPLACE MACRO cat_sanitasi(x) AS
    CASE
        WHEN regexp_matches(lower(clean_text(x)), '^(tidak|tidak ada|tidak punya|tanpa jamban|tidak ada fasilitas)$|tidak ada jamban') THEN 'tidak_ada'
        WHEN regexp_matches(lower(clean_text(x)), 'sungai|laut|pantai|kolam|sawah|kebun|lubang|cubluk|cemplung|tanah lapang') THEN 'tidak_layak'
        WHEN regexp_matches(lower(clean_text(x)), 'umum') THEN 'umum'
        WHEN regexp_matches(lower(clean_text(x)), 'bersama|komunal|mck') THEN 'bersama'
        WHEN regexp_matches(lower(clean_text(x)), 'sendiri|septik|septic|tangki|ipal|leher angsa') THEN 'sendiri'
    END;

-- Sumber penerangan utama.
CREATE OR REPLACE MACRO cat_penerangan(x) AS
    CASE
        WHEN regexp_matches(lower(clean_text(x)), 'bukan listrik|non listrik|pelita|minyak|petromak|lilin|obor|^tidak') THEN 'bukan_listrik'
        WHEN regexp_matches(lower(clean_text(x)), 'non.?pln|genset|surya|solar') THEN 'non_pln'
        WHEN regexp_matches(lower(clean_text(x)), 'tanpa meter|tidak ada meter|numpang|menyambung') THEN 'pln_tanpa_meter'
        WHEN regexp_matches(lower(clean_text(x)), '450') THEN 'pln_450'
        WHEN regexp_matches(lower(clean_text(x)), '900') THEN 'pln_900'
        WHEN regexp_matches(lower(clean_text(x)), '1[.]?300|2[.]?200|3[.]?500|4[.]?400|5[.]?500|> ?900|lebih') THEN 'pln_lebih_900'
        WHEN regexp_matches(lower(clean_text(x)), 'pln|listrik') THEN 'pln'
    END;

-- Jaminan kesehatan (JKN): PBI paid by the state, non-PBI, or none.
CREATE OR REPLACE MACRO cat_jaminan_kesehatan(x) AS
    CASE
        WHEN regexp_matches(lower(clean_text(x)), 'tidak|belum|tanpa|^t$|^n$|^0$|^no$') THEN 'tidak'
        WHEN regexp_matches(lower(clean_text(x)), 'non.?pbi|mandiri|pekerja|ppu|pbpu|askes|asuransi swasta') THEN 'mandiri'
        WHEN regexp_matches(lower(clean_text(x)), 'pbi|jamkesda|kis') THEN 'pbi'
        WHEN regexp_matches(lower(clean_text(x)), 'jkn|bpjs|ya|ada|punya|^y$|^1$') THEN 'ada'
    END;

-- Hubungan dengan kepala keluarga.
CREATE OR REPLACE MACRO cat_hubungan(x) AS
    CASE
        WHEN regexp_matches(lower(clean_text(x)), 'kepala') OR lower(clean_text(x)) = '1' THEN 'kepala'
        WHEN regexp_matches(lower(clean_text(x)), 'istri|isteri|suami|pasangan') OR lower(clean_text(x)) = '2' THEN 'pasangan'
        WHEN regexp_matches(lower(clean_text(x)), 'menantu') THEN 'menantu'
        WHEN regexp_matches(lower(clean_text(x)), 'cucu') THEN 'cucu'
        WHEN regexp_matches(lower(clean_text(x)), 'anak') OR lower(clean_text(x)) = '3' THEN 'anak'
        WHEN regexp_matches(lower(clean_text(x)), 'orang ?tua|mertua|ayah|ibu') THEN 'orang_tua'
        WHEN regexp_matches(lower(clean_text(x)), 'famili|lain|pembantu|saudara') THEN 'lainnya'
    END;

-- Kebutuhan dasar yang disasar program (Brief: pangan, rumah, air, sanitasi, jaminan sosial,
-- kesehatan) plus pemberdayaan ekonomi and pendidikan.
CREATE OR REPLACE MACRO cat_kebutuhan_dasar(x) AS
    CASE
        WHEN regexp_matches(lower(clean_text(x)), 'sanitasi|jamban|mck|limbah|septik') THEN 'sanitasi'
        WHEN regexp_matches(lower(clean_text(x)), 'air (bersih|minum)|^air$|pdam|sambungan air') THEN 'air'
        WHEN regexp_matches(lower(clean_text(x)), 'rumah|rtlh|bedah|perumahan|hunian|bsps') THEN 'rumah'
        WHEN regexp_matches(lower(clean_text(x)), 'pangan|makan|gizi|sembako|bpnt') THEN 'pangan'
        WHEN regexp_matches(lower(clean_text(x)), 'kesehatan|jkn|bpjs|pbi|puskesmas|stunting') THEN 'kesehatan'
        WHEN regexp_matches(lower(clean_text(x)), 'jaminan sosial|bansos|pkh|perlindungan|tunai') THEN 'jaminan_sosial'
        WHEN regexp_matches(lower(clean_text(x)), 'ekonomi|umkm|usaha|pelatihan|kerja|modal|kur|pemberdayaan') THEN 'ekonomi'
        WHEN regexp_matches(lower(clean_text(x)), 'pendidikan|sekolah|beasiswa') THEN 'pendidikan'
        WHEN regexp_matches(lower(clean_text(x)), 'lain') THEN 'lainnya'
    END;

-- Unsur pentahelix: pemerintah, akademisi, dunia usaha, media, masyarakat.
CREATE OR REPLACE MACRO cat_pentahelix(x) AS
    CASE
        WHEN regexp_matches(lower(clean_text(x)), 'akademi|kampus|universitas|perguruan|politeknik|institut') THEN 'akademisi'
        WHEN regexp_matches(lower(clean_text(x)), 'usaha|swasta|csr|tjsl|perusahaan|bumn|bumd|bank|industri|bisnis') THEN 'dunia_usaha'
        WHEN regexp_matches(lower(clean_text(x)), 'media|pers|radio|televisi|\btv\b|koran') THEN 'media'
        WHEN regexp_matches(lower(clean_text(x)), 'pemerintah|opd|dinas|pemkot|pemkab|instansi') THEN 'pemerintah'
        WHEN regexp_matches(lower(clean_text(x)), 'masyarakat|komunitas|ormas|lsm|baznas|zakat|yayasan|masjid|gereja|relawan|pkk|karang taruna|filantropi') THEN 'masyarakat'
    END;
