"""Work on a large column once per distinct value: real exports repeat each name and link many times."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from endorse_audit.export_records import Coded


def distinct_codes(column: pd.Series, coded: Coded | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Return each row's code and the distinct values (an object array; a missing value is one of them).

    The codes the reader made (`coded`, or a categorical column) are used as they are: nothing is
    factorised again.
    """
    if coded is not None:
        return coded.at(column.index), coded.values
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy().astype(np.intp)
        values = column.cat.categories.to_numpy(dtype=object)
        if (codes < 0).any():
            values = np.append(values, np.array([column.iloc[int(np.argmax(codes < 0))]], dtype=object))
            codes = np.where(codes < 0, len(values) - 1, codes)
        return codes, values
    codes, found = pd.factorize(column.to_numpy(dtype=object), use_na_sentinel=False)
    return codes, np.asarray(found, dtype=object)


def used_codes(column: pd.Series, coded: Coded | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Return what `pd.factorize` gives for a column of distinct strings (codes in order of first
    appearance, only the values some row has), from the reader's codes when there are some."""
    if coded is None:
        codes, found = pd.factorize(column.to_numpy(dtype=object))
        return codes, np.asarray(found, dtype=object)
    codes, used = pd.factorize(coded.at(column.index))
    return codes, coded.values[used]


def value_codes(column: pd.Series, coded: Coded | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Return each row's code and the distinct values, each value under one code only (for grouping)."""
    codes, values = distinct_codes(column, coded)
    merged, unique = pd.factorize(values)  # the few distinct values, not the rows
    return merged[codes], np.asarray(unique, dtype=object)


def per_distinct(column: pd.Series, function: Callable[[Any], object], coded: Coded | None = None) -> np.ndarray:
    """Return `function` of each row's value as an object array, calling it once per distinct value."""
    codes, distinct = distinct_codes(column, coded)
    done = np.empty(len(distinct), dtype=object)
    done[:] = [function(value) for value in distinct]
    rows: np.ndarray = done[codes]
    return rows


def factorize_text(column: pd.Series) -> tuple[pd.Series, np.ndarray]:
    """Return a column's distinct values (object dtype, a missing value as "", last) and each row's position."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        codes = column.cat.codes.to_numpy().astype(np.intp)
        values = column.cat.categories.to_numpy(dtype=object)
    else:
        codes, values = pd.factorize(column.to_numpy(dtype=object), use_na_sentinel=True)
    codes = np.where(codes < 0, len(values), codes)  # a missing value reads as ""
    return pd.Series([*values, ""], dtype=object), codes


def recoded(column: pd.Series, values: list[str]) -> pd.Series:
    """Return a categorical column with its distinct values replaced (they may now repeat: merged)."""
    codes = column.cat.codes.to_numpy()
    merged, distinct = pd.factorize(np.asarray(values, dtype=object))
    new_codes = np.where(codes < 0, -1, merged[np.maximum(codes, 0)])
    categories = pd.Index(np.asarray(distinct, dtype=object), dtype=object)
    return pd.Series(pd.Categorical.from_codes(new_codes, categories, validate=False), index=column.index)


class Factoriser:
    """Factorise one column chunk by chunk, as pd.factorize would factorise it whole: codes in order of
    first appearance, a missing value missing. Only each chunk's distinct values and codes are kept, so
    a million rows never exist as a million strings at once."""

    def __init__(self) -> None:
        self._codes: list[np.ndarray] = []  # each chunk's codes into its own distinct values (-1: missing)
        self._values: list[np.ndarray] = []  # each chunk's distinct values, in order of first appearance

    def add(self, chunk: np.ndarray) -> None:
        """Take the next rows of the column (an object array)."""
        codes, found = pd.factorize(chunk, use_na_sentinel=True)
        # Kept in the smallest integer that holds them (a byte for most columns), not eight bytes a row.
        self._codes.append(codes.astype(np.min_scalar_type(-len(found) - 1), copy=False))
        self._values.append(np.asarray(found, dtype=object))

    def categorical(self) -> pd.Categorical:
        """Return the whole column so far, as a categorical of its distinct values."""
        # The chunks' distinct values one after the other first appear in the order the rows do.
        every = np.concatenate(self._values) if self._values else np.empty(0, dtype=object)
        merged, distinct = pd.factorize(every)
        offsets = np.cumsum([0] + [len(values) for values in self._values])
        codes = [
            np.where(chunk < 0, -1, merged[offset + np.maximum(chunk, 0)]) if len(values) else chunk.astype(np.intp)
            for chunk, values, offset in zip(self._codes, self._values, offsets)
        ]
        categories = pd.Index(np.asarray(distinct, dtype=object), dtype=object)
        all_codes = np.concatenate(codes) if codes else np.empty(0, dtype=np.intp)
        return pd.Categorical.from_codes(all_codes, categories, validate=False)
