"""Impact at area level and who the programmes missed: per kelurahan, per programme over time,
and partner contributions beside government programmes.

Impact is the change between the baseline (a year before) and the chosen period in the share of
families in desil 1, fakir miskin and each unmet basic need (the `indikator` table), next to the
outputs delivered in the kelurahan over the same year (the `evaluasi_keluaran` table).
"""

from __future__ import annotations

import pandas as pd

from pipelines.domain import OUTPUT_HIGH, PROGRAMME_NEEDS
from pipelines.evaluation.text import NOT_JUDGED, QUADRANTS

# Indicator column -> what it is a share of, as it reads after "porsi" ("perubahan porsi desil 1");
# each is a share of the families listed in the kelurahan.
IMPACT = {"keluarga_desil_1": "desil 1", "keluarga_fakir_miskin": "fakir miskin"} | {
    n.indicator: n.share_label for n in PROGRAMME_NEEDS
}
PARTNER_LABELS = {
    "dunia_usaha": "Dunia usaha (CSR/TJSL)",
    "masyarakat": "Masyarakat (Baznas, komunitas)",
    "akademisi": "Akademisi",
    "media": "Media",
    "pemerintah": "Pemerintah (non-program)",
}


def _shares(rows: pd.DataFrame) -> pd.DataFrame:
    rows = rows.set_index("kode_wilayah")
    families = rows["jumlah_keluarga"].where(rows["jumlah_keluarga"] > 0)
    return pd.DataFrame({key: rows[key] / families for key in IMPACT}).assign(
        nama_wilayah=rows["nama_wilayah"],
        jumlah_keluarga=rows["jumlah_keluarga"],
        galat_eksklusi=rows["galat_eksklusi"],
        keluarga_layak_bantuan=rows["keluarga_layak_bantuan"],
        galat_inklusi=rows["galat_inklusi"],
        keluarga_penerima_program=rows["keluarga_penerima_program"],
    )


def achievement(rows: pd.DataFrame, by: list[str]) -> pd.DataFrame:
    """Output achievement (capaian keluaran), the page's one definition: realisation over target, both
    added up over the given rows (the periods of the page's year). Rows without a target are left out
    of both sums, so a quarter whose target was never reported cannot push achievement up."""
    planned = rows[rows["target"] > 0]
    sums = planned.groupby(by)[["target", "realisasi"]].sum(min_count=1)
    return sums.assign(capaian=sums["realisasi"] / sums["target"])


def _outputs_by_kelurahan(outputs: pd.DataFrame, window: list[str]) -> pd.DataFrame:
    """Budget-weighted output achievement (each programme's achievement weighted by its budget,
    because units differ: houses, connections, people), spending and new families reached."""
    rows = outputs[outputs["periode"].isin(window) & outputs["kode_kelurahan"].notna()]
    per_programme = rows.groupby(["kode_kelurahan", "kode_program"])[
        ["anggaran", "realisasi_anggaran", "keluarga_baru"]
    ].sum(min_count=1)
    achieved = achievement(rows, ["kode_kelurahan", "kode_program"])["capaian"].reindex(per_programme.index)
    weight = per_programme["anggaran"].where(achieved.notna() & (per_programme["anggaran"] > 0))
    weighted = (achieved * weight).groupby(level=0).sum(min_count=1) / weight.groupby(level=0).sum(min_count=1)
    totals = per_programme.groupby(level=0)[["realisasi_anggaran", "keluarga_baru"]].sum(min_count=1)
    return totals.assign(capaian_keluaran=weighted)


