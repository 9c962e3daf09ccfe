//! `notes`: a plugin's own storage (`storage.*`, no library needed) and the
//! library a call is made for (`Call::library`, under the operator's grants).

use serde::{Deserialize, Serialize};
use spacedrive_sdk::ops::{KeyRef, ListEntries, ListKeys, SetValue};
use spacedrive_sdk::{Call, Client, Error, Plugin, Reply, Result, export_plugin};

#[derive(Deserialize)]
struct Note {
    name: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    plugin: Option<String>,
}

#[derive(Deserialize)]
struct Prefix {
    #[serde(default)]
    prefix: String,
}

#[derive(Serialize)]
struct LibraryAnswer {
    library: Option<String>,
    entries: Option<i64>,
}

pub struct Notes {
    client: Client,
}

impl Notes {
    fn key(name: &str) -> String {
        format!("note/{name}")
    }

    fn put(&self, note: Note) -> Result<i64> {
        let stored = self.client.storage_set(&SetValue {
            key: Self::key(&note.name),
            value: note.text,
            ..Default::default()
        })?;
        Ok(stored.total_bytes)
    }

    fn get(&self, note: Note) -> Result<String> {
        let key = match note.plugin {
            Some(_) => note.name, // `peek`: the raw key of another plugin's storage
            None => Self::key(&note.name),
        };
        let found = self.client.storage_get(&KeyRef {
            key,
            plugin: note.plugin,
        })?;
        Ok(found.value)
    }

    /// Every page, `next` fed back as `after`: the paging a real plugin does.
    fn list(&self, prefix: &str) -> Result<Vec<String>> {
        let mut names = Vec::new();
        let mut after = None;
        loop {
            let page = self.client.storage_list(&ListKeys {
                prefix: Some(Self::key(prefix)),
                after,
                limit: Some(2),
                ..Default::default()
            })?;
            for key in page.keys {
                names.push(key.key["note/".len()..].to_owned());
            }
            match page.next {
                Some(next) => after = Some(next),
                None => return Ok(names),
            }
        }
    }

    fn library(&self, call: &Call<'_>) -> Result<LibraryAnswer> {
        let Some(library) = call.library() else {
            return Ok(LibraryAnswer {
                library: None,
                entries: None,
            });
        };
        let page = self.client.vdfs_entries_list(
            &library,
            &ListEntries {
                limit: Some(1),
                ..Default::default()
            },
        )?;
        Ok(LibraryAnswer {
            library: Some(library.to_string()),
            entries: Some(page.total),
        })
    }
}

impl Plugin for Notes {
    fn init() -> Result<Self> {
        Ok(Notes {
            client: Client::new(),
        })
    }

    fn handle(&mut self, call: Call<'_>) -> Result<Reply> {
        match call.method() {
            "put" => call.respond(|note: Note| self.put(note)),
            "get" | "peek" => call.respond(|note: Note| self.get(note)),
            "list" => call.respond(|args: Prefix| self.list(&args.prefix)),
            "delete" => call.respond(|note: Note| {
                let key = KeyRef {
                    key: Self::key(&note.name),
                    plugin: None,
                };
                Ok(self.client.storage_delete(&key)?.deleted)
            }),
            "library" => Reply::json(&self.library(&call)?),
            other => Err(Error::unknown_method(other)),
        }
    }
}

export_plugin!(Notes);
