"""The foundation every area stands on: the database and its schema, the one write path (records),
errors, the clock, configuration and the parsing of typed input.
"""
