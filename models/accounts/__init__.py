"""Who is working: Unix accounts, their roles, and the shared database's file permissions."""
