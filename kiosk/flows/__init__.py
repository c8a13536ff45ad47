"""Citizen flows as pure-Python state machines: events in, state and effects out."""