def kelurahan_impact(
    kelurahan: pd.DataFrame,
    area_trend: pd.DataFrame,
    outputs: pd.DataFrame,
    *,
    period: str,
    base: str | None,
    window: list[str],
) -> pd.DataFrame:
    """One row per kelurahan: shares now and at baseline, change in points, outputs of the year,
    targeting errors now, and its quadrant against the area's own change in desil 1."""
    now_rows = kelurahan[kelurahan["periode"] == period]
    if now_rows.empty:
        return pd.DataFrame()
    now = _shares(now_rows)
    before = _shares(kelurahan[kelurahan["periode"] == base]) if base else now.iloc[0:0]
    table = now[["nama_wilayah", "jumlah_keluarga"]].copy()
    for key in IMPACT:
        table[key] = now[key]
        table[f"{key}_awal"] = before[key].reindex(now.index)
        table[f"{key}_perubahan"] = (table[key] - table[f"{key}_awal"]) * 100
    table["galat_eksklusi"] = now["galat_eksklusi"]
    table["porsi_galat_eksklusi"] = now["galat_eksklusi"] / now["keluarga_layak_bantuan"].where(
        now["keluarga_layak_bantuan"] > 0
    )
    table["galat_inklusi"] = now["galat_inklusi"]
    table["porsi_galat_inklusi"] = now["galat_inklusi"] / now["keluarga_penerima_program"].where(
        now["keluarga_penerima_program"] > 0
    )
    table = table.join(_outputs_by_kelurahan(outputs, window))
    reference = area_change(area_trend, period=period, base=base)
    table["kuadran"] = [
        _quadrant(a, c, reference) for a, c in zip(table["capaian_keluaran"], table["keluarga_desil_1_perubahan"])
    ]
    return table.reset_index().rename(columns={"index": "kode_wilayah"})


def area_change(area_trend: pd.DataFrame, *, period: str, base: str | None, key: str = "keluarga_desil_1"):
    """Change in the area's own share since the baseline, in percentage points (negative: it fell),
    the same quantity and sign as each kelurahan's `*_perubahan`: the line a kelurahan is held to."""
    if not base:
        return None
    rows = area_trend.set_index("periode")
    if period not in rows.index or base not in rows.index:
        return None
    share = rows[key] / rows["jumlah_keluarga"].where(rows["jumlah_keluarga"] > 0)
    return float((share[period] - share[base]) * 100)


def _quadrant(reached, change, reference) -> str:
    """Impact is high where the desil-1 share fell at least as much as in the whole area."""
    if pd.isna(reached) or pd.isna(change) or reference is None:
        return NOT_JUDGED
    return QUADRANTS[reached >= OUTPUT_HIGH, change <= reference]


def programme_targeting_trend(outputs: pd.DataFrame) -> pd.DataFrame:
    """Per programme and period: recipients, inclusion error, eligible families not reached."""
    if outputs.empty:
        return pd.DataFrame()
    rows = outputs.groupby(["kode_program", "periode"])[
        ["keluarga_terjangkau", "penerima_galat_inklusi", "sasaran_layak", "sasaran_terjangkau"]
    ].sum()
    reached = rows["keluarga_terjangkau"].where(rows["keluarga_terjangkau"] > 0)
    missed = (rows["sasaran_layak"] - rows["sasaran_terjangkau"]).clip(lower=0)
    return rows.assign(
        porsi_galat_inklusi=rows["penerima_galat_inklusi"] / reached,
        belum_terjangkau=missed,
        porsi_galat_eksklusi=missed / rows["sasaran_layak"].where(rows["sasaran_layak"] > 0),
    ).reset_index()


def partners(contributions: pd.DataFrame, outputs: pd.DataFrame, *, window: list[str]) -> pd.DataFrame:
    """Government programmes and partner contributions side by side over the window: who, how many
    activities, participants or families reached, rupiah, beneficiaries."""
    gov = (
        outputs[outputs["periode"].isin(window)]
        .groupby("kode_program")
        .agg(
            pelaku=("nama_program", "last"),
            kegiatan=("jumlah_kegiatan", "sum"),
            peserta=("keluarga_baru", "sum"),
            rupiah=("realisasi_anggaran", "sum"),
        )
    )
    gov = gov.assign(jenis="Program pemerintah", penerima_manfaat=gov["peserta"]).reset_index(drop=True)
    rows = contributions[contributions["periode"].isin(window)]
    partner = (
        rows.groupby(["kategori", "organisasi"], dropna=False)
        .agg(
            kegiatan=("kegiatan", "count"),
            peserta=("jumlah_peserta", "sum"),
            rupiah=("nilai_donasi", "sum"),
            penerima_manfaat=("jumlah_penerima_manfaat", "sum"),
        )
        .reset_index()
    )
    partner = partner.assign(
        jenis=partner["kategori"].map(PARTNER_LABELS).fillna("Mitra lain"), pelaku=partner["organisasi"]
    ).drop(columns=["kategori", "organisasi"])
    columns = ["jenis", "pelaku", "kegiatan", "peserta", "rupiah", "penerima_manfaat"]
    return pd.concat([gov[columns], partner[columns]], ignore_index=True)
