"""Two evaluations of the same ledgers compared whole: one process against a Dask cluster or a forked second one."""

import pandas as pd


def assert_same(one, other) -> None:
    for name in ("findings", "progress", "judged"):
        pd.testing.assert_frame_equal(getattr(one, name), getattr(other, name))
    assert (one.manual, one.missing, one.guessed_years) == (other.manual, other.missing, other.guessed_years)
