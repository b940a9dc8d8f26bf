"""The demo workspace: a small company with teams, agents, customers and conversations."""
