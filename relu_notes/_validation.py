"""Input checks shared by :mod:`relu_notes.functional` and :mod:`relu_notes.torch`.

Every error says what was received and what to pass instead.
"""

import math
import numbers

import numpy as np

FLOAT_DTYPES = (np.dtype(np.float16), np.dtype(np.float32), np.dtype(np.float64))


def as_float_array(value, name):
    """Return ``value`` as a float16/float32/float64 ndarray without copying float input.

    Integer and bool input is converted to float64 (exact for integers up to 2**53), so a
    result is never truncated to an integer dtype.
    """
    if isinstance(value, (str, bytes)):
        raise TypeError(f"{name} must be an array-like of real numbers, got a string {value!r}")
    try:
        array = np.asarray(value)
    except (TypeError, ValueError) as exc:
        raise TypeError(
            f"{name} must be an array-like of real numbers with a regular shape; "
            f"np.asarray failed with: {exc}"
        ) from exc
    kind = array.dtype.kind
    if kind == "f" and array.dtype in FLOAT_DTYPES:
        return array
    if kind in "biu":
        return array.astype(np.float64)
    if kind == "O" and all(_is_real_number(item) for item in array.flat):
        return array.astype(np.float64)
    raise TypeError(
        f"{name} must contain real numbers (float16, float32, float64, int or bool), "
        f"got dtype {array.dtype}; pass e.g. np.asarray({name}, dtype=np.float32)"
    )


def _is_real_number(item):
    return isinstance(item, numbers.Real)


def compute_dtype(dtype):
    """dtype the kernels compute in: float16 is computed in float32, as in PyTorch's CPU kernels."""
    return np.dtype(np.float32) if dtype == np.float16 else np.dtype(dtype)


def check_slope(slope, dtype, name="negative_slope"):
    """Return ``slope`` as a Python float after checking it is real, finite and fits ``dtype``."""
    if isinstance(slope, bool) or not isinstance(slope, numbers.Real):
        raise TypeError(f"{name} must be a real number such as 0.01, got {type(slope).__name__}")
    value = float(slope)
    if not math.isfinite(value):
        raise ValueError(f"{name} must be finite, got {value}; pass a number such as 0.01")
    limit = float(np.finfo(compute_dtype(dtype)).max)
    if abs(value) > limit:
        raise ValueError(
            f"{name}={value} does not fit in {compute_dtype(dtype)} (|{name}| <= {limit:.4g}); "
            "pass a smaller value or float64 input"
        )
    return value


def check_rrelu_bounds(lower, upper, dtype):
    """Return ``(lower, upper)`` as Python floats after torch.nn.functional.rrelu's checks.

    Each bound is real, finite and fits ``dtype`` (see :func:`check_slope`), and
    ``lower <= upper``.  Bounds so large that ``lower + upper`` or ``upper - lower`` overflow
    are refused too: the mean slope and the width of the uniform distribution must be finite.
    """
    lower = check_slope(lower, dtype, name="lower")
    upper = check_slope(upper, dtype, name="upper")
    if lower > upper:
        raise ValueError(
            f"lower={lower} is greater than upper={upper}; RReLU draws its slopes uniformly "
            "from [lower, upper], so pass lower <= upper (torch's defaults: 1/8 and 1/3)"
        )
    if not (math.isfinite(lower + upper) and math.isfinite(upper - lower)):
        raise ValueError(
            f"lower={lower} and upper={upper} are so large that lower + upper or upper - lower "
            "overflows; pass slopes of a usual size such as 1/8 and 1/3"
        )
    return lower, upper


def check_training(training):
    """Return ``training`` as a bool; anything but True/False (e.g. a generator) is refused."""
    if not isinstance(training, (bool, np.bool_)):
        raise TypeError(
            f"training must be True or False, got {type(training).__name__}; pass the generator "
            "by name: generator=np.random.default_rng(seed)"
        )
    return bool(training)


