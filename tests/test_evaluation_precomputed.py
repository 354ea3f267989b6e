"""The evaluation's estimates computed at publish (pipelines/evaluation/precompute.py) give the same
evaluation as computing on demand, for the city and a kecamatan; other areas, and a version without the
table (published by an earlier release), still compute on demand."""

from __future__ import annotations

import dataclasses
import json

import pandas as pd
import pytest
import streamlit as st

from pipelines.access import accounts
from pipelines.access.scope import OutOfScope, Scope
from pipelines.evaluation import precompute, programmes
from pipelines.evaluation.area import area_change
from pipelines.evaluation.precompute import TABLE
from pipelines.lake import manifest as lake
from pipelines.lake.publish import publish, unchanged_version
from pipelines.lake.registry import uploads
from pipelines.periods import period_label
from pipelines.read.query import LakeReader
from pipelines.state import active_city
from tests.apptest import PASSWORD, app_as, create_users, failed, texts
from tests.test_evaluation import _cli, make_programme_city
from ui import evaluasi

CITY, KECAMATAN, KELURAHAN = "61.71", "61.71.01", "61.71.01.1006"  # Akcaya, where the programmes are


@pytest.fixture
def programme_lake(settings, tmp_path):
    return make_programme_city(settings, tmp_path)


def _on_demand(reader: LakeReader, monkeypatch) -> None:
    """The reader as in a version without the table: every evaluation computes its estimates."""
    monkeypatch.setattr(reader, "evaluation_results", lambda *a, **kw: None)


def _assert_same(a: programmes.Evaluation, b: programmes.Evaluation) -> None:
    for field in dataclasses.fields(programmes.Evaluation):
        left, right = getattr(a, field.name), getattr(b, field.name)
        if isinstance(left, pd.DataFrame):
            pd.testing.assert_frame_equal(left, right, check_exact=True, obj=field.name)
        else:
            assert left == right, field.name


def _count_estimates(monkeypatch) -> list[int]:
    calls = []
    real = programmes.estimate

    def counted(cells, **kw):
        calls.append(len(cells))
        return real(cells, **kw)

    monkeypatch.setattr(programmes, "estimate", counted)
    return calls


def test_the_version_holds_the_estimates_of_the_city_and_every_kecamatan(programme_lake):
    manifest = lake.read_manifest(programme_lake)
    assert TABLE in manifest["tabel"]
    rows = LakeReader(programme_lake)._query(f"SELECT * FROM {TABLE}")
    # The programmes are in one kelurahan: the city and its kecamatan have estimates, for the one period
    # whose cohorts have an "after" (2025-Q3 recipients, measured in 2025-Q4); other kecamatan have none.
    assert set(zip(rows["kode_wilayah"], rows["periode"])) == {(CITY, "2025-Q4"), (KECAMATAN, "2025-Q4")}
    assert {"BSPS", "SOS"} <= set(rows["kode_program"])
    assert manifest["tabel"][TABLE]["baris"] == len(rows)


@pytest.mark.parametrize("area", [CITY, KECAMATAN])
def test_precomputed_and_on_demand_give_the_same_evaluation(programme_lake, monkeypatch, area):
    scope = Scope.whole_city() if area == CITY else Scope(area)
    reader = LakeReader(programme_lake)
    calls = _count_estimates(monkeypatch)
    for period in reader.periods():
        calls.clear()
        stored = programmes.evaluate(reader, scope, period, area=area)
        assert (calls == []) == (period == "2025-Q4"), (period, calls)  # earlier periods have no cohort yet
        with monkeypatch.context() as m:
            _on_demand(reader, m)
            fresh = programmes.evaluate(reader, scope, period, area=area)
        _assert_same(stored, fresh)
    house = stored.estimates.set_index(["kode_program", "hasil"]).loc[("BSPS", "rtlh")]
    assert house["efek"] == pytest.approx(0.8) and house["status"] == "positif"  # the known effect


def test_the_rows_are_the_same_on_one_thread_or_several(programme_lake):
    reader = LakeReader(programme_lake)
    cells = {area: reader.evaluation_cells(Scope.whole_city(), area=area) for area in (CITY, KECAMATAN, KELURAHAN)}
    one = precompute.results(cells, reader.periods(), workers=1)
    assert len(one) and set(one["kode_wilayah"]) == {CITY, KECAMATAN, KELURAHAN}
    pd.testing.assert_frame_equal(one, precompute.results(cells, reader.periods(), workers=3), check_exact=True)


def test_a_kelurahan_computes_on_demand(programme_lake, monkeypatch):
    reader = LakeReader(programme_lake)
    calls = _count_estimates(monkeypatch)
    ev = programmes.evaluate(reader, Scope(KELURAHAN), "2025-Q4")
    assert calls and not ev.estimates.empty
    assert reader.evaluation_results(Scope(KELURAHAN), area=KELURAHAN, period="2025-Q4") is None


def test_a_camat_gets_no_other_area_s_estimates(programme_lake):
    reader = LakeReader(programme_lake)
    with pytest.raises(OutOfScope):
        reader.evaluation_results(Scope(KECAMATAN), area=CITY, period="2025-Q4")
    with pytest.raises(OutOfScope):
        reader.evaluation_results(Scope("61.71.02"), area=KECAMATAN, period="2025-Q4")


