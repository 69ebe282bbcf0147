"""The user admin is in orgs/admin.py: it edits staff roles too (orgs sits above accounts)."""
