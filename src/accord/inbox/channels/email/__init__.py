"""The email channel: raw-first ingest, threading, quarantine, outbox and loop protection."""
