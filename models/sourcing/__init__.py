"""Vendor selection: solicitations, bids, the committee's sealed scores, evaluation and award."""
