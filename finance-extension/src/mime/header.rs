//! Header fields: the header block split off, folded lines joined, RFC 2047
//! encoded words and RFC 2231 parameters decoded, addresses split.

use super::decode;
use serde::Serialize;

/// Upper bounds on one header block (hostile mail can be all headers).
const MAX_FIELDS: usize = 512;
const MAX_VALUE_BYTES: usize = 64 * 1024;

/// One message's or part's header fields in order, names as written.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Headers {
    fields: Vec<(String, String)>,
}

impl Headers {
    /// The first field named `name` (case-insensitive), unfolded, undecoded.
    pub fn raw(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every field named `name`, in order.
    pub fn all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.fields
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The first field named `name` with encoded words decoded.
    pub fn text(&self, name: &str) -> Option<String> {
        self.raw(name).map(decode_words)
    }

    /// Whether a field of that name is present.
    pub fn has(&self, name: &str) -> bool {
        self.raw(name).is_some()
    }

    /// All fields, in order.
    pub fn fields(&self) -> &[(String, String)] {
        &self.fields
    }

    pub(crate) fn push(&mut self, name: String, value: String) {
        if self.fields.len() < MAX_FIELDS {
            self.fields.push((name, value));
        }
    }
}

fn is_field_name(line: &[u8]) -> Option<usize> {
    let colon = line.iter().position(|&b| b == b':')?;
    let name = &line[..colon];
    let valid = !name.is_empty()
        && name.len() <= 76
        && name.iter().all(|&b| b.is_ascii_graphic() && b != b':');
    // "Subject :" (a blank before the colon) happens in broken mail; accept it.
    let trimmed = name.trim_ascii_end();
    if valid || (!trimmed.is_empty() && trimmed.iter().all(|&b| b.is_ascii_graphic())) {
        Some(colon)
    } else {
        None
    }
}

/// Splits a header block off `raw` and returns it with the body's offset.
///
/// Tolerant: an mbox `From ` line is skipped; a line that is neither a field
/// nor a continuation ends the block (mail with no blank line); input that
/// starts with no field at all has no headers and is all body.
pub fn split(raw: &[u8]) -> (Headers, usize) {
    let mut headers = Headers::default();
    let mut pos = 0;
    let mut current: Option<(String, Vec<u8>)> = None;
    let mut first = true;
    while pos < raw.len() {
        let end = raw[pos..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(raw.len(), |i| pos + i + 1);
        let line = &raw[pos..end];
        let content = line.strip_suffix(b"\n").unwrap_or(line);
        let content = content.strip_suffix(b"\r").unwrap_or(content);
        if first && content.starts_with(b"From ") {
            first = false;
            pos = end;
            continue;
        }
        first = false;
        if content.is_empty() {
            pos = end;
            break;
        }
        if content[0] == b' ' || content[0] == b'\t' {
            if let Some((_, value)) = current.as_mut() {
                if value.len() < MAX_VALUE_BYTES {
                    value.push(b' ');
                    value.extend_from_slice(content.trim_ascii());
                }
                pos = end;
                continue;
            }
            if headers.fields.is_empty() {
                return (headers, 0);
            }
            break;
        }
        match is_field_name(content) {
            Some(colon) => {
                if let Some((name, value)) = current.take() {
                    headers.push(name, decode::to_text(&value, None));
                }
                let name = String::from_utf8_lossy(content[..colon].trim_ascii()).into_owned();
                let value = content[colon + 1..].trim_ascii();
                current = Some((name, value[..value.len().min(MAX_VALUE_BYTES)].to_vec()));
                pos = end;
            }
            None if current.is_none() => return (headers, 0),
            None => break,
        }
    }
    if let Some((name, value)) = current.take() {
        headers.push(name, decode::to_text(&value, None));
    }
    (headers, pos)
}

/// Decodes RFC 2047 encoded words (`=?charset?B|Q?...?=`) in any charset.
/// Blanks between two encoded words vanish; adjacent words of one charset are
/// decoded together so a character split across words survives. Malformed
/// words stay as written.
pub fn decode_words(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut pending: Option<(String, Vec<u8>)> = None;
    let mut rest = value;
    let mut gap = String::new();
    while let Some(start) = rest.find("=?") {
        let Some(word) = parse_word(&rest[start..]) else {
            flush(&mut out, &mut pending);
            out.push_str(&gap);
            gap.clear();
            out.push_str(&rest[..start + 2]);
            rest = &rest[start + 2..];
            continue;
        };
        let before = &rest[..start];
        let only_blank = before.chars().all(char::is_whitespace);
        if !(only_blank && pending.is_some()) {
            flush(&mut out, &mut pending);
            out.push_str(&gap);
            out.push_str(before);
        }
        gap.clear();
        let (charset, bytes, used) = word;
        match pending.as_mut() {
            Some((c, b)) if c.eq_ignore_ascii_case(&charset) => b.extend_from_slice(&bytes),
            _ => {
                flush(&mut out, &mut pending);
                pending = Some((charset, bytes));
            }
        }
        rest = &rest[start + used..];
        // Keep blanks after a word aside: dropped if another word follows.
        let blanks = rest.len() - rest.trim_start().len();
        gap.push_str(&rest[..blanks]);
        rest = &rest[blanks..];
    }
    flush(&mut out, &mut pending);
    out.push_str(&gap);
    out.push_str(rest);
    out
}

fn flush(out: &mut String, pending: &mut Option<(String, Vec<u8>)>) {
    if let Some((charset, bytes)) = pending.take() {
        out.push_str(&decode::to_text(&bytes, Some(&charset)));
    }
}

/// One encoded word at the start of `s`: (charset, bytes, length used).
fn parse_word(s: &str) -> Option<(String, Vec<u8>, usize)> {
    let body = s.strip_prefix("=?")?;
    let q1 = body.find('?')?;
    let charset = &body[..q1];
    // The encoding letter and its '?' are ASCII (bytes, so a multi-byte
    // character there cannot shift the offsets below).
    let after = &body.as_bytes()[q1 + 1..];
    let kind = after.first()?.to_ascii_uppercase() as char;
    if after.get(1) != Some(&b'?') || charset.is_empty() || charset.contains(char::is_whitespace) {
        return None;
    }
    let text_start = q1 + 3;
    let end = body[text_start..].find("?=")?;
    let text = &body[text_start..text_start + end];
    if text.contains(['\r', '\n']) {
        return None;
    }
    let bytes = match kind {
        'B' => decode::base64(text.as_bytes()),
        'Q' => decode::quoted_printable(text.replace('_', " ").as_bytes()),
        _ => return None,
    };
    // RFC 2231 language suffix: "utf-8*en".
    let charset = charset.split('*').next().unwrap_or(charset).to_string();
    Some((charset, bytes, 2 + text_start + end + 2))
}

/// A structured field such as Content-Type: its lower-cased value and
/// parameters (names lower-cased; RFC 2231 continuations and charsets joined
/// and decoded; RFC 2047 words in quoted values decoded, as clients send them).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Structured {
    pub value: String,
    pub params: Vec<(String, String)>,
}

impl Structured {
    /// Parses `value; name=val; name*=utf-8''%E2%82%AC; name*0=...`.
    pub fn parse(field: &str) -> Structured {
        let mut parts = split_params(field);
        let value = if parts.is_empty() {
            String::new()
        } else {
            parts.remove(0).trim().to_ascii_lowercase()
        };
        let mut simple: Vec<(String, String)> = Vec::new();
        // (name, index, encoded, value) for RFC 2231 pieces.
        let mut pieces: Vec<(String, u32, bool, String)> = Vec::new();
        for part in parts {
            let Some(eq) = part.find('=') else { continue };
            let name = part[..eq].trim().to_ascii_lowercase();
            let raw_value = unquote(part[eq + 1..].trim());
            if name.is_empty() {
                continue;
            }
            if let Some(star) = name.find('*') {
                let base = name[..star].to_string();
                let rest = &name[star + 1..];
                let encoded = rest.ends_with('*') || rest.is_empty();
                let index = rest.trim_end_matches('*').parse::<u32>().unwrap_or(0);
                pieces.push((base, index, encoded, raw_value));
            } else {
                simple.push((name, decode_words(&raw_value)));
            }
        }
        pieces.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.cmp(&b.1)));
        let mut joined: Vec<(String, String)> = Vec::new();
        let mut i = 0;
        while i < pieces.len() {
            let name = pieces[i].0.clone();
            let mut charset: Option<String> = None;
            let mut bytes = Vec::new();
            while i < pieces.len() && pieces[i].0 == name {
                let (_, index, encoded, ref v) = pieces[i];
                let mut v = v.as_str();
                if encoded && index == 0 {
                    // charset'language'text
                    let mut split = v.splitn(3, '\'');
                    if let (Some(c), Some(_), Some(t)) = (split.next(), split.next(), split.next())
                    {
                        charset = Some(c.to_string());
                        v = t;
                    }
                }
                if encoded {
                    bytes.extend(percent_decode(v));
                } else {
                    bytes.extend_from_slice(v.as_bytes());
                }
                i += 1;
            }
            let charset = charset.filter(|c| !c.is_empty());
            joined.push((name, decode::to_text(&bytes, charset.as_deref())));
        }
        // RFC 2231 values win over plain ones of the same name.
        for (name, value) in joined {
            simple.retain(|(n, _)| *n != name);
            simple.push((name, value));
        }
        Structured {
            value,
            params: simple,
        }
    }

    /// A parameter's value by (lower-case) name.
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

