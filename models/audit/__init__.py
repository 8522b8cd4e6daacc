"""What changed and who changed it: the hash-chained audit log, per-account witnesses, the
integrity check and record history.
"""
