"""Governance: the RAID log (risks, issues, decisions, change requests), budgets and metrics."""
