"""Monitoring: the funding programmes the network's work is paid from, and each person's
participation in them as the ESF+ common indicators ask (Regulation (EU) 2021/1057, Annex I).

It sits above every other part of the domain: it reads the registry, the work and housing pathways
and, later, the care path, distribution and vouchers; none of them imports it (they point at a
Funding Programme by a Link field only, and the outcome of a work measure reaches a participation
through doc_events in hooks.py)."""
