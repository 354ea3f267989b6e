"""Cached access to the read side. Every cache key holds the scope and the lake version.

`st.cache_data` is shared by all users, so the scope (area and names permission) is an
argument of every cached function: two users share a cached result only when they may
see exactly the same rows. A new publish changes the version and so every key.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from pipelines.access.scope import Scope
from pipelines.evaluation.programmes import Evaluation, evaluate
from pipelines.lake import manifest as lake
from pipelines.read.query import LakeReader, reader
from pipelines.settings import get_settings
from ui import evaluasi

# Cached results are small tables; keep a few hundred and let them age out in an hour.
CACHE = dict(max_entries=512, ttl=3600, show_spinner=False)


@st.cache_resource(show_spinner=False)
def _reader(data_dir: str) -> LakeReader:
    return reader(get_settings())


def lake_reader() -> LakeReader:
    return _reader(str(get_settings().data_dir))


def has_lake() -> bool:
    return (get_settings().lake_dir / lake.MANIFEST).exists()


def version() -> str:
    return lake_reader().version


def manifest() -> dict:
    return lake_reader().current_manifest()


def periods() -> list[str]:
    return lake_reader().periods()


def city() -> tuple[str, str]:
    return lake_reader().city()


@st.cache_data(**CACHE)
def _indicators(prefix: str | None, names: bool, version: str, period, level, parent, kode, totals) -> pd.DataFrame:
    return lake_reader().area_indicators(
        Scope(prefix, names), period=period, level=level, parent=parent, kode=kode, totals=totals
    )


def indicators(scope: Scope, *, period=None, level=None, parent=None, kode=None, totals=False) -> pd.DataFrame:
    return _indicators(scope.kode_wilayah, scope.names, version(), period, level, parent, kode, totals)


@st.cache_data(**CACHE)
def _children(prefix: str | None, names: bool, version: str, kode: str, period) -> pd.DataFrame:
    return lake_reader().children(Scope(prefix, names), kode, period=period)


def children(scope: Scope, kode: str, *, period=None) -> pd.DataFrame:
    return _children(scope.kode_wilayah, scope.names, version(), kode, period)


@st.cache_data(**CACHE)
def _quality(prefix: str | None, names: bool, version: str, period) -> pd.DataFrame:
    return lake_reader().quality(Scope(prefix, names), period=period)


def quality(scope: Scope, *, period=None) -> pd.DataFrame:
    return _quality(scope.kode_wilayah, scope.names, version(), period)


@st.cache_data(**CACHE)
def _programmes(prefix: str | None, names: bool, version: str, period) -> pd.DataFrame:
    return lake_reader().programmes(Scope(prefix, names), period=period)


def programmes(scope: Scope, *, period=None) -> pd.DataFrame:
    return _programmes(scope.kode_wilayah, scope.names, version(), period)


@st.cache_data(**CACHE)
def _statistics(prefix: str | None, names: bool, version: str, kode: str) -> pd.DataFrame:
    return lake_reader().statistics(Scope(prefix, names), kode)


def statistics(scope: Scope, kode: str) -> pd.DataFrame:
    return _statistics(scope.kode_wilayah, scope.names, version(), kode)


@st.cache_data(**CACHE)
def _shapes(version: str, level: str) -> dict:
    return lake_reader().shapes(Scope.whole_city(), level)


def shapes(level: str) -> dict:
    """Region outlines are public reference data; values drawn on them are scoped separately."""
    return _shapes(version(), level)


@st.cache_data(**CACHE)
def _names(version: str) -> dict[str, str]:
    return lake_reader().region_names()


def region_names() -> dict[str, str]:
    return _names(version())


@st.cache_data(**CACHE)
def _evaluation(prefix: str | None, version: str, area: str, period: str) -> Evaluation:
    return evaluate(lake_reader(), Scope(prefix), period, area=area)


def evaluation(scope: Scope, area: str, period: str) -> Evaluation:
    """The programme evaluation of an area and period (outputs, outcomes, impact, targeting).

    It holds counts, never names, so the scope's area alone keys it: the chair and the analysts,
    who see the same city, share one computation."""
    return _evaluation(scope.kode_wilayah, version(), area, period)


@st.cache_data(**CACHE)
def _evaluation_page(prefix: str | None, version: str, area: str, period: str, area_name: str) -> evaluasi.Page:
    return evaluasi.page(_evaluation(prefix, version, area, period), area_name)


def evaluation_page(scope: Scope, area: str, period: str, area_name: str) -> evaluasi.Page:
    """The Evaluasi page's answers, tables and figures of an area and period, keyed as `evaluation` is (and
    on the area's name, which its sentences use): a room opening the page together derives them once per
    scope, and each session draws its copy."""
    return _evaluation_page(scope.kode_wilayah, version(), area, period, area_name)
