r"""ReLU, Leaky ReLU, PReLU and RReLU in NumPy, with hand-written backward passes.

Names and arguments follow :mod:`torch.nn.functional`, and the numbers are those of PyTorch's
CPU kernels, edge cases included.  What was confirmed in the PyTorch source (and is checked
against torch 2.13 by the tests):

* ``relu(x) = clamp_min(x, 0)`` (aten/src/ATen/native/Activation.cpp, ``relu``): NaN stays NaN,
  ``relu(-0.0) = -0.0``, ``relu(-inf) = 0``.
* relu's gradient is ``threshold_backward(grad, result, 0)``, which selects
  ``x <= 0 ? 0 : grad`` (cpu/Activation.cpp, ``threshold_kernel``): the gradient at x = 0 is 0,
  and at x = NaN the gradient passes through unchanged.
* ``leaky_relu``: ``x > 0 ? x : x * a``, vectorised as ``x * blendv(a, 1, x > 0)``; its backward
  is ``x > 0 ? grad : grad * a`` (cpu/Activation.cpp, ``leaky_relu_kernel`` and
  ``leaky_relu_backward_kernel``).  So the gradient at x = 0 and at x = NaN is ``a * grad``, and
  since it multiplies, ``leaky_relu(-inf, 0) = -inf * 0 = NaN``.
* ``prelu``: ``x > 0 ? x : w * x`` with ``w`` broadcast over axis 1; backward
  ``grad_input = x > 0 ? grad : w * grad`` and ``grad_weight = x > 0 ? 0 : x * grad`` summed to
  the weight's shape (cpu/Activation.cpp ``prelu_kernel``/``prelu_backward_kernel``; shape checks
  in native/Activation.cpp ``prelu``).
* ``rrelu`` (native/Activation.cpp, ``rrelu_with_noise_out_cpu``; backward in
  ``rrelu_with_noise_backward``, also torch/_decomp/decompositions.py): both check
  ``lower <= upper``.  In eval mode it *is* ``leaky_relu(x, (lower + upper) / 2)`` forward and
  backward, the mean computed in double.  In training mode, for each element in order, if
  ``x <= 0`` a slope r is drawn in double between lower and upper, both first rounded to the
  compute type (float for float32 input), and rounded to x's dtype, ``y = x * r`` and
  ``noise = r``; otherwise ``y = x`` and ``noise = 1`` (so NaN gets slope 1 and consumes no
  draw).  The backward is ``grad * noise``, x unused.  torch has no float16 rrelu on CPU.
* float16 Leaky ReLU multiplies in float32 with the slope rounded to float32, then rounds to
  float16 (the reduced-precision path of ``leaky_relu_kernel``); the functions here do the same.

Conventions of this module:

* Input is any array-like of real numbers.  float16, float32 and float64 keep their dtype; int and
  bool are converted to float64 (PyTorch rejects them for leaky_relu; we never truncate).
* Inputs are never modified, unless you pass one of them as ``out=``.
* The result is always a new ``numpy.ndarray`` (0-d for a scalar) or ``out``.
* With two array arguments (``grad_output`` and ``x``) the result dtype follows NumPy promotion.

Arrays of fewer than ``SMALL`` elements are computed with the readable textbook formulas of
:mod:`relu_notes.reference`; larger ones with the blocked, branch-free kernels of
``relu_notes/_kernels.py``, which take about one to three times as long as ``x.copy()`` (see
``benchmarks/bench_activations.py``).  The tests check that both give the same bits.  Arrays of
at least ``_kernels.PARALLEL`` elements (about a million) are shared between
``_kernels.THREADS`` threads: by default the CPUs the process may use, at most 2; set the
environment variable ``RELU_NOTES_THREADS`` (a whole number >= 1) before the import, or use
``with _kernels.threads(n):`` for a while.  The results, PReLU's weight gradient included, have
the same bits whatever the thread count.
"""

import math

import numpy as np

from relu_notes import _kernels
from relu_notes._validation import (
    as_float_array,
    check_generator,
    check_noise,
    check_out,
    check_rrelu_bounds,
    check_same_shape,
    check_slope,
    check_training,
    compute_dtype,
    prelu_weight,
)
from relu_notes.reference import (
    leaky_relu_backward_reference,
    leaky_relu_reference,
    prelu_backward_reference,
    prelu_reference,
    relu_backward_reference,
    relu_reference,
    rrelu_with_noise_backward_reference,
    rrelu_with_noise_reference,
)

ACTIVATIONS = ("relu", "leaky_relu", "prelu")
"""The notes' three activations, named as their functions here and in torch.nn.functional."""

