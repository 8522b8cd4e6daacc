"""The `docket` command line: one command per function, each calling one domain operation."""
