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
