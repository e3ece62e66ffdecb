"""spinetrack: follow patients after spine surgery and find the ones whose surgery is failing."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("spinetrack")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

__all__ = ["__version__"]
