"""The files `spacedrive plugin new` writes (``str.format`` fields: ``id``,
``crate``, ``struct``). The scaffold tests build and run them. Both languages
get the same host test: the two plugins keep the same contract."""

from __future__ import annotations

from typing import Any

__all__ = [
    "GITIGNORE_OWN",
    "GITIGNORE_PYTHON",
    "HOST_TEST",
    "PYTHON_PLUGIN",
    "RUST_CARGO_IN_REPO",
    "RUST_CARGO_OWN",
    "RUST_LIB",
    "python_manifest",
    "rust_manifest",
]


def rust_manifest(plugin_id: str) -> dict[str, Any]:
    """Least permissions: the one host operation the code calls."""
    return {
        "id": plugin_id,
        "name": plugin_id,
        "version": "0.1.0",
        "description": "Greets you with the host's version.",
        "wasm_file": f"{plugin_id.replace('-', '_')}.wasm",
        "permissions": {"methods": ["core.version"], "libraries": []},
        "provides": [{"name": "greet", "description": "Greets `name`, with the host's version."}],
    }


def python_manifest(plugin_id: str) -> dict[str, Any]:
    """The Rust manifest's permissions and methods, for a component built from ``plugin.py``."""
    return {**rust_manifest(plugin_id), "kind": "component"}


RUST_CARGO_IN_REPO = """\
[package]
name = "{id}"
version.workspace = true
edition.workspace = true
rust-version.workspace = true
license.workspace = true
publish = false

[lib]
crate-type = ["cdylib", "rlib"]

[dependencies]
spacedrive-sdk.workspace = true
serde.workspace = true
serde_json.workspace = true

[lints]
workspace = true
"""

RUST_CARGO_OWN = """\
[package]
name = "{id}"
version = "0.1.0"
edition = "2024"
publish = false

[lib]
# cdylib: the wasm module; rlib: the native unit tests.
crate-type = ["cdylib", "rlib"]

[dependencies]
spacedrive-sdk = "0.1"
serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"

# A workspace of its own, not part of any folder above it.
[workspace]

[profile.release]
panic = "abort"
opt-level = "s"
lto = true
codegen-units = 1
strip = "debuginfo"
"""

GITIGNORE_OWN = """\
/target/
/build/
# Names this machine's offline crate source; `spacedrive plugin new` writes it.
/.cargo/config.toml
__pycache__/
"""

RUST_LIB = """\
//! `{id}`: a Spacedrive plugin. `spacedrive plugin build` makes it a wasm module.

use serde::{{Deserialize, Serialize}};
use spacedrive_sdk::{{Call, Client, Error, Plugin, Reply, Result, export_plugin, log, methods}};

#[derive(Deserialize)]
struct GreetInput {{
    name: String,
}}

#[derive(Serialize)]
struct Greeting {{
    greeting: String,
    host_version: String,
}}

pub struct {struct} {{
    client: Client,
}}

impl Plugin for {struct} {{
    fn init() -> Result<Self> {{
        log::info("{id}: ready");
        Ok({struct} {{
            client: Client::new(),
        }})
    }}

    fn handle(&mut self, call: Call<'_>) -> Result<Reply> {{
        // One row per method the manifest `provides`: its JSON input is parsed into
        // the method's argument type, its result serialised back.
        methods!(self, call, {{ "greet" => greet }})
    }}
}}

impl {struct} {{
    fn greet(&mut self, input: GreetInput) -> Result<Greeting> {{
        if input.name.trim().is_empty() {{
            return Err(Error::invalid_input("name must not be empty"));
        }}
        // A typed host operation; the manifest grants it ("core.version").
        let version = self.client.core_version()?;
        log::info(format!("{id}: greeting {{}}", input.name));
        Ok(Greeting {{
            greeting: format!("Hello, {{}}!", input.name),
            host_version: version.host_version,
        }})
    }}
}}

export_plugin!({struct});

#[cfg(test)]
mod tests {{
    use super::*;
    use spacedrive_sdk::{{ErrorCode, RawReply, testing}};

    #[test]
    fn greet_answers_with_the_host_version() {{
        let reply = testing::with_host(
            |call| {{
                assert_eq!(call.method, "query:core.version.v1");
                let json = br#"{{"host_version":"9.9","abi_version":1,"wasmtime_version":"50","python_version":"3"}}"#;
                Ok(RawReply {{
                    json: json.to_vec(),
                    tail: vec![],
                }})
            }},
            || {struct}::init()?.handle(Call::new("greet", br#"{{"name":"Ada"}}"#, b"")),
        )
        .unwrap();
        let out: serde_json::Value = serde_json::from_slice(reply.json_bytes()).unwrap();
        assert_eq!(out["greeting"], "Hello, Ada!");
        assert_eq!(out["host_version"], "9.9");
    }}

    #[test]
    fn an_empty_name_is_invalid_input() {{
        let err = {struct}::init()
            .unwrap()
            .handle(Call::new("greet", br#"{{"name":" "}}"#, b""))
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput);
    }}
}}
"""

HOST_TEST = '''\
"""`{id}` built to wasm and loaded in a real host (fixtures: spacedrive_host.testing)."""

import pytest
from spacedrive_host import InvalidInput
from spacedrive_host.testing import PluginUnderTest


def test_greet(sd_plugin: PluginUnderTest) -> None:
    out = sd_plugin.call("greet", {{"name": "Ada"}})
    assert out["greeting"] == "Hello, Ada!"
    assert out["host_version"] == sd_plugin.host.execute("query:core.version.v1").data()["host_version"]
    assert any("greeting Ada" in record.message for record in sd_plugin.logs())


def test_an_empty_name_is_refused(sd_plugin: PluginUnderTest) -> None:
    with pytest.raises(InvalidInput, match="name must not be empty"):
        sd_plugin.call("greet", {{"name": " "}})
'''

PYTHON_PLUGIN = '''\
"""`{id}`: a Spacedrive plugin in Python. `spacedrive plugin build` makes it a component."""

from __future__ import annotations

from typing import TypedDict

from spacedrive_guest import Call, InvalidInput, Plugin, host, ops

plugin = Plugin()


class Greeting(TypedDict):
    greeting: str
    host_version: str


@plugin.on_init
def ready() -> None:
    host.info("{id}: ready")


# One handler per method the manifest `provides`: its JSON input arrives parsed
# as `call.input`, what it returns goes back as JSON.
@plugin.handler("greet")
def greet(call: Call) -> Greeting:
    name = call.input.get("name", "") if isinstance(call.input, dict) else ""
    if not isinstance(name, str) or not name.strip():
        raise InvalidInput("name must not be empty")
    # A typed host operation; the manifest grants it ("core.version").
    version = ops.core_version()
    host.info(f"{id}: greeting {{name}}")
    return {{"greeting": f"Hello, {{name}}!", "host_version": version["host_version"]}}
'''

GITIGNORE_PYTHON = """\
/build/
__pycache__/
"""