def check_generator(generator):
    """Raise TypeError unless ``generator`` is a ``numpy.random.Generator``."""
    if generator is None:
        raise TypeError(
            "training=True draws a random slope per element, so it needs "
            "generator=np.random.default_rng(seed) (a numpy.random.Generator); "
            "or pass training=False for the deterministic mean slope (lower + upper) / 2"
        )
    if not isinstance(generator, np.random.Generator):
        raise TypeError(
            f"generator must be a numpy.random.Generator such as np.random.default_rng(0), got "
            f"{type(generator).__name__}"
        )


def check_noise(noise, training, shape):
    """Return RReLU's ``noise`` as a float array of ``shape``; it is required in training mode
    and refused in eval mode (where the forward pass drew no slopes)."""
    if not training:
        if noise is not None:
            raise ValueError(
                "noise was given but training=False: in eval mode RReLU has the fixed slope "
                "(lower + upper) / 2 and no noise; pass training=True with the noise returned "
                "by rrelu(..., training=True), or leave noise out"
            )
        return None
    if noise is None:
        raise TypeError(
            "training=True needs noise=, the slopes drawn by the forward pass: "
            "y, noise = rrelu(x, lower, upper, training=True, generator=rng)"
        )
    noise = as_float_array(noise, "noise")
    if noise.shape != tuple(shape):
        raise ValueError(
            f"noise has shape {noise.shape} but x has shape {tuple(shape)}; pass the noise that "
            "rrelu(x, ..., training=True) returned for this x"
        )
    return noise


def check_prelu_weight_shape(x_shape, weight_shape):
    """Raise ValueError unless ``weight_shape`` fits ``x_shape`` (torch.nn.functional.prelu rules).

    ``weight`` is a scalar or 1-D with 1 element or C elements, where C = ``x_shape[1]`` when x has
    2 or more dimensions and C = 1 otherwise (a 1-D x has a single channel).
    """
    if len(weight_shape) > 1:
        raise ValueError(
            f"weight must be a scalar or a 1-D array (as in torch.nn.functional.prelu), got shape "
            f"{tuple(weight_shape)}; pass weight.reshape(-1)"
        )
    size = math.prod(weight_shape)
    if size == 1:
        return
    if len(x_shape) == 0:
        raise ValueError(
            f"x is 0-d, so weight must have exactly 1 element, got {size}; pass a single slope"
        )
    channels = x_shape[1] if len(x_shape) >= 2 else 1
    if size != channels:
        where = "x.shape[1]" if len(x_shape) >= 2 else "a 1-D x has a single channel"
        raise ValueError(
            f"weight has {size} elements but x of shape {tuple(x_shape)} has {channels} channel(s) "
            f"({where}); pass a weight with 1 or {channels} elements"
        )


def prelu_weight(weight, x_shape, dtype):
    """Return ``weight`` as an array of ``dtype`` (same shape) after torch's shape checks."""
    array = as_float_array(weight, "weight")
    check_prelu_weight_shape(x_shape, array.shape)
    with np.errstate(over="ignore"):  # too large for dtype becomes inf, rejected below
        converted = array.astype(dtype)
    if not np.isfinite(converted).all():
        raise ValueError(
            f"weight must be finite in {np.dtype(dtype)}, got {array.reshape(-1)[:8]!r}; "
            "pass finite slopes such as 0.25"
        )
    return converted


def check_same_shape(grad_output, x):
    if grad_output.shape != x.shape:
        raise ValueError(
            f"grad_output has shape {grad_output.shape} but x has shape {x.shape}; "
            "pass the gradient of the activation's output, which has x's shape"
        )


def check_out(out, shape, dtype):
    """Check that ``out`` can receive a result of ``shape`` and ``dtype``."""
    if not isinstance(out, np.ndarray):
        raise TypeError(f"out must be a numpy.ndarray, got {type(out).__name__}")
    if out.shape != shape or out.dtype != dtype:
        raise ValueError(
            f"out must be a {np.dtype(dtype)} array of shape {shape}, "
            f"got {out.dtype} of shape {out.shape}"
        )
    if not out.flags.writeable:
        raise ValueError("out is read-only; pass a writeable array")
