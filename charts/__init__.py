"""Pure chart builders: (DataFrame, options) -> plotly Figure. No Streamlit here."""
