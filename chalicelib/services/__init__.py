"""Use cases: each takes primitives and the store, applies the domain, and owns one write."""
