"""Work on a large column once per distinct value: real exports repeat each name and link many times."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd


def per_distinct(column: pd.Series, function: Callable[[Any], object]) -> np.ndarray:
    """Return `function` of each row's value as an object array, calling it once per distinct value."""
    codes, distinct = pd.factorize(column.to_numpy(dtype=object), use_na_sentinel=False)
    done = np.empty(len(distinct), dtype=object)
    done[:] = [function(value) for value in distinct]
    rows: np.ndarray = done[codes]
    return rows


def factorize_text(column: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Return a column's distinct values (object dtype, a missing value as "", last) and each row's position."""
    codes, values = pd.factorize(column.to_numpy(dtype=object), use_na_sentinel=True)
    codes = np.where(codes < 0, len(values), codes)  # a missing value reads as ""
    return pd.Series([*values, ""], dtype=object), codes


def expand(distinct: pd.Series, codes: np.ndarray, dtype: type | None = object) -> pd.Series:
    """Return the column whose row `i` is `distinct[codes[i]]` (rows share the distinct strings)."""
    return pd.Series(distinct.to_numpy(dtype=object)[codes], dtype=dtype)
