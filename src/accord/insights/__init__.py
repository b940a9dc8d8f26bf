"""Conflict insights: the analysis engine's verdict on every stored message and conversation."""
