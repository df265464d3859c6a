"""Persistence: peewee models, database selection and schema migrations."""
