"""Users, roles, teams, sessions, API tokens and the access chokepoint."""
