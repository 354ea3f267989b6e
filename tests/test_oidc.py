"""Signing in through the city's identity provider (OIDC via st.login), against a provider on loopback."""

from __future__ import annotations

import os

import pytest

from pipelines.access import accounts, audit
from pipelines.lake.publish import publish
from pipelines.settings import Settings
from tests.apptest import PASSWORD
from tests.browser import CHROMIUM, CHROMIUM_ARGS, Server, require_chromium, wait_idle
from tests.conftest import make_small_city

pytestmark = pytest.mark.browser
playwright = pytest.importorskip("playwright.sync_api")
pytest.importorskip("authlib")
require_chromium()


@pytest.fixture(scope="module")
def setup(tmp_path_factory):
    from tests.oidc_provider import Provider

    root = tmp_path_factory.mktemp("oidc")
    settings = Settings(root / "data", None, "500MB", 2)
    os.environ["TKPKD_HASH_KEY"] = "00" * 32
    make_small_city(settings, root)
    publish(settings=settings)
    accounts.create(
        settings,
        username="lurah-sso",
        nama="Lurah SSO",
        peran="lurah",
        wilayah="61.71.01.1006",
        password=PASSWORD,
        city_code="61.71",
        email="lurah@kota.example",
    )
    provider = Provider(email="lurah@kota.example")
    secrets = root / "secrets.toml"
    server = Server(
        settings.data_dir,
        extra_args=["--secrets.files", str(secrets)],
        before_start=lambda port: secrets.write_text(
            "[auth]\n"
            f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
            'cookie_secret = "uji-rahasia-cookie-yang-panjang-sekali"\n'
            f'client_id = "{provider.client_id}"\nclient_secret = "{provider.client_secret}"\n'
            f'server_metadata_url = "{provider.metadata_url}"\n'
        ),
    )
    yield server, settings, provider
    server.stop()
    provider.stop()


def test_sso_login_maps_the_identity_to_the_local_account(setup):
    server, settings, _ = setup
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 900})
        page.goto(server.url)
        page.get_by_label("Nama pengguna").wait_for()
        page.get_by_role("button", name="Masuk dengan akun instansi (SSO)").click()
        page.get_by_role("button", name="Keluar", exact=True).wait_for(timeout=30000)
        wait_idle(page)
        body = page.inner_text("body")
        assert "Ringkasan: Kelurahan Akcaya" in body and "Lurah SSO" in body
        browser.close()
    logins = [e for e in audit.entries(settings) if e["aksi"] == "masuk" and e["pengguna"] == "lurah-sso"]
    assert logins and logins[-1]["rincian"] == "oidc"
