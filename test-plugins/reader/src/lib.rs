//! `reader`: reads documents with the host's OCR and classifies text, through
//! the typed client generated from the registry (`spacedrive_sdk::ops`).

use serde::{Deserialize, Serialize};
use spacedrive_sdk::ops::{ClassifyInput, ClassifyOutput, OcrSettings};
use spacedrive_sdk::{Call, Client, Plugin, Reply, Result, export_plugin, methods};

#[derive(Deserialize)]
struct ReadArgs {
    /// A word to look for; the first line that starts with it is returned.
    #[serde(default)]
    find: Option<String>,
}

#[derive(Serialize)]
struct ReadOut {
    text: String,
    pages: usize,
    cached: bool,
    /// The line that starts with `find`, and the left edge of its last word (where an amount sits).
    found: Option<String>,
    found_last_word_x0: Option<i64>,
}

pub struct Reader {
    client: Client,
}

impl Reader {
    // --8<-- [start:read]
    fn read(&self, args: ReadArgs, document: &[u8]) -> Result<ReadOut> {
        let result = self.client.ai_ocr(&OcrSettings::default(), document)?;
        let needle = args.find.map(|f| f.to_lowercase());
        let hit = needle.as_ref().and_then(|n| {
            result
                .pages
                .iter()
                .flat_map(|p| p.lines.iter())
                .find(|l| l.text.to_lowercase().starts_with(n.as_str()))
        });
        Ok(ReadOut {
            text: result.text.clone(),
            pages: result.pages.len(),
            cached: result.cached,
            found: hit.map(|l| l.text.clone()),
            found_last_word_x0: hit.and_then(|l| l.words.last()).map(|w| w.bbox[0]),
        })
    }
    // --8<-- [end:read]

    /// `read` takes the document as the binary tail.
    fn read_call(&mut self, call: Call<'_>) -> Result<Reply> {
        Reply::json(&self.read(call.json()?, call.tail())?)
    }

    fn classify(&self, args: ClassifyInput) -> Result<ClassifyOutput> {
        self.client.ai_classify_text(&args)
    }
}

impl Plugin for Reader {
    fn init() -> Result<Self> {
        Ok(Reader {
            client: Client::new(),
        })
    }

    fn handle(&mut self, call: Call<'_>) -> Result<Reply> {
        methods!(self, call, { "read" => raw(read_call), "classify" => classify })
    }
}

export_plugin!(Reader);
