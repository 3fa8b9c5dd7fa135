"""endorse-audit: find the LinkedIn endorsements you received for skills you never listed."""

__version__ = "0.1.0"
