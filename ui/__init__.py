"""The Streamlit-aware layer besides views/: authentication, cached data access, session state, widgets."""
