"""Bazaars: pure status rules (rules.py), planning, listing, interest lists and the gate."""
