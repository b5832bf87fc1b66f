"""Pages of the filings app: filing and scope, adjustments, sites and staff pool, and the public list."""
