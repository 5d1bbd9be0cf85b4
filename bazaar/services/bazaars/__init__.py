"""Bazaars and the gathering gate: pure status rules (rules.py) and the service (service.py)."""
