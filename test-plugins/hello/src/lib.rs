//! `hello`: the smallest useful plugin. It logs, calls two host operations and
//! answers one method.

// --8<-- [start:plugin]
use serde::{Deserialize, Serialize};
use spacedrive_sdk::{Call, Client, Error, Plugin, Reply, Result, export_plugin, log, methods};

#[derive(Deserialize)]
struct GreetInput {
    name: String,
}

#[derive(Serialize)]
struct Greeting {
    greeting: String,
    host_version: String,
    plugins: Vec<String>,
}

pub struct Hello {
    client: Client,
    greeted: u64,
}

impl Plugin for Hello {
    fn init() -> Result<Self> {
        log::info("hello: ready");
        Ok(Hello {
            client: Client::new(),
            greeted: 0,
        })
    }

    fn handle(&mut self, call: Call<'_>) -> Result<Reply> {
        methods!(self, call, { "greet" => greet })
    }
}

impl Hello {
    fn greet(&mut self, input: GreetInput) -> Result<Greeting> {
        if input.name.trim().is_empty() {
            return Err(Error::invalid_input("name must not be empty"));
        }
        // Typed methods generated from the host's registry (spacedrive_sdk::ops).
        let version = self.client.core_version()?;
        let list = self.client.plugins_list()?;
        self.greeted += 1;
        log::info(format!(
            "hello: greeting {} (#{})",
            input.name, self.greeted
        ));
        Ok(Greeting {
            greeting: format!("Hello, {}!", input.name),
            host_version: version.host_version,
            plugins: list.plugins.into_iter().map(|p| p.id).collect(),
        })
    }
}

export_plugin!(Hello);
// --8<-- [end:plugin]

#[cfg(test)]
mod tests {
    use super::*;
    use spacedrive_sdk::{ErrorCode, RawReply, testing};

    #[test]
    fn greet_uses_the_host_operations() {
        let reply = testing::with_host(
            |call| {
                let json = match call.method.as_str() {
                    "query:core.version.v1" => {
                        br#"{"host_version":"9.9","abi_version":1,"wasmtime_version":"50","python_version":"3"}"#.to_vec()
                    }
                    "query:plugins.list.v1" => br#"{"plugins":[{"id":"hello","status":"ready"}]}"#.to_vec(),
                    other => panic!("unexpected {other}"),
                };
                Ok(RawReply { json, tail: vec![] })
            },
            || {
                Hello::init()
                    .unwrap()
                    .handle(Call::new("greet", br#"{"name":"Ada"}"#, b""))
            },
        )
        .unwrap();
        let v: serde_json::Value = serde_json::from_slice(reply.json_bytes()).unwrap();
        assert_eq!(v["greeting"], "Hello, Ada!");
        assert_eq!(v["host_version"], "9.9");
        assert_eq!(v["plugins"][0], "hello");
        assert!(
            testing::take_logs()
                .iter()
                .any(|(_, m)| m.contains("greeting Ada"))
        );
    }

    #[test]
    fn empty_name_is_invalid_input() {
        let err = Hello::init()
            .unwrap()
            .handle(Call::new("greet", br#"{"name":" "}"#, b""))
            .unwrap_err();
        assert_eq!(err.code, ErrorCode::InvalidInput);
    }
}
