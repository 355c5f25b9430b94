"""Chalice blueprints: parse, authorise, call one use case, present the result."""
