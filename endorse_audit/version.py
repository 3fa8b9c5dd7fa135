"""The version number, in one place below every module that prints or records it."""

__version__ = "0.1.0"
