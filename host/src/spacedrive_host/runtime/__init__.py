"""The ABI v1 runtime: engine, compile cache, guest memory, instances, lifecycle."""
