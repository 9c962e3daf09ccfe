"""The daemon: one long-lived host serving JSON-RPC 2.0 (Unix socket, loopback HTTP),
GraphQL and a web console, each a thin adapter over `Wire.execute`."""