ACTIVATION_LABELS = {"relu": "ReLU", "leaky_relu": "Leaky ReLU", "prelu": "PReLU"}
"""How the prose and the figures name each of :data:`ACTIVATIONS`."""

SMALL = 8192
"""Below this many elements the textbook formulas are faster than the kernels' setup."""

__all__ = [
    "leaky_relu",
    "leaky_relu_backward",
    "prelu",
    "prelu_backward",
    "relu",
    "relu_backward",
    "rrelu",
    "rrelu_backward",
]


def relu(x, *, out=None):
    r"""Rectified linear unit, $\mathrm{ReLU}(x) = \max(0, x)$.

    $$\mathrm{ReLU}(x) = \begin{cases} x, & x > 0 \\ 0, & x \le 0 \end{cases}$$

    As in PyTorch (``clamp_min(x, 0)``), NaN stays NaN and ``relu(-0.0)`` is ``-0.0``.  The
    gradient at exactly $x = 0$ is taken to be 0 (see :func:`relu_backward`).

    Parameters
    ----------
    x : array_like
        Real numbers; float16/32/64 keep their dtype, int and bool become float64.
    out : numpy.ndarray, optional
        Array of x's shape and (float) dtype that receives the result; may be ``x`` itself.

    Returns
    -------
    numpy.ndarray
        ``max(0, x)`` element-wise.
    """
    x = as_float_array(x, "x")
    return _apply([x], out, _kernels.relu_forward, _alone(relu_reference))[0]


def leaky_relu(x, negative_slope=0.01, *, out=None):
    r"""Leaky ReLU, $x$ for $x > 0$ and $a x$ otherwise ($a$ = ``negative_slope``).

    $$\mathrm{LeakyReLU}(x) = \begin{cases} x, & x > 0 \\ a\,x, & x \le 0 \end{cases}$$

    At exactly $x = 0$ the negative branch is taken (``0 * a = 0``), so the gradient there is
    $a$ (see :func:`leaky_relu_backward`).  Any finite slope works: 0 (ReLU, except that
    ``-inf * 0`` is NaN and negative inputs give -0.0, as in PyTorch), between 0 and 1, above 1,
    or negative.

    Parameters
    ----------
    x : array_like
        Real numbers; float16/32/64 keep their dtype, int and bool become float64.
    negative_slope : float, default 0.01
        The slope $a$ for $x \le 0$; must be finite.
    out : numpy.ndarray, optional
        Array of x's shape and (float) dtype that receives the result; may be ``x`` itself.

    Returns
    -------
    numpy.ndarray
        Leaky ReLU of ``x`` element-wise.
    """
    x = as_float_array(x, "x")
    weights = np.asarray([check_slope(negative_slope, x.dtype)], compute_dtype(x.dtype))
    layout = _kernels.Layout(1, 1, x.size)
    return _apply(
        [x],
        out,
        lambda flat, target: _kernels.leaky_forward(flat, layout, weights, target),
        _alone(lambda work: leaky_relu_reference(work, weights[0])),
    )[0]


def prelu(x, weight, *, out=None):
    r"""Parametric ReLU: Leaky ReLU with a learnable slope per channel.

    $$\mathrm{PReLU}(x)_{n,c,\dots} = \begin{cases} x_{n,c,\dots}, & x_{n,c,\dots} > 0 \\
    a_c\,x_{n,c,\dots}, & x_{n,c,\dots} \le 0 \end{cases}$$

    At exactly $x = 0$ the negative branch is taken, so the gradient there is $a_c$ (see
    :func:`prelu_backward`).

    Parameters
    ----------
    x : array_like
        Real numbers of shape ``(N, C, ...)``, ``(N,)`` or ``()``.
    weight : array_like
        The slopes $a$: a scalar or a 1-D array with 1 element (shared by all channels) or
        ``C = x.shape[1]`` elements (x must then have at least 2 dimensions; a 1-D x has a
        single channel, as in PyTorch).  Converted to x's dtype and must be finite.
    out : numpy.ndarray, optional
        Array of x's shape and (float) dtype that receives the result; may be ``x`` itself.

    Returns
    -------
    numpy.ndarray
        PReLU of ``x`` element-wise.
    """
    x = as_float_array(x, "x")
    weights = prelu_weight(weight, x.shape, x.dtype).astype(compute_dtype(x.dtype)).reshape(-1)
    layout = _layout(x.shape, weights.size)
    return _apply(
        [x],
        out,
        lambda flat, target: _kernels.leaky_forward(flat, layout, weights, target),
        _alone(lambda work: prelu_reference(work, weights)),
    )[0]


