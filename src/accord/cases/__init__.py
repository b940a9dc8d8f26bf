"""Conflict cases: the resolution playbook, SLA maths, escalation and routing."""
