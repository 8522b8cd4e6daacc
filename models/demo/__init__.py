"""The demo program office (small and large) that `make run` and the tests open."""
