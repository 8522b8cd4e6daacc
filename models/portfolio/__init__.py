"""The portfolio: programs, their parents and children, owners and RAG status."""
