-- Duplicates and conflicts within one upload, over the typed rows. Placeholders in braces
-- are identifiers and expressions built from the contract (never from user input).

-- Step ok_rows: rows without a rejecting problem.
CREATE OR REPLACE TEMP VIEW ok_rows AS
SELECT * FROM typed t
WHERE t._masalah IS NULL OR NOT list_contains(list_transform(t._masalah, lambda x: x.tindakan), 'tolak');

-- Step repeated: rows whose key occurs more than once (without a key: whose content does).
-- Only these rows are hashed and ranked, so memory stays small on big files.
CREATE OR REPLACE TEMP TABLE repeated AS
WITH k AS (
    SELECT t._baris, {key_expr} AS _kunci FROM ok_rows t WHERE {key_present}
), ulang AS (
    SELECT _kunci FROM k GROUP BY _kunci HAVING count(*) > 1
), baris AS (
    SELECT k._baris, k._kunci FROM k SEMI JOIN ulang USING (_kunci)
)
SELECT t._baris, b._kunci, {content_hash} AS _isi, {winner_cols}
FROM ok_rows t JOIN baris b ON b._baris = t._baris;

-- Rule duplikat persis: rows with the same key and identical content count once; the first stays.
CREATE OR REPLACE TEMP TABLE exact_dupes AS
SELECT _baris, _baris_asal FROM (
    SELECT _baris, min(_baris) OVER (PARTITION BY _kunci, _isi) AS _baris_asal FROM repeated
) WHERE _baris <> _baris_asal;

-- Rule konflik: the same key with different content. The latest row wins
-- (by {winner_order}); the others are rejected and the conflict is reported.
CREATE OR REPLACE TEMP TABLE key_conflicts AS
WITH remaining AS (
    SELECT * FROM repeated WHERE _baris NOT IN (SELECT _baris FROM exact_dupes)
), multi AS (
    SELECT _kunci FROM remaining GROUP BY _kunci HAVING count(*) > 1
)
SELECT r._baris, r._kunci, first_value(r._baris) OVER w AS _baris_menang, row_number() OVER w = 1 AS menang
FROM remaining r SEMI JOIN multi USING (_kunci)
WINDOW w AS (PARTITION BY r._kunci ORDER BY {winner_order});

-- Step problems: every problem of every row, one record each, for the rejects and notes files.
CREATE OR REPLACE TEMP TABLE problems AS
SELECT _baris AS baris, m.kolom, m.nilai, m.alasan, m.tindakan
FROM (SELECT _baris, unnest(_masalah) AS m FROM typed WHERE _masalah IS NOT NULL)
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

-- Step excluded: rows not accepted (rejected, a repeated duplicate or a losing conflict).
CREATE OR REPLACE TEMP TABLE excluded AS
SELECT DISTINCT baris AS _baris FROM problems WHERE tindakan = 'tolak';
