"""Policies: saved revisions of the SLA policy, escalation rules and playbooks, the policy in
force (saved revision, configured file, or the shipped ``sla.yaml``/``escalation.yaml`` here),
and saving a policy so that it takes effect at once."""
