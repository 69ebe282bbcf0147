"""Stand-ins for outside systems the demo and the tests talk to over HTTP (no Django here)."""
