//! Forwards written into the body text ("---------- Forwarded message
//! ---------", "Begin forwarded message:", Outlook's "From: / Sent:" block):
//! the original sender, date and subject, and where the original text starts.

use crate::mime::Address;
use regex::Regex;
use std::sync::LazyLock;

/// The header block of an inline-forwarded message.
#[derive(Debug, Clone, Default)]
pub struct Inline {
    pub from: Option<Address>,
    pub date: Option<String>,
    pub subject: Option<String>,
    /// Byte offset in the text where the forwarded message's body begins.
    pub body_at: usize,
}

static MARKER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?im)^[ >]*(?:-{2,}\s*(?:forwarded message|original message|weitergeleitete nachricht|ursprüngliche nachricht|message transféré|message d'origine|mensaje reenviado|mensaje original|messaggio inoltrato|messaggio originale|doorgestuurd bericht|oorspronkelijk bericht|vidarebefordrat meddelande|mensagem encaminhada)\s*-{2,}|begin forwarded message:|anfang der weitergeleiteten nachricht:|début du message réexpédié\s*:|inizio messaggio inoltrato:|_{20,})\s*$",
    )
    .expect("forward marker")
});

static FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^[ >*]*(from|von|de|da|van|från|fra|date|datum|fecha|data|sent|gesendet|envoyé|enviado|inviato|verzonden|skickat|subject|betreff|objet|asunto|oggetto|onderwerp|ämne|emne|assunto|to|an|à|para|a|aan|till|til|cc)\s*:\s*\**\s*(.*)$").expect("forward field")
});

/// Finds the first inline forward in `text`.
pub fn find(text: &str) -> Option<Inline> {
    let m = MARKER.find(text)?;
    let mut found = Inline {
        body_at: m.end(),
        ..Inline::default()
    };
    let mut pos = m.end();
    let mut seen = 0;
    for line in text[m.end()..].split_inclusive('\n').take(14) {
        pos += line.len();
        let l = line.trim();
        if l.is_empty() || l == ">" {
            if seen > 0 {
                break;
            }
            continue;
        }
        let Some(c) = FIELD.captures(l) else {
            if seen > 0 {
                break;
            }
            continue;
        };
        seen += 1;
        let value = c[2].trim().to_string();
        match c[1].to_lowercase().as_str() {
            "from" | "von" | "de" | "da" | "van" | "från" | "fra" => {
                found.from = Some(Address::parse(&value))
            }
            "date" | "datum" | "fecha" | "data" | "sent" | "gesendet" | "envoyé" | "enviado"
            | "inviato" | "verzonden" | "skickat" => found.date = Some(value),
            "subject" | "betreff" | "objet" | "asunto" | "oggetto" | "onderwerp" | "ämne"
            | "emne" | "assunto" => found.subject = Some(value),
            _ => {}
        }
        found.body_at = pos;
    }
    found.from.as_ref()?;
    Some(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gmail_forward() {
        let text = "FYI\n\n---------- Forwarded message ---------\nFrom: Lyft Receipts <no-reply@lyftmail.com>\nDate: Tue, Mar 5, 2024 at 10:12 PM\nSubject: Your ride with Sam\nTo: <me@example.com>\n\nTotal $12.00\n";
        let f = find(text).unwrap();
        assert_eq!(f.from.unwrap().domain().as_deref(), Some("lyftmail.com"));
        assert_eq!(f.subject.as_deref(), Some("Your ride with Sam"));
        assert!(text[f.body_at..].trim_start().starts_with("Total $12.00"));
    }

    #[test]
    fn apple_and_german_forward() {
        let text = "Begin forwarded message:\n\n> From: \"Bahn\" <buchungsbestaetigung@bahn.de>\n> Subject: Ihre Fahrkarte\n> Date: 5. März 2024 um 10:00:00 MEZ\n\nGesamt 49,90 €";
        assert_eq!(
            find(text).unwrap().from.unwrap().name.as_deref(),
            Some("Bahn")
        );
        let de = "-------- Weitergeleitete Nachricht --------\nVon: Shop <a@shop.de>\nBetreff: Rechnung\n\nx";
        assert_eq!(find(de).unwrap().subject.as_deref(), Some("Rechnung"));
        assert!(find("no forward here\nFrom: someone").is_none());
    }
}
