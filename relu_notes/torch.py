r"""PyTorch twins of the activations, with hand-written backward passes.

Optional: this module needs PyTorch (the tested version is pinned in constraints.txt); the
rest of relu_notes works without it.

Each activation is a :class:`torch.autograd.Function` whose ``backward`` is written out by hand
with the same formulas as :mod:`relu_notes.functional` (branch condition ``x > 0``; the gradient
at x = 0 is 0 for ReLU and the slope for Leaky ReLU / PReLU), so autograd never differentiates
the forward formula itself.  The results agree with :mod:`torch.nn.functional` and the modules
with :class:`torch.nn.LeakyReLU` / :class:`torch.nn.PReLU` / :class:`torch.nn.RReLU` (RReLU in
eval mode; in training mode the slopes are random, drawn here with torch's generator but not
in the same way as torch's kernel, so they are not the same numbers).

Example
-------
>>> import torch
>>> from relu_notes.torch import PReLU
>>> layer = PReLU(num_parameters=3)
>>> y = layer(torch.randn(8, 3, requires_grad=True))
"""

try:
    import torch
except ImportError as exc:
    raise ImportError(
        "relu_notes.torch needs PyTorch, which is an optional dependency of relu-notes. "
        "Install it with `pip install -c constraints.txt torch` in a clone of the repository "
        "(the tested version; a CPU build is enough), or use the NumPy functions in "
        "relu_notes (relu, leaky_relu, prelu and their backward passes), which need no torch."
    ) from exc

import numpy as np

from relu_notes._validation import (
    check_prelu_weight_shape,
    check_rrelu_bounds,
    check_slope,
    check_training,
)

__all__ = [
    "LeakyReLU",
    "LeakyReLUFunction",
    "PReLU",
    "PReLUFunction",
    "RReLU",
    "RReLUFunction",
    "ReLUFunction",
    "leaky_relu",
    "prelu",
    "relu",
    "rrelu",
    "rrelu_noise",
]