def relu_backward(grad_output, x, *, out=None):
    r"""Gradient of ReLU with respect to its input.

    $$\frac{\partial L}{\partial x} = \begin{cases} \dfrac{\partial L}{\partial y}, & x > 0 \\
    0, & x \le 0 \end{cases}$$

    The gradient at exactly $x = 0$ is 0.  As in PyTorch (``threshold_backward``, which zeroes
    where ``x <= 0``), a NaN input passes ``grad_output`` through, and the zeros are exact even
    where ``grad_output`` is infinite or NaN.

    Parameters
    ----------
    grad_output : array_like
        $\partial L/\partial y$, same shape as ``x``.
    x : array_like
        The input of the forward pass.
    out : numpy.ndarray, optional
        Receives the result; may be ``grad_output`` or ``x``.

    Returns
    -------
    numpy.ndarray
        $\partial L/\partial x$.
    """
    grad_output, x = _grad_and_input(grad_output, x)
    return _apply([grad_output, x], out, _kernels.relu_backward, _alone(relu_backward_reference))[0]


def leaky_relu_backward(grad_output, x, negative_slope=0.01, *, out=None):
    r"""Gradient of Leaky ReLU with respect to its input.

    $$\frac{\partial L}{\partial x} = \begin{cases} \dfrac{\partial L}{\partial y}, & x > 0 \\
    a\,\dfrac{\partial L}{\partial y}, & x \le 0 \end{cases}$$

    The gradient at exactly $x = 0$ (and at NaN) is ``negative_slope * grad_output``.

    Parameters
    ----------
    grad_output : array_like
        $\partial L/\partial y$, same shape as ``x``.
    x : array_like
        The input of the forward pass.
    negative_slope : float, default 0.01
        The slope $a$ used in the forward pass; must be finite.
    out : numpy.ndarray, optional
        Receives the result; may be ``grad_output`` or ``x``.

    Returns
    -------
    numpy.ndarray
        $\partial L/\partial x$.
    """
    grad_output, x = _grad_and_input(grad_output, x)
    dtype = np.result_type(grad_output, x)
    weights = np.asarray([check_slope(negative_slope, dtype)], compute_dtype(dtype))
    layout = _kernels.Layout(1, 1, x.size)
    return _apply(
        [grad_output, x],
        out,
        lambda grad, flat, target: _kernels.leaky_backward(grad, flat, layout, weights, target),
        _alone(lambda grad, work: leaky_relu_backward_reference(grad, work, weights[0])),
    )[0]


def prelu_backward(grad_output, x, weight, *, out=None):
    r"""Gradients of PReLU with respect to its input and its weight.

    $$\frac{\partial L}{\partial x} = \begin{cases} g, & x > 0 \\ a_c\,g, & x \le 0
    \end{cases} \qquad \frac{\partial L}{\partial a_c} = \sum_{\substack{n,\dots \\ x \le 0}}
    g_{n,c,\dots}\,x_{n,c,\dots}$$

    with $g = \partial L/\partial y$.  At exactly $x = 0$ the input gradient is $a_c g$ and the
    term added to the weight gradient is $0 \cdot g$.  A NaN input counts as $x \le 0$.

    Parameters
    ----------
    grad_output : array_like
        $\partial L/\partial y$, same shape as ``x``.
    x : array_like
        The input of the forward pass.
    weight : array_like
        The slopes used in the forward pass (see :func:`prelu` for the allowed shapes).
    out : numpy.ndarray, optional
        Receives ``grad_input``; may be ``grad_output`` or ``x``.

    Returns
    -------
    grad_input : numpy.ndarray
        $\partial L/\partial x$, shape of ``x``.
    grad_weight : numpy.ndarray
        $\partial L/\partial a$, same shape as ``weight``.  Large inputs are summed by NumPy
        block by block in float32 (float64 for float64 input), then the block sums in float64;
        like any float sum, the last bits can differ from PyTorch's, whose order of additions
        differs.
    """
    grad_output, x = _grad_and_input(grad_output, x)
    dtype = np.result_type(grad_output, x)
    checked = prelu_weight(weight, x.shape, dtype)
    weights = checked.astype(compute_dtype(dtype)).reshape(-1)
    layout = _layout(x.shape, weights.size)
    grad_input, grad_weight = _apply(
        [grad_output, x],
        out,
        lambda grad, flat, target: _kernels.prelu_backward(grad, flat, layout, weights, target),
        lambda grad, work: prelu_backward_reference(grad, work, weights),
    )
    if grad_weight is None:  # empty x
        grad_weight = np.zeros(weights.size)
    return grad_input, grad_weight.astype(dtype).reshape(checked.shape)


