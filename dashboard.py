"""Dasbor TKPKD: page config, login gate, navigation built from the user's role."""

import streamlit as st

from ui import auth, nav

st.set_page_config(page_title="Dasbor TKPKD", page_icon=nav.ICON, layout="wide", initial_sidebar_state="auto")

account = auth.current_account()
if account is None:
    # An anonymous browser gets the login form whatever URL it opens; no page script runs.
    # After login the same URL opens the page it named, so shared links survive the login.
    st.navigation(nav.login_pages(auth.login_page), position="hidden").run()
else:
    page = st.navigation(nav.pages_for(account))
    nav.frame(account, page)
    nav.run(page, account)
