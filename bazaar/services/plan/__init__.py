"""The plan's progress: targets (targets.py), monthly snapshots (snapshots.py), the register of
requirements and obstacles and past plans (register.py, past.py), the public page (public.py)
and council reports (reports.py); the pure rules are in rules.py."""
