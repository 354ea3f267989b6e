-- Duplicates and conflicts within one upload. Placeholders in braces are identifiers
-- and expressions built from the contract (never from user input).

-- Step candidates: rows without a rejecting problem, with a hash of their content and key.
CREATE OR REPLACE TEMP TABLE candidates AS
SELECT t.*,
       {content_hash} AS _isi,
       CASE WHEN {key_present} THEN concat_ws(' / ', {key_cols}) END AS _kunci
FROM typed t
WHERE NOT list_contains(list_transform(_masalah, lambda x: x.tindakan), 'tolak');

-- Rule duplikat persis: rows with identical content count once; the first row stays.
-- Only the contents that repeat are windowed, so memory stays small on big files.
CREATE OR REPLACE TEMP TABLE exact_dupes AS
WITH repeated AS (
    SELECT _isi FROM candidates GROUP BY _isi HAVING count(*) > 1
), ranked AS (
    SELECT c._baris, min(c._baris) OVER (PARTITION BY c._isi) AS _baris_asal
    FROM candidates c JOIN repeated USING (_isi)
)
SELECT _baris, _baris_asal FROM ranked WHERE _baris <> _baris_asal;

-- Rule konflik: the same key with different content. The latest row wins
-- (by {winner_order}); the others are rejected and the conflict is reported.
CREATE OR REPLACE TEMP TABLE key_conflicts AS
WITH remaining AS (
    SELECT _baris, _kunci, {winner_cols} FROM candidates
    WHERE _kunci IS NOT NULL AND _baris NOT IN (SELECT _baris FROM exact_dupes)
), repeated AS (
    SELECT _kunci FROM remaining GROUP BY _kunci HAVING count(*) > 1
), ranked AS (
    SELECT r._baris, r._kunci,
           row_number() OVER w AS urutan,
           first_value(r._baris) OVER w AS _baris_menang
    FROM remaining r JOIN repeated USING (_kunci)
    WINDOW w AS (PARTITION BY r._kunci ORDER BY {winner_order})
)
SELECT _baris, _kunci, _baris_menang, urutan = 1 AS menang FROM ranked;

-- Step accepted: candidates that are neither a repeated duplicate nor a losing conflict.
CREATE OR REPLACE TEMP TABLE accepted AS
SELECT * EXCLUDE (_isi, _kunci, _masalah),
       list_contains(list_transform(_masalah, lambda x: x.tindakan), 'tandai') AS _ditandai,
       nullif(array_to_string(list_transform(list_filter(_masalah, lambda x: x.tindakan = 'tandai'),
                                             lambda x: x.alasan), '; '), '') AS _alasan_tanda
FROM candidates
WHERE _baris NOT IN (SELECT _baris FROM exact_dupes)
  AND _baris NOT IN (SELECT _baris FROM key_conflicts WHERE NOT menang);

-- Step problems: every problem of every row, one record each, for the rejects and notes files.
CREATE OR REPLACE TEMP TABLE problems AS
SELECT _baris AS baris, m.kolom, m.nilai, m.alasan, m.tindakan
FROM (SELECT _baris, unnest(_masalah) AS m FROM typed)
UNION ALL
SELECT _baris, '(seluruh baris)', NULL,
       'duplikat persis dari baris ' || _baris_asal || '; dihitung sekali', 'tolak'
FROM exact_dupes
UNION ALL
SELECT _baris, '{key_name}', _kunci,
       'konflik: {key_label} sama dengan baris ' || _baris_menang
       || ' tetapi isinya berbeda; baris ' || _baris_menang || ' yang dipakai (data terbaru)', 'tolak'
FROM key_conflicts WHERE NOT menang
UNION ALL
SELECT _baris, '(seluruh baris)', teks, alasan, 'tolak' FROM bad_lines;
