"""The admin's account page: areas that fit the role, a table that is current, confirmed resets."""

from __future__ import annotations

import re

import pytest

from pipelines.access import accounts, audit
from tests.apptest import PASSWORD, app_as, create_users, failed, texts


@pytest.fixture
def admin_page(settings):
    create_users(settings)
    at = app_as("admin", page="views/pengguna.py")
    assert not failed(at)
    return at


def area_select(at):
    return [s for s in at.selectbox if s.key and s.key.startswith("pengguna_baru_wilayah")]


def test_area_list_follows_the_role_and_shows_names(admin_page):
    at = admin_page
    at.selectbox(key="pengguna_baru_peran").set_value("camat").run()
    [kecamatan] = area_select(at)
    assert len(kecamatan.options) == 6
    assert all(re.fullmatch(r"Kecamatan .+ \(61\.71\.\d\d\)", o) for o in kecamatan.options), kecamatan.options
    assert "Kecamatan Pontianak Utara (61.71.04)" in kecamatan.options
    at.selectbox(key="pengguna_baru_peran").set_value("lurah").run()
    [kelurahan] = area_select(at)
    assert len(kelurahan.options) == 29
    assert all(re.fullmatch(r"Kelurahan .+ \(61\.71\.\d\d\.\d{4}\)", o) for o in kelurahan.options)
    assert "Kelurahan Siantan Hilir (61.71.04.1003)" in kelurahan.options
    at.selectbox(key="pengguna_baru_peran").set_value("pimpinan").run()
    assert area_select(at) == [] and "melihat seluruh kota" in texts(at)


def test_new_account_is_in_the_table_right_after_it_is_made(admin_page, settings):
    at = admin_page
    at.selectbox(key="pengguna_baru_peran").set_value("lurah").run()
    at.text_input(key="pengguna_baru_nama").input("lurah-siantan")
    at.text_input(key="pengguna_baru_lengkap").input("Lurah Siantan Hilir")
    area_select(at)[0].set_value("61.71.04.1003")
    [make] = [b for b in at.button if b.label == "Buat akun"]
    make.click().run()
    assert not failed(at) and not at.error
    assert accounts.load(settings)["lurah-siantan"].wilayah == "61.71.04.1003"
    shown = at.dataframe[0].value.set_index("Nama pengguna")
    assert shown.loc["lurah-siantan", "Wilayah"] == "Kelurahan Siantan Hilir (61.71.04.1003)"
    assert any(o.startswith("lurah-siantan ") for o in at.selectbox(key="pengguna_pilih").options)


def test_password_reset_preselects_no_account_and_needs_a_confirmation(admin_page, settings):
    at = admin_page
    pick = at.selectbox(key="pengguna_pilih")
    assert pick.value is None, "the admin's own account is never the default"
    assert not [b for b in at.button if b.label == "Atur ulang kata sandi"]
    pick.set_value("camat").run()
    [reset] = [b for b in at.button if b.label == "Atur ulang kata sandi"]
    assert reset.disabled, "no reset on one click"
    before = accounts.load(settings)["camat"].password_hash
    [sure] = [c for c in at.checkbox if c.label == "Ya, atur ulang kata sandi camat"]
    sure.check().run()
    [reset] = [b for b in at.button if b.label == "Atur ulang kata sandi"]
    reset.click().run()
    assert not failed(at) and "Kata sandi baru untuk camat" in texts(at)
    assert accounts.load(settings)["camat"].password_hash != before
    assert accounts.authenticate(settings, "admin", PASSWORD).username == "admin", "the admin's own is untouched"
    assert "atur ulang sandi camat" in [e["rincian"] for e in audit.entries(settings)]
    at.run()
    [again] = [c for c in at.checkbox if c.label == "Ya, atur ulang kata sandi camat"]
    assert not again.value, "the next reset asks again"
