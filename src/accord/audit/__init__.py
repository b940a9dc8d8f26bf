"""The append-only event timeline: who did what, when."""
