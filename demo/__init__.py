"""Synthetic demo data ("data contoh"): a whole city's exports, loaded like an analyst would."""

from demo.build import build_demo

__all__ = ["build_demo"]
