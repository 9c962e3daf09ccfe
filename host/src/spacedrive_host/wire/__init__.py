"""The wire: one registry and one dispatch path for every surface."""
