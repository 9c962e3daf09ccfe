"""spacedrive_guest: write Spacedrive plugins in Python.

`spacedrive_guest.ops` has one typed function per host operation, generated
from the host's registry. They reach the host through a transport: inside a
plugin, the component bindings install it; in tests, anything that speaks the
wire can (see `set_transport`).
"""

from ._transport import HostError, Transport, set_transport
from .codes import ERROR_CODES, ErrorCode

__all__ = ["ERROR_CODES", "ErrorCode", "HostError", "Transport", "set_transport"]
