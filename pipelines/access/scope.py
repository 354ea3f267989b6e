"""Whose eyes: the area a user may see and whether names may be shown. Every read-side query takes
a Scope, and every area asked for (a widget, a link) is checked against it."""

from __future__ import annotations

from dataclasses import dataclass, field

from pipelines.domain import CODE, Kode


class OutOfScope(PermissionError):
    """A request for an area outside the user's scope."""


@dataclass(frozen=True)
class Scope:
    """Whose eyes: the area a user may see (a Kemendagri code, None for the whole city) and
    whether names and ID numbers may be shown."""

    kode_wilayah: str | None
    names: bool = False
    # Who is asking, for the audit of every view of names (not part of what may be seen).
    user: str | None = field(default=None, compare=False)
    role: str | None = field(default=None, compare=False)
    full_ids: bool = field(default=False, compare=False)  # may see whole NIK / No KK

    @staticmethod
    def whole_city(names: bool = False) -> Scope:
        return Scope(None, names)

    @property
    def prefix(self) -> str:
        return self.kode_wilayah or ""

    def covers(self, kode: str) -> bool:
        """The area itself or one below it."""
        return self.kode_wilayah is None or Kode(self.kode_wilayah).covers(kode)

    def sees_total_of(self, kode: str) -> bool:
        """Covered areas, plus the totals of the areas above the scope (never siblings)."""
        return self.covers(kode) or (self.kode_wilayah is not None and Kode(kode).covers(self.kode_wilayah))

    def check(self, kode: str, *, totals: bool = False) -> str:
        if not isinstance(kode, str) or not CODE.match(kode):
            raise OutOfScope(f"Kode wilayah tidak sah: {kode!r}")
        allowed = self.sees_total_of(kode) if totals else self.covers(kode)
        if not allowed:
            raise OutOfScope(f"Wilayah {kode} di luar wilayah kewenangan Anda.")
        return kode