def test_the_table_is_the_same_bytes_when_the_same_inputs_are_published_again(programme_lake):
    first = lake.read_manifest(programme_lake)
    second = publish(settings=programme_lake)
    assert second["tabel"][TABLE]["sha256"] == first["tabel"][TABLE]["sha256"]
    assert second["sidik_isi"] == first["sidik_isi"]


def _without_table(settings) -> dict:
    """The current version as an earlier release published it: no estimates table."""
    manifest = lake.read_manifest(settings)
    (lake.version_path(settings, manifest["versi"]) / manifest["tabel"][TABLE]["berkas"]).unlink()
    older = {**manifest, "tabel": {k: v for k, v in manifest["tabel"].items() if k != TABLE}}
    lake.write_json_atomic(lake.version_path(settings, manifest["versi"]) / lake.MANIFEST, older)
    lake.switch_to(settings, older)
    return older


def test_a_version_without_the_table_still_evaluates_and_gives_the_same_result(programme_lake, monkeypatch):
    before = {
        area: programmes.evaluate(LakeReader(programme_lake), Scope.whole_city(), "2025-Q4", area=area)
        for area in (CITY, KECAMATAN)
    }
    _without_table(programme_lake)
    reader = LakeReader(programme_lake)
    calls = _count_estimates(monkeypatch)
    for area, stored in before.items():
        assert reader.evaluation_results(Scope.whole_city(), area=area, period="2025-Q4") is None
        _assert_same(stored, programmes.evaluate(reader, Scope.whole_city(), "2025-Q4", area=area))
    assert len(calls) == 2
    # Republishing the same uploads is a change (the version lacks a table this release writes), so an
    # analyst can bring the estimates into the lake without uploading anything.
    assert unchanged_version(programme_lake, uploads(programme_lake), active_city(programme_lake)) is None


def test_the_page_and_the_command_work_on_a_version_without_the_table(programme_lake):
    _without_table(programme_lake)
    create_users(programme_lake)
    at = app_as("pimpinan", page="views/evaluasi.py")
    assert not failed(at), failed(at)
    assert "Jawaban singkat untuk rapat" in texts(at)
    assert "versi aplikasi sebelumnya" not in texts(at)
    done = _cli(programme_lake, "--period", "2025-Q4", "--json")
    assert done.returncode == 0, done.stderr
    assert {p["kode_program"] for p in json.loads(done.stdout)["program"]} >= {"BSPS", "SOS"}


# ---- the page: derived once per scope, drawn per session


def _sessions(settings, users: list[str]) -> list:
    from tests.test_crowd import _page_as

    st.cache_data.clear()
    return [_page_as(user, "views/evaluasi.py") for user in users]


@pytest.fixture
def page_lake(programme_lake):
    create_users(programme_lake)
    accounts.create(
        programme_lake,
        username="camat-kota",
        nama="Camat Kota",
        peran="camat",
        wilayah=KECAMATAN,
        password=PASSWORD,
        city_code="61.71",
    )
    return programme_lake


def test_the_page_is_derived_once_per_scope_and_every_session_gets_the_same(page_lake, monkeypatch):
    built: list[str] = []
    real = evaluasi.page

    def counted(ev, area_name):
        built.append(ev.area)
        return real(ev, area_name)

    monkeypatch.setattr(evaluasi, "page", counted)
    sessions = _sessions(page_lake, ["pimpinan", "analis", "pimpinan", "camat-kota", "camat-kota"])
    for at in sessions:
        assert not failed(at), failed(at)
        assert "Jawaban singkat untuk rapat" in texts(at)
    assert built == [CITY, KECAMATAN]
    chair, analyst = (_shown(at) for at in sessions[:2])
    assert chair == analyst


def _shown(at) -> tuple:
    """The page's figures and tables as sent (the captions differ by role: who may open the case list)."""
    charts = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    frames = [t.value.to_dict("list") for t in [*at.dataframe, *at.table]]
    assert len(charts) == 5 and len(frames) == 7
    return charts, frames


def test_cached_figures_are_the_figures_built_for_the_session(page_lake):
    """What a session receives from the cached page equals what building every figure for it gives."""
    import plotly.io

    at = _sessions(page_lake, ["pimpinan"])[0]
    sent = [json.loads(c.proto.spec) for c in at.get("plotly_chart")]
    reader = LakeReader(page_lake)
    ev = programmes.evaluate(reader, Scope.whole_city(), "2025-Q4")
    name = reader.region_names()[CITY]
    reference = area_change(ev.area_trend, period=ev.period, base=ev.base_period) or 0.0
    since = period_label(ev.base_period)
    fresh = [
        evaluasi.programme_chart(ev),
        evaluasi.effects(ev),
        evaluasi.kelurahan_chart(ev, since=since, reference=reference, area_name=name),
        evaluasi.error_chart(ev, name),
        evaluasi.inclusion_chart(ev),
    ]
    assert sent == [json.loads(plotly.io.to_json(f, validate=False)) for f in fresh]
