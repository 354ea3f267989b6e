"""The lake: versioned, published parquet that the dashboard reads.

The manifest and version folders (manifest), the register of uploads (registry), the writer lock
(lock), keyed-hash pseudonyms for families (pseudonym), region shapes simplified at publish
(geometry), and `publish`/`rollback`, which integrate the active uploads into a new version and
switch the manifest atomically. The lake's table list is owned here (publish).
"""
