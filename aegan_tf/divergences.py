"""Divergences between densities on a grid, and the GAN value they define (chapter 2).

Goodfellow et al. (2014), section 4.1: against the optimal discriminator
``D* = p_data / (p_data + p_g)`` the value of the game is
``V(G, D*) = -log 4 + 2 JSD(p_data || p_g)``. These NumPy functions compute each side by
numerical integration of densities tabulated on an evenly spaced grid, and estimate ``V``
from a discriminator's logits on samples, with its standard error.
"""

from __future__ import annotations

import numpy as np


def gaussian_pdf(x: np.ndarray, mean: float, std: float) -> np.ndarray:
    """The density of ``N(mean, std**2)`` at each point of ``x`` (any shape)."""
    if not std > 0:
        raise ValueError(f"std must be positive, got {std}.")
    x = np.asarray(x, dtype="float64")
    return np.exp(-0.5 * ((x - mean) / std) ** 2) / (std * np.sqrt(2 * np.pi))


def _check_densities(p, q, dx: float) -> tuple[np.ndarray, np.ndarray]:
    p, q = np.asarray(p, dtype="float64"), np.asarray(q, dtype="float64")
    if p.ndim != 1 or p.shape != q.shape:
        raise ValueError(
            "Expected two densities tabulated on the same 1-D grid, shapes (n,) and (n,); "
            f"got {p.shape} and {q.shape}."
        )
    for name, density in (("p", p), ("q", q)):
        if not np.all(np.isfinite(density)) or density.min() < 0:
            raise ValueError(f"{name} must be finite and non-negative everywhere on the grid.")
    if not dx > 0:
        raise ValueError(f"dx (the grid spacing) must be positive, got {dx}.")
    return p, q


def _expected_log_ratio(p: np.ndarray, q: np.ndarray, dx: float) -> float:
    """``sum p log(p / q) dx``; ``0 log 0 = 0``, and ``inf`` where ``q = 0 < p``."""
    where = p > 0
    if np.any(q[where] == 0):
        return float("inf")
    return float(np.sum(p[where] * np.log(p[where] / q[where])) * dx)


def kl_divergence(p: np.ndarray, q: np.ndarray, dx: float) -> float:
    """``KL(p || q) = E_p[log p/q]`` for densities ``(n,)`` on a grid of spacing ``dx``.

    Infinite when ``p`` puts mass where ``q`` has none.
    """
    p, q = _check_densities(p, q, dx)
    return _expected_log_ratio(p, q, dx)


def jensen_shannon_divergence(p: np.ndarray, q: np.ndarray, dx: float) -> float:
    """``JSD(p || q) = KL(p || m) / 2 + KL(q || m) / 2`` with ``m = (p + q) / 2``.

    Symmetric, and between 0 (``p = q``) and ``log 2`` (no overlap).
    """
    p, q = _check_densities(p, q, dx)
    m = 0.5 * (p + q)
    return 0.5 * _expected_log_ratio(p, m, dx) + 0.5 * _expected_log_ratio(q, m, dx)


def value_at_optimum(p_data: np.ndarray, p_g: np.ndarray, dx: float) -> float:
    """``V(G, D*) = E_data[log D*] + E_g[log(1 - D*)]`` with ``D* = p_data / (p_data + p_g)``.

    Computed from the definition (not from the JSD identity), so the two can be compared.
    """
    p_data, p_g = _check_densities(p_data, p_g, dx)
    total = p_data + p_g
    return _expected_log_ratio(p_data, total, dx) + _expected_log_ratio(p_g, total, dx)


def game_value(p_data: np.ndarray, p_g: np.ndarray, logits: np.ndarray, dx: float) -> float:
    """``V(D, G) = E_data[log D] + E_g[log(1 - D)]`` for a given discriminator, integrated on
    the grid: ``logits`` ``(n,)`` are ``D``'s logits at the grid's points (``D = sigmoid``).

    At most :func:`value_at_optimum` for any ``D``: ``D*`` maximises the integrand at each point.
    """
    p_data, p_g = _check_densities(p_data, p_g, dx)
    logits = np.asarray(logits, dtype="float64")
    if logits.shape != p_data.shape:
        raise ValueError(
            f"logits must hold D's logit at each grid point, shape {p_data.shape}; "
            f"got {logits.shape}."
        )
    if not np.all(np.isfinite(logits)):
        raise ValueError("logits holds non-finite values.")
    log_d, log_1_minus_d = -np.logaddexp(0.0, -logits), -np.logaddexp(0.0, logits)
    return float(np.sum(p_data * log_d + p_g * log_1_minus_d) * dx)


def game_value_estimate(real_logits, fake_logits) -> tuple[float, float]:
    """The sample estimate of ``V(D, G)`` (``-L_D`` of the minimax loss) and its standard error.

    Args:
        real_logits: ``(n,)`` or ``(n, 1)``, the discriminator's logits on real samples.
        fake_logits: ``(m,)`` or ``(m, 1)``, its logits on generated samples.

    Returns:
        ``(mean log D(x) + mean log(1 - D(G(z))), standard error)``, the error from the
        spread of the per-example terms (the two samples independent).
    """
    terms = []
    for name, logits, sign in (
        ("real_logits", real_logits, -1.0),
        ("fake_logits", fake_logits, 1.0),
    ):
        logits = np.asarray(logits, dtype="float64")
        if logits.ndim == 2 and logits.shape[1] == 1:
            logits = logits[:, 0]
        if logits.ndim != 1 or len(logits) < 2:
            raise ValueError(
                f"{name} must have shape (n,) or (n, 1) with n >= 2, got {logits.shape}."
            )
        if not np.all(np.isfinite(logits)):
            raise ValueError(f"{name} holds non-finite values.")
        terms.append(-np.logaddexp(0.0, sign * logits))  # log sigmoid(l) or log(1 - sigmoid(l))
    log_d_real, log_1_minus_d_fake = terms
    value = log_d_real.mean() + log_1_minus_d_fake.mean()
    error = np.sqrt(
        log_d_real.var() / len(log_d_real) + log_1_minus_d_fake.var() / len(log_1_minus_d_fake)
    )
    return float(value), float(error)
