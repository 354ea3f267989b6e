"""The read side: every query the pages and the command line make of the published lake.

`query` is the one module that reads the lake, applying the user's scope (pipelines.access.scope),
masking and the audit of every view of names. The rest are pure functions over what it returns:
indicator definitions (indicators), headline changes and warnings (insights), trends and official
reference series (trend, reference), the map's values (map_values), vulnerable groups (vulnerable),
the CLI summary (summary) and downloads that no spreadsheet can run as formulas (exports).
"""
