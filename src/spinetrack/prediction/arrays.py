"""Array type names for annotations (numpy arrays of any dtype: floats, integer codes, flags)."""

from typing import Any

import numpy.typing as npt

Array = npt.NDArray[Any]
