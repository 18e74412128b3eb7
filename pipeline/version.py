"""The package version: recorded in every artifact header, so an artifact of another version is rebuilt."""

__version__ = "0.4.0"
