"""Notifications that arrive: delivery of the outbox, providers, templates, switches, opt-outs."""
