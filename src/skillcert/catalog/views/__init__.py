"""Pages of the catalogue: occupations and job types, standards, eligibility rule sets."""
