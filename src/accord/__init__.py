"""Accord: a self-hostable platform that helps customer-service teams resolve conflicts."""

__version__ = "0.1.0"
