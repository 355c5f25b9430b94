"""Adapters to the outside world, each a small interface with one concrete class."""
