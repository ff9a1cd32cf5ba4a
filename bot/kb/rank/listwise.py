"""Listwise (conditional) logit over a query's candidates with a "none of them" option."""

from __future__ import annotations

import numpy as np
from scipy.optimize import minimize


def candidate_probabilities(logits: np.ndarray) -> np.ndarray:
    """P(candidate i is right) = exp(z_i) / (1 + Σ exp(z_j)); the 1 is "none is right"."""
    if not len(logits):
        return np.zeros(0)
    top = max(float(logits.max()), 0.0)
    weights = np.exp(logits - top)
    return weights / (np.exp(-top) + weights.sum())


def fit_listwise(
    x: np.ndarray, offsets: np.ndarray, labels: np.ndarray, signs: np.ndarray, l2: float = 1.0
) -> tuple[np.ndarray, float]:
    """Weights and bias of the conditional logit, weight i held ≥ 0 / ≤ 0 / free by signs[i].

    Rows offsets[g]:offsets[g+1] are the candidates of query g; labels[g] is the row of its right
    candidate or -1 when none is right. Inputs should be standardized.
    """
    n_groups, d = len(offsets) - 1, x.shape[1]
    group = np.repeat(np.arange(n_groups), np.diff(offsets))
    target = np.zeros(len(x))
    target[labels[labels >= 0]] = 1.0

    def loss(params: np.ndarray) -> tuple[float, np.ndarray]:
        logits = x @ params[:d] + params[d]
        top = np.maximum(np.maximum.reduceat(logits, offsets[:-1]), 0.0)
        weights = np.exp(logits - top[group])
        total = np.exp(-top) + np.add.reduceat(weights, offsets[:-1])
        value = float((top + np.log(total)).sum() - logits @ target)
        residual = weights / total[group] - target
        gradient = np.r_[x.T @ residual + l2 * params[:d], residual.sum()] / n_groups
        return (value + 0.5 * l2 * float(params[:d] @ params[:d])) / n_groups, gradient

    bounds = [(0.0, None) if s > 0 else (None, 0.0) if s < 0 else (None, None) for s in signs]
    result = minimize(loss, np.zeros(d + 1), jac=True, method="L-BFGS-B", bounds=[*bounds, (None, None)])
    return result.x[:d], float(result.x[d])
