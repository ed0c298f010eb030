"""Exit 0 when the PostgreSQL server of the given URL answers, 1 otherwise (used by `make test`)."""

import sys

import psycopg

url = sys.argv[1]
server = url.rsplit("/", 1)[0] + "/postgres"
try:
    with psycopg.connect(server, connect_timeout=3):
        pass
except psycopg.Error:
    sys.exit(1)
