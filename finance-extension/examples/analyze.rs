//! Runs the pipeline natively over .eml files (or an mbox) and prints one JSON
//! analysis per message: a debugging aid and a quick speed check.
//!
//! `cargo run --release --example analyze -- mail/*.eml` (with the offline
//! flags tools/toolchain.py prints); `--quiet` prints only the timing.

use finance_extension::{analyze, mime};
use std::time::Instant;

fn main() {
    let mut quiet = false;
    let mut messages: Vec<(String, Vec<u8>)> = Vec::new();
    for arg in std::env::args().skip(1) {
        if arg == "--quiet" {
            quiet = true;
            continue;
        }
        match std::fs::read(&arg) {
            Ok(bytes) if arg.ends_with(".mbox") => {
                for (i, m) in mime::mbox::split(&bytes).into_iter().enumerate() {
                    messages.push((format!("{arg}#{i}"), m));
                }
            }
            Ok(bytes) => messages.push((arg, bytes)),
            Err(e) => eprintln!("{arg}: {e}"),
        }
    }
    let start = Instant::now();
    for (name, raw) in &messages {
        let a = analyze::message(&mime::parse(raw), None);
        if !quiet {
            let json = serde_json::to_string(&a).unwrap_or_default();
            println!(
                "{{\"file\":{},\"analysis\":{json}}}",
                serde_json::Value::String(name.clone())
            );
        }
    }
    let secs = start.elapsed().as_secs_f64();
    eprintln!(
        "{} messages in {secs:.3} s: {:.0} per second",
        messages.len(),
        messages.len() as f64 / secs.max(1e-9)
    );
}
