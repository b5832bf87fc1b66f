"""Every write of the core app, one module per sub-domain (DESIGN rule 1)."""
