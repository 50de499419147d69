"""Compliance checking of submitted contracts: extract → normalise → segment → evaluate."""
