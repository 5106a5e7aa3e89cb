"""The linear audit of privacy.linked_masks (privacy._Systeme), against a dense computation: a sum of cells is
given back exactly when it is a combination of the printed lines, and the combination it reports adds up
to that sum. The system works block by block on padded arrays (fast at 100 times the demo); these random
systems, small enough for a dense rank, check that it computes the same thing."""

import numpy as np
import pytest

from impact.privacy import _Systeme


def _dense(n: int, lines: list[np.ndarray]) -> np.ndarray:
    m = np.zeros((len(lines), n))
    for k, idx in enumerate(lines):
        m[k, idx] = 1.0
    return m


def _given_back(n: int, known: list[np.ndarray], idx: np.ndarray) -> bool:
    k = _dense(n, known)
    h = _dense(n, [idx])
    return np.linalg.matrix_rank(np.vstack([k, h])) == np.linalg.matrix_rank(k) if len(known) else False


def _random_system(rng):
    sizes = rng.integers(1, 8, rng.integers(1, 12))
    block_of = np.repeat(np.arange(len(sizes)), sizes)
    rng.shuffle(block_of)
    n = len(block_of)
    known = []
    for _ in range(rng.integers(0, 25)):
        kind = rng.random()
        if kind < 0.5:  # a structure's count: cells of one block
            cells = np.flatnonzero(block_of == rng.integers(len(sizes)))
            known.append(np.sort(rng.choice(cells, rng.integers(1, len(cells) + 1), replace=False)))
        elif kind < 0.95:  # a type's or a category's count: cells of any block
            known.append(np.sort(rng.choice(n, rng.integers(1, n + 1), replace=False)))
        else:
            known.append(np.zeros(0, dtype=int))
    sums = [np.sort(rng.choice(n, rng.integers(1, n + 1), replace=False)) for _ in range(rng.integers(1, 15))]
    sums += [k for k in known if len(k)][:3]
    return block_of, known, sums


@pytest.mark.parametrize("seed", range(4))
def test_a_sum_is_given_back_exactly_when_it_is_a_combination_of_the_printed_lines(seed):
    rng = np.random.default_rng(seed)
    checked = back = 0
    for _ in range(80):
        block_of, known, sums = _random_system(rng)
        system = _Systeme(block_of, known)
        got = system.given_back_many(sums)
        for idx, g in zip(sums, got, strict=True):
            assert g == _given_back(len(block_of), known, idx)
            checked += 1
            if not g:
                continue
            back += 1
            h = np.zeros(len(block_of))
            h[idx] = 1.0
            combination = system.combination(idx, everywhere=True)
            total = sum(c * _dense(len(block_of), [known[r]])[0] for r, c in combination.items())
            np.testing.assert_allclose(total, h, atol=1e-6)
    assert back > 20 and checked - back > 20  # both answers were met


def test_lines_across_blocks_inside_the_blocks_span_give_nothing_more():
    """Every line across the blocks is a sum of lines within them: (I − P) of it is rounding errors (1e-30)
    that a pseudo-inverse with a cutoff relative to its largest value alone inverted into 1e30, so that
    sums were said given back at random (here cells 0 + 1, and 1 + 2 + 5 + 6)."""
    block_of = np.repeat(np.arange(3), 4)
    known = [
        np.array([0, 1, 2]),
        np.array([1, 2, 3]),
        np.array([0, 3]),
        np.array([4, 5, 6]),
        np.array([5, 6, 7]),
    ]
    known += [np.array([8, 9, 10, 11]), np.array([9, 10])]  # within the blocks; 0 and 3 known alone
    known += [np.array([0, 1, 2, 4, 5, 6]), np.array([1, 2, 3, 8, 9, 10, 11]), np.array([4, 5, 6, 9, 10])]
    sums = [np.array([c]) for c in range(12)]
    sums += [np.array([0, 1]), np.array([8, 11]), np.array([4, 7]), np.array([1, 2, 5, 6])]
    got = _Systeme(block_of, known).given_back_many(sums)
    assert np.flatnonzero(got).tolist() == [0, 3, 13]  # cells 0 and 3, and 8 + 11
    assert got.tolist() == [_given_back(12, known, idx) for idx in sums]