class ReLUFunction(torch.autograd.Function):
    r"""$\mathrm{ReLU}(x) = \max(0, x)$ with $\partial L/\partial x = 0$ where $x \le 0$."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return torch.where(x < 0, torch.zeros_like(x), x)  # max(0, x); NaN and -0.0 kept

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return torch.where(x <= 0, torch.zeros_like(grad_output), grad_output)


class LeakyReLUFunction(torch.autograd.Function):
    r"""$x$ if $x > 0$ else $a x$; gradient $1$ if $x > 0$ else $a$ (so $a$ at $x = 0$)."""

    @staticmethod
    def forward(ctx, x, negative_slope):
        ctx.save_for_backward(x)
        ctx.negative_slope = negative_slope
        return torch.where(x > 0, x, x * negative_slope)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return torch.where(x > 0, grad_output, grad_output * ctx.negative_slope), None


class PReLUFunction(torch.autograd.Function):
    r"""$x$ if $x > 0$ else $a_c x$, with the weight $a$ broadcast over axis 1.

    Backward: $\partial L/\partial x = g$ if $x > 0$ else $a_c g$, and $\partial L/\partial a_c$
    is the sum of $g\,x$ over the elements of channel $c$ with $x \le 0$.
    """

    @staticmethod
    def forward(ctx, x, weight):
        ctx.save_for_backward(x, weight)
        return torch.where(x > 0, x, _broadcast(weight, x.dim()) * x)

    @staticmethod
    def backward(ctx, grad_output):
        x, weight = ctx.saved_tensors
        positive = x > 0
        grad_input = grad_weight = None
        if ctx.needs_input_grad[0]:
            grad_input = torch.where(
                positive, grad_output, _broadcast(weight, x.dim()) * grad_output
            )
        if ctx.needs_input_grad[1]:
            contribution = torch.where(positive, torch.zeros_like(x), x * grad_output)
            if weight.numel() == 1:
                grad_weight = contribution.sum()
            else:
                grad_weight = contribution.sum(dim=[d for d in range(x.dim()) if d != 1])
            grad_weight = grad_weight.reshape(weight.shape)
        return grad_input, grad_weight


class RReLUFunction(torch.autograd.Function):
    r"""RReLU with its slopes given (training mode): $x$ if $x > 0$ else $r x$, $r$ = ``noise``.

    Backward: $\partial L/\partial x = r\,g$, as torch's ``rrelu_with_noise_backward``
    (``noise`` holds 1 where $x > 0$).  ``noise`` is a constant: it gets no gradient.
    """

    @staticmethod
    def forward(ctx, x, noise):
        ctx.save_for_backward(noise)
        return torch.where(x > 0, x, noise * x)

    @staticmethod
    def backward(ctx, grad_output):
        (noise,) = ctx.saved_tensors
        return noise * grad_output, None


def _broadcast(weight, ndim):
    if weight.numel() == 1:
        return weight.reshape(())
    return weight.reshape((1, -1) + (1,) * (ndim - 2))


def relu(x):
    r"""$\max(0, x)$ through :class:`ReLUFunction`."""
    return ReLUFunction.apply(x)


def leaky_relu(x, negative_slope=0.01):
    r"""$x$ if $x > 0$ else ``negative_slope`` $\cdot x$ through :class:`LeakyReLUFunction`."""
    slope = check_slope(negative_slope, np.float64 if x.dtype == torch.float64 else np.float32)
    return LeakyReLUFunction.apply(x, slope)


def prelu(x, weight):
    r"""$x$ if $x > 0$ else $a_c x$ through :class:`PReLUFunction` (shapes as torch's prelu)."""
    check_prelu_weight_shape(tuple(x.shape), tuple(weight.shape))
    if weight.dtype != x.dtype:
        raise TypeError(
            f"weight has dtype {weight.dtype} but x has {x.dtype} (torch does not promote "
            "here); pass weight.to(x.dtype)"
        )
    return PReLUFunction.apply(x, weight)


def rrelu_noise(x, lower=1.0 / 8, upper=1.0 / 3, generator=None):
    r"""RReLU's training-mode slopes for ``x``: uniform in [lower, upper] where $x \le 0$, else 1.

    Drawn in float64 with ``generator`` (torch's default generator when None, so
    ``torch.manual_seed`` makes them reproducible) between the bounds rounded to float32
    (unless x is float64), then rounded to x's dtype, as torch's kernel does; NaN gets 1, as in
    torch.  The numbers are not torch's own draws (its kernel uses the generator differently).
    """
    drawn = x <= 0
    if x.dtype != torch.float64:
        lower, upper = float(np.float32(lower)), float(np.float32(upper))
    slopes = torch.empty(int(drawn.sum()), dtype=torch.float64, device=x.device)
    slopes.uniform_(lower, upper, generator=generator)
    noise = torch.ones_like(x)
    noise[drawn] = slopes.to(x.dtype)
    return noise


def rrelu(x, lower=1.0 / 8, upper=1.0 / 3, training=False, generator=None):
    r"""Randomized leaky ReLU, like :func:`torch.nn.functional.rrelu` (without ``inplace``).

    ``training=False``: :func:`leaky_relu` with slope ``(lower + upper) / 2`` (torch's bits).
    ``training=True``: :class:`RReLUFunction` with slopes from :func:`rrelu_noise`; autograd
    keeps them for the backward pass, as torch does.
    """
    dtype = np.float64 if x.dtype == torch.float64 else np.float32
    lower, upper = check_rrelu_bounds(lower, upper, dtype)
    if not check_training(training):
        return LeakyReLUFunction.apply(x, (lower + upper) / 2)
    return RReLUFunction.apply(x, rrelu_noise(x.detach(), lower, upper, generator))


class LeakyReLU(torch.nn.Module):
    """Leaky ReLU layer, like :class:`torch.nn.LeakyReLU` (without ``inplace``)."""

    def __init__(self, negative_slope=0.01):
        super().__init__()
        self.negative_slope = check_slope(negative_slope, np.float64)

    def forward(self, x):
        return leaky_relu(x, self.negative_slope)

    def extra_repr(self):
        return f"negative_slope={self.negative_slope}"


class PReLU(torch.nn.Module):
    """PReLU layer with ``num_parameters`` learnable slopes, like :class:`torch.nn.PReLU`.

    ``num_parameters`` is 1 (one slope shared by all channels) or the number of channels
    (``x.shape[1]``); every slope starts at ``init``.
    """

    def __init__(self, num_parameters=1, init=0.25, device=None, dtype=None):
        super().__init__()
        if isinstance(num_parameters, bool) or not isinstance(num_parameters, int):
            raise TypeError(f"num_parameters must be an int, got {type(num_parameters).__name__}")
        if num_parameters < 1:
            raise ValueError(f"num_parameters must be at least 1, got {num_parameters}")
        self.num_parameters = num_parameters
        self.init = check_slope(init, np.float64, name="init")
        self.weight = torch.nn.Parameter(
            torch.full((num_parameters,), self.init, device=device, dtype=dtype)
        )

    def forward(self, x):
        return prelu(x, self.weight)

    def extra_repr(self):
        return f"num_parameters={self.num_parameters}"


class RReLU(torch.nn.Module):
    """Randomized leaky ReLU layer, like :class:`torch.nn.RReLU` (without ``inplace``).

    After ``.train()`` (the default for a new module) each call draws new slopes from
    U(lower, upper) with torch's default generator; after ``.eval()`` the slope is
    ``(lower + upper) / 2``.
    """

    def __init__(self, lower=1.0 / 8, upper=1.0 / 3):
        super().__init__()
        self.lower, self.upper = check_rrelu_bounds(lower, upper, np.float64)

    def forward(self, x):
        return rrelu(x, self.lower, self.upper, self.training)

    def extra_repr(self):
        return f"lower={self.lower}, upper={self.upper}"
