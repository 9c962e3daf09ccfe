//! `librarian`: a plugin over the library operations, written with the typed
//! client generated from the host's registry (`spacedrive_sdk::ops`).

use serde::{Deserialize, Serialize};
use spacedrive_sdk::ops::{ListEntries, ReadFile, SidecarRef};
use spacedrive_sdk::{
    Call, Client, Error, LibraryId, Plugin, Reply, Result, export_plugin, log, methods,
};

#[derive(Deserialize)]
struct Summarize {
    library: LibraryId,
}

#[derive(Serialize, Deserialize)]
struct WordCount {
    path: String,
    words: usize,
}

#[derive(Serialize)]
struct Summary {
    files: usize,
    words: usize,
}

#[derive(Deserialize)]
struct SidecarArgs {
    library: LibraryId,
    content_hash: String,
    kind: String,
    #[serde(default)]
    plugin: Option<String>,
}

pub struct Librarian {
    client: Client,
}

impl Librarian {
    fn summarize(&self, lib: &LibraryId) -> Result<Summary> {
        let mut summary = Summary { files: 0, words: 0 };
        let mut offset = 0;
        loop {
            let page = self.client.vdfs_entries_list(
                lib,
                &ListEntries {
                    kind: Some("text/plain".into()),
                    offset: Some(offset),
                    ..Default::default()
                },
            )?;
            for entry in &page.entries {
                let read = ReadFile {
                    path: entry.path.clone(),
                    ..Default::default()
                };
                let (_, bytes) = self.client.vdfs_files_read(lib, &read)?;
                let words = String::from_utf8_lossy(&bytes).split_whitespace().count();
                let count = WordCount {
                    path: entry.path.clone(),
                    words,
                };
                let json =
                    serde_json::to_vec(&count).map_err(|e| Error::internal(e.to_string()))?;
                let target = SidecarRef {
                    content_hash: entry.content_hash.clone(),
                    kind: "words.json".into(),
                    plugin: None,
                };
                self.client.vdfs_sidecars_write(lib, &target, &json)?;
                summary.files += 1;
                summary.words += words;
            }
            offset += page.entries.len() as i64;
            if page.entries.is_empty() || offset >= page.total {
                break;
            }
        }
        log::info(format!(
            "librarian: {} words in {} files",
            summary.words, summary.files
        ));
        Ok(summary)
    }
}

impl Plugin for Librarian {
    fn init() -> Result<Self> {
        Ok(Librarian {
            client: Client::new(),
        })
    }

    fn handle(&mut self, call: Call<'_>) -> Result<Reply> {
        methods!(self, call, { "summarize" => summarize_call, "sidecar" => raw(sidecar) })
    }
}

impl Librarian {
    fn summarize_call(&mut self, args: Summarize) -> Result<Summary> {
        self.summarize(&args.library)
    }

    /// A sidecar's size, and its bytes as the tail.
    fn sidecar(&mut self, call: Call<'_>) -> Result<Reply> {
        let args: SidecarArgs = call.json()?;
        let target = SidecarRef {
            content_hash: args.content_hash,
            kind: args.kind,
            plugin: args.plugin,
        };
        let (info, bytes) = self.client.vdfs_sidecars_read(&args.library, &target)?;
        Ok(Reply::json(&info.size)?.with_tail(bytes))
    }
}

export_plugin!(Librarian);
