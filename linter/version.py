"""The installed version, read from the package metadata (pyproject.toml is the one
place it is written)."""

from importlib.metadata import PackageNotFoundError, version

try:
    VERSION = version("archlint")
except PackageNotFoundError:  # running from a checkout that was never installed
    VERSION = "0+unknown"
