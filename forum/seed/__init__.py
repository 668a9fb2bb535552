"""Demo content for `flask seed demo`, built from real public-domain health data."""
