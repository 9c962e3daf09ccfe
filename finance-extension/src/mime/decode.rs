//! Transfer encodings (quoted-printable, base64) and charsets, all tolerant:
//! real mail carries junk, truncation and wrong labels, and none of it may panic.

use encoding_rs::Encoding;

/// Decodes quoted-printable. Soft line breaks (`=` at a line end, trailing
/// blanks allowed) are removed; a malformed `=XY` is kept literally, as most
/// mail readers do.
pub fn quoted_printable(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len());
    let mut i = 0;
    while i < input.len() {
        let b = input[i];
        if b != b'=' {
            out.push(b);
            i += 1;
            continue;
        }
        // Soft break: "=" then optional blanks then CRLF / LF (or end of input).
        let mut j = i + 1;
        while j < input.len() && (input[j] == b' ' || input[j] == b'\t') {
            j += 1;
        }
        if j >= input.len() {
            i = j;
            continue;
        }
        if input[j] == b'\n' {
            i = j + 1;
            continue;
        }
        if input[j] == b'\r' {
            i = if input.get(j + 1) == Some(&b'\n') {
                j + 2
            } else {
                j + 1
            };
            continue;
        }
        match (
            input.get(i + 1).and_then(|&h| hex(h)),
            input.get(i + 2).and_then(|&l| hex(l)),
        ) {
            (Some(h), Some(l)) => {
                out.push((h << 4) | l);
                i += 3;
            }
            _ => {
                out.push(b'=');
                i += 1;
            }
        }
    }
    out
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

fn b64_value(b: u8) -> Option<u8> {
    match b {
        b'A'..=b'Z' => Some(b - b'A'),
        b'a'..=b'z' => Some(b - b'a' + 26),
        b'0'..=b'9' => Some(b - b'0' + 52),
        b'+' | b'-' => Some(62),
        b'/' | b'_' => Some(63),
        _ => None,
    }
}

/// Decodes base64 in both alphabets (standard and URL-safe, as Gmail's `raw`
/// uses), skipping anything outside them (line breaks, junk) and stopping at
/// the first `=`. A dangling partial group yields the bytes it completes.
pub fn base64(input: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(input.len() / 4 * 3 + 3);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for &b in input {
        if b == b'=' {
            break;
        }
        let Some(v) = b64_value(b) else { continue };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    out
}

/// Applies a Content-Transfer-Encoding by name; unknown names pass through.
pub fn transfer(encoding: &str, body: &[u8]) -> Vec<u8> {
    match encoding.trim().to_ascii_lowercase().as_str() {
        "quoted-printable" | "quoted_printable" | "qp" => quoted_printable(body),
        "base64" | "base-64" => base64(body),
        _ => body.to_vec(),
    }
}

/// The encoding a charset label names: WHATWG labels via encoding_rs, plus the
/// aliases mail uses that the web does not (`cp1252`, `latin1`, `utf8` ...).
pub fn encoding_for(label: &str) -> Option<&'static Encoding> {
    let label = label.trim().trim_matches('"').to_ascii_lowercase();
    if let Some(e) = Encoding::for_label(label.as_bytes()) {
        return Some(e);
    }
    let alias = match label.as_str() {
        "utf8" | "utf-8-sig" => "utf-8",
        "cp1252" | "win-1252" | "windows1252" | "latin-1" | "iso8859-1" | "iso_8859_1"
        | "cp819" => "windows-1252",
        "cp1250" | "windows1250" => "windows-1250",
        "cp1251" | "windows1251" => "windows-1251",
        "iso8859-15" | "latin9" | "latin-9" => "iso-8859-15",
        "iso8859-2" | "latin2" | "latin-2" => "iso-8859-2",
        "sjis" | "cp932" | "ms932" | "shift-jis" | "x-sjis" => "shift_jis",
        "cp936" | "gb2312-80" => "gbk",
        "ks_c_5601-1987" | "cp949" | "uhc" => "euc-kr",
        "big5-hkscs" | "cp950" => "big5",
        "ascii" | "ansi_x3.4-1968" | "us_ascii" => "windows-1252",
        "unicode-1-1-utf-7" | "utf-7" => return None,
        _ => {
            if let Some(rest) = label.strip_prefix("iso8859") {
                return Encoding::for_label(format!("iso-8859{rest}").as_bytes());
            }
            return None;
        }
    };
    Encoding::for_label(alias.as_bytes())
}

/// Decodes bytes to text. With no usable label: UTF-8 when the bytes are valid
/// UTF-8, else windows-1252 (the usual truth behind unlabelled 8-bit mail).
/// A label that claims ASCII/Latin-1 over valid multi-byte UTF-8 loses to UTF-8.
pub fn to_text(bytes: &[u8], charset: Option<&str>) -> String {
    let labelled = charset.and_then(encoding_for);
    let valid_utf8 = std::str::from_utf8(bytes).is_ok();
    let encoding = match labelled {
        Some(e) if e == encoding_rs::WINDOWS_1252 && valid_utf8 && !bytes.is_ascii() => {
            encoding_rs::UTF_8
        }
        Some(e) => e,
        None if valid_utf8 => encoding_rs::UTF_8,
        None => encoding_rs::WINDOWS_1252,
    };
    let (text, _, _) = encoding.decode(bytes);
    text.into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_printable_soft_breaks_and_junk() {
        assert_eq!(
            quoted_printable(b"Gesamt: 12,50 =E2=82=AC=\r\nweiter"),
            "Gesamt: 12,50 €weiter".as_bytes()
        );
        assert_eq!(quoted_printable(b"a=  \nb"), b"ab");
        assert_eq!(quoted_printable(b"100=ZZ =3d"), b"100=ZZ =");
        assert_eq!(quoted_printable(b"end="), b"end");
    }

    #[test]
    fn base64_with_junk_and_both_alphabets() {
        assert_eq!(base64(b"SGVs\r\nbG8g\n d29y bGQ=junk"), b"Hello world");
        assert_eq!(base64(b"-_8"), vec![0xfb, 0xff]);
        assert_eq!(base64(b"SGVsbG8"), b"Hello");
        assert!(base64(b"!!!").is_empty());
    }

    #[test]
    fn charsets() {
        assert_eq!(to_text(b"Caf\xe9 5\x80", Some("iso-8859-1")), "Café 5€");
        assert_eq!(to_text(b"Caf\xe9", None), "Café");
        assert_eq!(to_text("Café".as_bytes(), Some("us-ascii")), "Café");
        assert_eq!(to_text(b"\x82\xa0", Some("Shift_JIS")), "あ");
        assert_eq!(to_text(b"\xea", Some("iso8859-15")), "ê");
        assert_eq!(to_text(b"\xa4", Some("latin9")), "€");
        assert_eq!(to_text(b"ok", Some("x-unknown")), "ok");
        assert_eq!(to_text(b"\xc4\x85", Some("cp1250")), "Ä…");
    }
}
