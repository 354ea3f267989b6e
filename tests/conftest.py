"""Shared fixtures: every test gets its own data directory; nothing touches ./data."""

from __future__ import annotations

import pytest

from pipelines.settings import get_settings


@pytest.fixture
def settings(tmp_path, monkeypatch):
    monkeypatch.setenv("TKPKD_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("TKPKD_KOTA", raising=False)
    monkeypatch.setenv("TKPKD_HASH_KEY", "00" * 32)
    return get_settings()
