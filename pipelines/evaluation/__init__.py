"""Evaluation: which programmes change families' lives, and which only deliver outputs.

Outputs, reach and targeting per programme (programmes), per area (area), the difference-in-differences
estimate with its bootstrap interval (stats), the plain-Indonesian words for each result (text), and
the report the command line prints (report), and the estimates publish writes into each version for
the city and every kecamatan (precompute). Reads published tables only.
"""
