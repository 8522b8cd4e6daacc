"""The `docket` command line: one command per function, each calling one domain operation."""

# before anything imports peewee: peewee without psycopg, which only PostgreSQL needs
import docket.models.core  # noqa: F401
