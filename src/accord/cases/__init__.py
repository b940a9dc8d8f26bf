"""Conflict cases: the resolution playbook, SLA maths, escalation and routing.

By job: :mod:`.sla`, :mod:`.playbook`, :mod:`.escalation` and :mod:`.policies`; the case
service, its read models, event handlers, notifications and tables stay here."""