def rrelu(x, lower=1.0 / 8, upper=1.0 / 3, training=False, *, generator=None, out=None):
    r"""Randomized leaky ReLU: Leaky ReLU whose slope is random while training.

    $$\mathrm{RReLU}(x) = \begin{cases} x, & x > 0 \\ r\,x, & x \le 0 \end{cases}
    \qquad r \sim \mathcal{U}(\text{lower}, \text{upper}) \text{ (training)}, \quad
    r = \frac{\text{lower} + \text{upper}}{2} \text{ (eval)}$$

    As :func:`torch.nn.functional.rrelu` (Xu et al., "Empirical Evaluation of Rectified
    Activations in Convolutional Network", 2015):

    * ``training=False`` (the default, as in torch): exactly
      ``leaky_relu(x, (lower + upper) / 2)``, so the same bits as torch, with x = 0 in the
      negative branch (``0 * r = 0``, ``-0.0`` stays ``-0.0``) and its fast kernels on large
      arrays.  float16 is computed as Leaky ReLU does it (float32 math, rounded once); torch
      has no float16 rrelu on CPU.
    * ``training=True``: every element with $x \le 0$ (x = 0 and -0.0 included, NaN not) gets
      its own slope $r$, drawn with ``generator.uniform(low, high)`` in float64 (in the order
      of ``x.ravel()``, only for those elements) and rounded to x's dtype, where ``low`` and
      ``high`` are lower and upper rounded to the compute dtype (float32 for float16 and
      float32 input), as torch's kernel does; every other element gets slope 1.  The slopes
      are returned as ``noise`` (torch's name, from ``rrelu_with_noise``), which
      :func:`rrelu_backward` needs: the gradient is ``noise * grad_output``, so at x = 0 it is
      the drawn slope.  The values are those of the readable formula
      :func:`relu_notes.reference.rrelu_with_noise_reference` at every size (no blocked
      kernel).  torch draws from its own generator, so its slopes differ from these.

    Parameters
    ----------
    x : array_like
        Real numbers; float16/32/64 keep their dtype, int and bool become float64.
    lower, upper : float, default 1/8 and 1/3
        Bounds of the slopes' uniform distribution; finite, fitting x's dtype, ``lower <= upper``.
    training : bool, default False
        Draw random slopes (True) or use their mean (False).
    generator : numpy.random.Generator
        Source of the random slopes, e.g. ``np.random.default_rng(0)``; required when
        ``training=True`` (ignored otherwise).  The same seed gives the same slopes.
    out : numpy.ndarray, optional
        Array of x's shape and (float) dtype that receives ``y``; may be ``x`` itself.

    Returns
    -------
    y : numpy.ndarray
        RReLU of ``x`` element-wise; in eval mode this is all that is returned.
    noise : numpy.ndarray
        Only when ``training=True``, as ``(y, noise)``: the slope of each element, x's shape and
        dtype, in ``[lower, upper]`` (rounded to x's dtype) where ``x <= 0`` and 1 elsewhere.
    """
    x = as_float_array(x, "x")
    lower, upper = check_rrelu_bounds(lower, upper, x.dtype)
    if not check_training(training):
        return leaky_relu(x, (lower + upper) / 2, out=out)
    check_generator(generator)
    if out is not None:
        check_out(out, x.shape, x.dtype)  # before the draw, so an error consumes no numbers
    drawn = x <= 0
    low, high = (float(compute_dtype(x.dtype).type(bound)) for bound in (lower, upper))
    noise = np.ones(x.shape, x.dtype)
    noise[drawn] = generator.uniform(low, high, np.count_nonzero(drawn))
    y = _apply([x, noise], out, None, _alone(rrelu_with_noise_reference))[0]
    return y, noise


