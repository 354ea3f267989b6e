"""Ingestion: a file as a city holds it, to staged rows that are accepted or rejected with a reason.

Source contracts (contracts), what is refused before reading (filetype), the CSV and Excel readers
(csv_scan, csv_reader, excel_checks, excel_reader, readers), header matching and mapping files
(headers, mapping), recognising a file's kind (detect), proposing a mapping (suggest), the cleaning
rules and value maps (clean, value_maps), the rejects table (rejects), what a full disk refused
(disk), and `ingest`, which ties them together for one upload. Nothing here publishes.
"""
