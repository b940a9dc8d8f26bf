"""Escalation: the rules (and routing and boundaries policy) schema, carrying the rules out,
routing conversations to teams and agents, the hand-off note, and boundaries with abusive
customers."""
