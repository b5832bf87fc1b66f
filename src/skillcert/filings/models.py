"""Filing, evaluation scope, scope adjustments, sites and the staff pool (R1)."""
