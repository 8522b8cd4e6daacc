"""Contractors: vendors, contracts with their spend and burn, and who is allocated to what."""
