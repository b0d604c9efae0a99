"""Xiaoneng (效能): one platform for a provincial work-style and efficiency campaign."""

__version__ = "0.1.0"
