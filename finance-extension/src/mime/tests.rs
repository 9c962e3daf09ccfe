use super::*;

fn msg(s: &str) -> Message {
    parse(s.replace('\n', "\r\n").as_bytes())
}

#[test]
fn alternative_prefers_plain_unless_stub() {
    let m = msg(
        "Content-Type: multipart/alternative; boundary=x\n\n--x\nContent-Type: text/plain\n\nPlain receipt text that is long enough to be the real body of this mail.\n--x\nContent-Type: text/html\n\n<p>HTML</p>\n--x--\n",
    );
    assert!(m.body_text().starts_with("Plain receipt"));
    let m = msg(
        "Content-Type: multipart/alternative; boundary=x\n\n--x\nContent-Type: text/plain\n\nSee HTML.\n--x\nContent-Type: text/html\n\n<table><tr><td>Total</td><td>$5.00</td></tr></table>\n--x--\n",
    );
    assert_eq!(m.body_text().trim(), "Total | $5.00");
}

#[test]
fn related_mixed_nested_with_attachments() {
    let m = msg(concat!(
        "Content-Type: multipart/mixed; boundary=\"outer\"\n\n",
        "preamble\n--outer\nContent-Type: multipart/related; boundary=\"rel\"\n\n",
        "--rel\nContent-Type: multipart/alternative; boundary=\"alt\"\n\n",
        "--alt\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: quoted-printable\n\n",
        "Caf=C3=A9 receipt, long enough to count as a real plain text body here.\n--alt\nContent-Type: text/html\n\n<p>x</p>\n--alt--\n",
        "--rel\nContent-Type: image/png\nContent-ID: <logo@x>\nContent-Transfer-Encoding: base64\n\niVBORw0KGgo=\n--rel--\n",
        "--outer\nContent-Type: application/pdf\nContent-Disposition: attachment; filename=\"=?utf-8?q?Rechnung_M=C3=A4rz.pdf?=\"\nContent-Transfer-Encoding: BASE64\n\nJVBERi0xLjQK\n",
        "--outer--\nepilogue\n"
    ));
    assert!(m.body_text().starts_with("Café receipt"));
    let atts = m.attachments();
    assert_eq!(atts.len(), 2);
    assert_eq!(atts[0].content_id.as_deref(), Some("logo@x"));
    assert_eq!(atts[0].body, b"\x89PNG\r\n\x1a\n");
    assert_eq!(atts[1].filename.as_deref(), Some("Rechnung März.pdf"));
    assert_eq!(atts[1].body, b"%PDF-1.4\n");
}

#[test]
fn missing_boundary_parameter_and_closing_line() {
    let m = msg(
        "Content-Type: multipart/mixed\n\n--abc123def\nContent-Type: text/plain\n\nfirst part\n--abc123def\nContent-Type: text/plain\n\nsecond part\n",
    );
    let text = m.body_text();
    assert!(
        text.contains("first part") && text.contains("second part"),
        "{text}"
    );
    assert!(m.warnings.iter().any(|w| w.contains("closing")));
    let m = msg("Content-Type: multipart/mixed; boundary=nowhere\n\njust text\n");
    assert!(m.body_text().contains("just text"));
}

#[test]
fn attached_message_is_parsed_and_is_the_forward() {
    let m = msg(
        "Subject: Fwd: receipt\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nsee below\n--b\nContent-Type: message/rfc822\n\nFrom: Shop <s@shop.example>\nSubject: =?utf-8?b?UmVjZWlwdA==?=\nDate: Mon, 4 Mar 2024 10:00:00 +0000\n\nTotal 3.00\n--b--\n",
    );
    let inner = m.forwarded().expect("forward");
    assert_eq!(inner.subject().as_deref(), Some("Receipt"));
    assert_eq!(inner.from().domain().as_deref(), Some("shop.example"));
    assert!(m.body_text().contains("Total 3.00"));
}

#[test]
fn no_headers_broken_headers_and_odd_types() {
    let m = parse(b"hello there, no headers at all");
    assert!(m.body_text().contains("hello there"));
    let m = parse(
        b"From: a@b\nContent-Type: text\nContent-Transfer-Encoding: quoted-printable\n\nx=3Dy",
    );
    assert_eq!(m.body_text().trim(), "x=y");
    let m = parse(b"Subject: only headers");
    assert_eq!(m.subject().as_deref(), Some("only headers"));
    assert!(m.body_text().is_empty());
}

#[test]
fn limits_bound_hostile_nesting_and_part_counts() {
    let mut deep = String::new();
    for i in 0..200 {
        deep.push_str(&format!(
            "Content-Type: multipart/mixed; boundary=b{i}\n\n--b{i}\n"
        ));
    }
    deep.push_str("Content-Type: text/plain\n\nbottom\n");
    let m = parse(deep.as_bytes());
    assert!(m.warnings.iter().any(|w| w.contains("limit")));
    let mut wide = String::from("Content-Type: multipart/mixed; boundary=w\n\n");
    for _ in 0..5000 {
        wide.push_str("--w\n\nx\n");
    }
    let m = parse(wide.as_bytes());
    let mut parts = 0;
    walk(&m.root, &mut |_| parts += 1);
    assert!(parts <= Limits::default().max_parts + 1, "{parts}");
    let small = Limits {
        max_input_bytes: 10,
        ..Limits::default()
    };
    assert!(
        parse_with(b"Subject: 0123456789abcdef\n\nbody", small)
            .warnings
            .iter()
            .any(|w| w.contains("truncated"))
    );
}

#[test]
fn charset_of_each_part() {
    let m = msg(
        "Content-Type: multipart/mixed; boundary=c\n\n--c\nContent-Type: text/plain; charset=windows-1252\n\nPreis: 5\u{0}\n--c--\n",
    );
    let _ = m.body_text();
    let raw = b"Content-Type: text/plain; charset=iso-8859-2\r\n\r\nZa\xbf\xf3\xb3\xe6";
    assert_eq!(parse(raw).body_text().trim(), "Zażółć");
}