fn split_params(field: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    let mut escaped = false;
    for c in field.chars() {
        if escaped {
            current.push(c);
            escaped = false;
        } else if quoted && c == '\\' {
            escaped = true;
        } else if c == '"' {
            quoted = !quoted;
            current.push(c);
        } else if c == ';' && !quoted {
            parts.push(std::mem::take(&mut current));
        } else {
            current.push(c);
        }
    }
    parts.push(current);
    parts
}

fn unquote(v: &str) -> String {
    let v = v.trim();
    if v.len() >= 2 && v.starts_with('"') && v.ends_with('"') {
        v[1..v.len() - 1].to_string()
    } else {
        v.trim_matches('"').to_string()
    }
}

fn percent_decode(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len() + 1
            && let (Some(h), Some(l)) = (
                b.get(i + 1).copied().and_then(hexval),
                b.get(i + 2).copied().and_then(hexval),
            )
        {
            out.push((h << 4) | l);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    out
}

fn hexval(b: u8) -> Option<u8> {
    (b as char).to_digit(16).map(|d| d as u8)
}

/// A mailbox from an address field: display name and address, either may be
/// missing in broken mail.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Address {
    pub name: Option<String>,
    pub email: Option<String>,
}

impl Address {
    /// Parses the first mailbox of a From-style field (encoded words decoded).
    pub fn parse(field: &str) -> Address {
        let decoded = decode_words(field);
        let text = decoded.trim();
        if let (Some(lt), Some(gt)) = (text.rfind('<'), text.rfind('>'))
            && lt < gt
        {
            let email = text[lt + 1..gt].trim().to_string();
            let name = clean_name(&text[..lt]);
            return Address {
                name,
                email: (!email.is_empty()).then_some(email),
            };
        }
        // "addr (Name)" or a bare address.
        if let Some(open) = text.find('(') {
            let email = text[..open].trim();
            let name = clean_name(text[open + 1..].trim_end_matches(')'));
            if email.contains('@') {
                return Address {
                    name,
                    email: Some(email.to_string()),
                };
            }
        }
        if text.contains('@') && !text.contains(' ') {
            return Address {
                name: None,
                email: Some(text.trim_matches(['"', '\'']).to_string()),
            };
        }
        Address {
            name: clean_name(text),
            email: None,
        }
    }

