//! `echo`: payloads and binary tails round-trip through `plugin_handle`, and
//! (with `relay`) through `spacedrive_call` too.

use serde::Deserialize;
use serde_json::Value;
use spacedrive_sdk::{Call, Client, Error, LibraryId, Reply, Result, plugin};

#[derive(Deserialize)]
struct Relay {
    method: String,
    #[serde(default)]
    library: Option<LibraryId>,
    #[serde(default)]
    input: Value,
}

#[derive(Default)]
pub struct Echo;

impl Echo {
    fn echo(&mut self, call: Call<'_>) -> Result<Reply> {
        Ok(Reply::json(&call.json::<Value>()?)?.with_tail(call.tail()))
    }

    fn relay(&mut self, call: Call<'_>) -> Result<Reply> {
        let relay: Relay = call.json()?;
        let input = serde_json::to_vec(&relay.input).map_err(|e| Error::internal(e.to_string()))?;
        let out =
            Client::new().call_raw(&relay.method, relay.library.as_ref(), &input, call.tail())?;
        let value: Value =
            serde_json::from_slice(&out.json).map_err(|e| Error::internal(e.to_string()))?;
        Ok(Reply::json(&value)?.with_tail(out.tail))
    }

    /// The HTTP proxy through its own host function, spacedrive_http.
    fn fetch(&mut self, call: Call<'_>) -> Result<Reply> {
        let request: spacedrive_sdk::ops::HttpRequest = call.json()?;
        let (response, body) = spacedrive_sdk::http::send(&request, call.tail())?;
        Ok(Reply::json(&response)?.with_tail(body))
    }
}

plugin!(Echo {
    "echo" => raw(echo),
    "relay" => raw(relay),
    "fetch" => raw(fetch),
});

#[cfg(test)]
mod tests {
    use super::*;
    use spacedrive_sdk::Plugin;

    #[test]
    fn echo_returns_input_and_tail() {
        let reply = Echo
            .handle(Call::new("echo", br#"{"k":[1,2]}"#, b"\x00tail"))
            .unwrap();
        assert_eq!(reply.json_bytes(), br#"{"k":[1,2]}"#);
        assert_eq!(reply.tail(), b"\x00tail");
    }
}
