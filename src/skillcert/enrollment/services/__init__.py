"""Every write of the enrollment app, one module per sub-domain (DESIGN rule 1)."""
