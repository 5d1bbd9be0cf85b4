"""Follow-ups: pure status rules (rules.py) and the service (service.py)."""
