"""The author's kit: scaffold a plugin (`plugin new`), build it (`plugin build`),
check it without running it (`plugin check`), with the repository's offline
toolchain. `spacedrive_host.testing` is its pytest plugin."""