def rrelu_backward(
    grad_output, x, lower=1.0 / 8, upper=1.0 / 3, training=False, *, noise=None, out=None
):
    r"""Gradient of RReLU with respect to its input.

    $$\frac{\partial L}{\partial x} = \begin{cases} \dfrac{\partial L}{\partial y},
    & x > 0 \\ r\,\dfrac{\partial L}{\partial y}, & x \le 0 \end{cases}$$

    As torch's ``rrelu_with_noise_backward``:

    * ``training=False``: ``leaky_relu_backward(grad_output, x, (lower + upper) / 2)``, so the
      gradient at x = 0 (and at NaN) is the mean slope times ``grad_output``.
    * ``training=True``: ``noise * grad_output``, with ``noise`` the slopes returned by
      ``rrelu(x, lower, upper, training=True, generator=...)`` (1 where x > 0 or NaN, the
      drawn slope elsewhere, x = 0 included).  x, lower and upper are checked but do not enter
      the result.  Readable formula at every size (no blocked kernel).

    Parameters
    ----------
    grad_output : array_like
        $\partial L/\partial y$, same shape as ``x``.
    x : array_like
        The input of the forward pass.
    lower, upper : float, default 1/8 and 1/3
        The bounds used in the forward pass.
    training : bool, default False
        The mode of the forward pass.
    noise : array_like
        Required when ``training=True`` and refused otherwise: the ``noise`` returned by the
        forward pass, x's shape.
    out : numpy.ndarray, optional
        Receives the result; may be ``grad_output``, ``x`` or ``noise``.

    Returns
    -------
    numpy.ndarray
        $\partial L/\partial x$; its dtype follows NumPy promotion of the array arguments.
    """
    grad_output, x = _grad_and_input(grad_output, x)
    lower, upper = check_rrelu_bounds(lower, upper, np.result_type(grad_output, x))
    training = check_training(training)
    noise = check_noise(noise, training, x.shape)
    if not training:
        return leaky_relu_backward(grad_output, x, (lower + upper) / 2, out=out)
    return _apply(
        [grad_output, noise, x],
        out,
        None,
        _alone(lambda grad, slopes, _: rrelu_with_noise_backward_reference(grad, slopes)),
    )[0]


def _grad_and_input(grad_output, x):
    grad_output = as_float_array(grad_output, "grad_output")
    x = as_float_array(x, "x")
    check_same_shape(grad_output, x)
    return grad_output, x


def _layout(shape, n_weights):
    """View x as ``outer x channels x inner`` for weights broadcast over axis 1."""
    if n_weights == 1:
        return _kernels.Layout(1, 1, math.prod(shape))
    return _kernels.Layout(shape[0], shape[1], math.prod(shape[2:]))


def _alone(textbook):
    """Wrap a textbook formula that returns one array to return ``(array, None)``."""
    return lambda *arrays: (textbook(*arrays), None)


def _apply(inputs, out, kernel, textbook):
    """Compute an activation of ``inputs`` in the compute dtype; return ``(result, extra)``.

    Small inputs, and all inputs when ``kernel`` is None, go to ``textbook(*inputs)``, which
    returns ``(array, extra)``.  Others go to ``kernel(*flat_inputs, flat_target)`` on 1-D
    contiguous arrays, which returns ``extra``.
    The result is ``out`` when given.  Inputs are never written to unless one of them is
    ``out``.  float16 is computed in float32 and rounded once at the end (overflow to inf there
    is silent, as in torch).
    """
    shape = inputs[-1].shape
    dtype = np.result_type(*inputs)
    work = compute_dtype(dtype)
    if out is not None:
        check_out(out, shape, dtype)
    if math.prod(shape) == 0:
        return (np.empty(shape, dtype) if out is None else out), None
    with np.errstate(invalid="ignore", over="ignore"):  # inf * 0 = NaN and overflow, as in torch
        if kernel is None or math.prod(shape) < SMALL:
            values, extra = textbook(*(a.astype(work, copy=False) for a in inputs))
            if out is None and values.dtype == dtype:
                return values, extra
            result = np.empty(shape, dtype) if out is None else out
            np.copyto(result, values, casting="same_kind")
            return result, extra
        result = np.empty(shape, dtype) if out is None else out
        flat = [np.ascontiguousarray(a, dtype=work).reshape(-1) for a in inputs]
        direct = _writable_in_place(result, work, flat)
        target = result.reshape(-1) if direct else np.empty(result.size, work)
        extra = kernel(*flat, target)
        if not direct:
            np.copyto(result, target.reshape(shape), casting="same_kind")
    return result, extra


def _writable_in_place(result, work, flat_inputs):
    """Whether the kernel may write straight into ``result``.

    It must be C-contiguous in the compute dtype, and either share no memory with the inputs or
    be exactly one of them (element ``i`` of the output only depends on element ``i`` of the
    inputs, and when the output is an input the kernels read each block before writing it).
    """
    if result.dtype != work or not result.flags.c_contiguous:
        return False
    start = result.__array_interface__["data"][0]
    return all(
        not np.may_share_memory(result, a) or a.__array_interface__["data"][0] == start
        for a in flat_inputs
    )