    /// The address's domain, lower-cased.
    pub fn domain(&self) -> Option<String> {
        let email = self.email.as_deref()?;
        let at = email.rfind('@')?;
        let domain = email[at + 1..]
            .trim()
            .trim_end_matches('>')
            .to_ascii_lowercase();
        (!domain.is_empty()).then_some(domain)
    }

    /// The local part, lower-cased.
    pub fn local(&self) -> Option<String> {
        let email = self.email.as_deref()?;
        Some(email[..email.rfind('@').unwrap_or(email.len())].to_ascii_lowercase())
    }
}

fn clean_name(s: &str) -> Option<String> {
    let s = s
        .trim()
        .trim_matches(['"', '\''])
        .trim()
        .replace("\\\"", "\"");
    (!s.is_empty()).then_some(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_unfolds_and_stops_at_blank_line() {
        let raw = b"From: Shop <a@b.c>\r\nSubject: Your\r\n order\r\n\r\nbody";
        let (h, body) = split(raw);
        assert_eq!(h.raw("subject"), Some("Your order"));
        assert_eq!(&raw[body..], b"body");
    }

    #[test]
    fn split_tolerates_mbox_line_missing_blank_and_no_headers() {
        let raw = b"From someone Tue Mar 5 2024\nSubject: x\nthis is body\n";
        let (h, body) = split(raw);
        assert_eq!(h.raw("Subject"), Some("x"));
        assert_eq!(&raw[body..], b"this is body\n");
        let (h, body) = split(b"Just text, no headers\n");
        assert!(h.fields().is_empty());
        assert_eq!(body, 0);
    }

    #[test]
    fn encoded_words() {
        assert_eq!(
            decode_words("=?UTF-8?B?WW91ciByZWNlaXB0?= from =?iso-8859-1?Q?Caf=E9_Noir?="),
            "Your receipt from Café Noir"
        );
        assert_eq!(decode_words("=?utf-8?q?a?= =?utf-8?q?b?="), "ab");
        // A multi-byte character split across two words.
        assert_eq!(decode_words("=?UTF-8?Q?=E2=82?= =?UTF-8?Q?=AC?="), "€");
        assert_eq!(decode_words("=?Shift_JIS?B?gqA=?="), "あ");
        assert_eq!(decode_words("=?broken =?x"), "=?broken =?x");
        assert_eq!(decode_words("plain"), "plain");
        // Found by the property tests: a multi-byte character as the encoding letter.
        assert_eq!(decode_words("=?x?é?x?="), "=?x?é?x?=");
    }

    #[test]
    fn structured_params_rfc2231() {
        let s = Structured::parse("attachment; filename*=UTF-8''Rechnung%20M%C3%A4rz.pdf");
        assert_eq!(s.value, "attachment");
        assert_eq!(s.param("filename"), Some("Rechnung März.pdf"));
        let s = Structured::parse("application/pdf; name*0*=utf-8''fac; name*1=\"ture.pdf\"");
        assert_eq!(s.param("name"), Some("facture.pdf"));
        let s = Structured::parse("multipart/mixed; boundary=\"a;b\"; charset=UTF-8");
        assert_eq!(s.param("boundary"), Some("a;b"));
        let s = Structured::parse("image/jpeg; name=\"=?UTF-8?B?cmXDp3UuanBn?=\"");
        assert_eq!(s.param("name"), Some("reçu.jpg"));
    }

    #[test]
    fn addresses() {
        let a = Address::parse("\"Uber Receipts\" <noreply@uber.com>");
        assert_eq!(a.name.as_deref(), Some("Uber Receipts"));
        assert_eq!(a.domain().as_deref(), Some("uber.com"));
        assert_eq!(
            Address::parse("bob@example.org (Bob)").name.as_deref(),
            Some("Bob")
        );
        assert_eq!(
            Address::parse("bob@example.org").email.as_deref(),
            Some("bob@example.org")
        );
        assert_eq!(
            Address::parse("=?utf-8?q?M=C3=BCller?= <m@x.de>")
                .name
                .as_deref(),
            Some("Müller")
        );
        assert_eq!(Address::parse("").email, None);
    }
}
