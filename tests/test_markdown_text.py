"""Text that came from a file or an admin's typing is shown as written: never a link, a remote
image, coloured text, an icon or a formula, wherever a page puts it into Markdown."""

from __future__ import annotations

import pytest

from pipelines.access import accounts
from pipelines.formatting import markdown_literal
from pipelines.lake.publish import publish
from tests.apptest import PASSWORD, app_as, create_users, failed, seen
from tests.builders import KELUARGA_HEADER, keluarga_row, write_csv
from tests.test_upload_view import upload

HOSTILE = [
    "[klik](http://contoh.invalid/x)",
    "![x](http://contoh.invalid/track.png)",
    ":red[merah] :material/warning:",
    "$$x^2$$",
    "**tebal** _miring_ `kode` <b>html</b>",
    "# judul\n- butir\n\n1. nomor",
]
# What Markdown (and Streamlit's additions) would act on, were a piece left unescaped.
ACTIVE = ["](", "![", ":red[", ":material/", "$$", "**", "<b>", "\n"]


def inert(markdown: str) -> bool:
    return not any(piece in markdown for piece in ACTIVE)


@pytest.mark.parametrize("text", HOSTILE)
def test_markdown_literal_leaves_nothing_active_and_reads_as_written(text):
    shown = markdown_literal(text)
    assert inert(shown), shown
    assert seen(shown) == " ".join(text.splitlines())


def test_an_uploaded_file_name_is_shown_as_text(small_city, tmp_path):
    publish(settings=small_city)
    create_users(small_city)
    name = "[klik](http://contoh.invalid) ![x](http://contoh.invalid/t.png) :red[x] $$y$$.csv"
    path = write_csv(tmp_path / "k.csv", KELUARGA_HEADER, [keluarga_row(1)])
    at = upload(app_as("analis", page="views/unggah.py"), name, path.read_bytes())
    assert not failed(at)
    [heading] = [h.value for h in at.subheader if "Hasil pemeriksaan" in h.value]
    assert inert(heading) and seen(heading) == f"Hasil pemeriksaan: {name}"


def test_an_account_name_is_shown_as_text_in_the_sidebar(settings):
    name = "Budi [klik](http://contoh.invalid) :red[x]"
    accounts.create(
        settings, username="ana", nama=name, peran="analis", wilayah=None, password=PASSWORD, city_code="61.71"
    )
    at = app_as("ana")
    [shown] = [m.value for m in at.sidebar.markdown if "Budi" in m.value]
    bold, role = shown.split("  \n")
    assert bold.startswith("**") and bold.endswith("**") and role.startswith("Analis")
    assert inert(bold[2:-2]) and seen(bold[2:-2]) == name
