"""Workflows: what users do with the data, step by step, each step audited.

The analyst's upload (upload: check, publish, roll back, withdraw) and the lurah's case work
(casework: the case list and follow-ups per family, kept in the transactional store).
"""
