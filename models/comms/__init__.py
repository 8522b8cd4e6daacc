"""The communications plan and the status digests it sends."""
