"""Data foundation of the TKPKD dashboard: read, clean, integrate and publish.

Nothing in this package imports Streamlit, so every step runs the same way
from the command line (`python -m pipelines`), from tests and from the app.
"""
