"""Tables as shown on a page: numbers written the Indonesian way (downloads keep raw numbers)."""

from __future__ import annotations

import pandas as pd

from pipelines.formatting import angka


def counts_as_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Integer-like columns as '1.234' (st.dataframe would show '1234' or '1,234')."""
    out = frame.copy()
    for col in out.columns:
        if pd.api.types.is_numeric_dtype(out[col]) and not pd.api.types.is_bool_dtype(out[col]):
            out[col] = out[col].map(angka)
    return out
