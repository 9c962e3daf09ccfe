//! A tolerant HTML-to-text for mail bodies (no DOM; html5ever is not
//! available to the wasm build). Script, style, head and hidden elements
//! (`display:none`, `hidden`, `mso-hide:all`) are skipped; blocks become line
//! breaks; a table row becomes one line with cells joined by ` | `, so
//! "Total | $12.50" stays together; entities are decoded; whitespace collapses.
//!
//! ```
//! let text = finance_extension::html::to_text("<table><tr><td>Total</td><td>&euro;12,50</td></tr></table>");
//! assert_eq!(text.trim(), "Total | €12,50");
//! ```

/// Elements whose content is never text.
const SKIP: &[&str] = &[
    "script", "style", "head", "title", "template", "noscript", "svg", "object", "iframe", "xml",
];
const VOID: &[&str] = &[
    "br", "img", "hr", "meta", "link", "input", "col", "area", "base", "wbr", "source", "embed",
    "param", "track",
];
const BLOCK: &[&str] = &[
    "p",
    "div",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "table",
    "tbody",
    "thead",
    "tfoot",
    "tr",
    "blockquote",
    "pre",
    "section",
    "article",
    "header",
    "footer",
    "address",
    "center",
    "dl",
    "dt",
    "dd",
    "form",
    "fieldset",
    "caption",
    "main",
    "nav",
    "aside",
    "figure",
    "figcaption",
    "hr",
    "br",
];
/// Output is cut here: a mail body has no business being larger.
const MAX_OUTPUT: usize = 2 * 1024 * 1024;

struct Open {
    name: String,
    hidden: bool,
}

struct Writer {
    out: String,
    /// A tag stood between the last text and the next.
    boundary: bool,
    line_has_text: bool,
    pending_space: bool,
    row_cells: usize,
}

impl Writer {
    fn text(&mut self, s: &str, pre: bool) {
        for c in s.chars() {
            let c = if c == '\u{a0}' || c == '\u{202f}' || c == '\u{2007}' {
                ' '
            } else {
                c
            };
            if c == '\u{200b}'
                || c == '\u{200c}'
                || c == '\u{feff}'
                || c == '\u{ad}'
                || c == '\u{34f}'
            {
                continue;
            }
            if pre && c == '\n' {
                self.newline();
                continue;
            }
            if c.is_whitespace() {
                if self.line_has_text {
                    self.pending_space = true;
                }
                continue;
            }
            if self.boundary && !self.pending_space && self.line_has_text {
                // "<span>Total</span><span>12.50</span>" reads "Total 12.50", not "Total12.50".
                if let Some(prev) = self.out.chars().next_back()
                    && prev.is_alphanumeric()
                    && c.is_alphanumeric()
                    && prev.is_alphabetic() != c.is_alphabetic()
                {
                    self.pending_space = true;
                }
            }
            self.boundary = false;
            if self.pending_space {
                self.out.push(' ');
                self.pending_space = false;
            }
            self.out.push(c);
            self.line_has_text = true;
        }
    }

    fn newline(&mut self) {
        if self.line_has_text {
            self.out.push('\n');
        }
        self.line_has_text = false;
        self.pending_space = false;
        self.row_cells = 0;
    }

    fn cell(&mut self) {
        if self.line_has_text && !self.out.ends_with(" | ") {
            self.out.push_str(" | ");
            self.pending_space = false;
        }
        self.row_cells += 1;
    }
}

/// Converts an HTML document or fragment to text lines.
pub fn to_text(html: &str) -> String {
    let mut w = Writer {
        out: String::new(),
        boundary: false,
        line_has_text: false,
        pending_space: false,
        row_cells: 0,
    };
    let mut stack: Vec<Open> = Vec::new();
    let mut hidden_depth = 0usize;
    let mut skip_until: Option<String> = None;
    let mut pre = 0usize;
    let mut list_stack: Vec<(bool, u32)> = Vec::new();
    let mut i = 0;
    let bytes = html.as_bytes();
    while i < bytes.len() && w.out.len() < MAX_OUTPUT {
        if let Some(name) = &skip_until {
            // Raw text until the matching end tag.
            let close = format!("</{name}");
            match find_ci(&html[i..], &close) {
                Some(at) => {
                    i += at;
                    skip_until = None;
                }
                None => break,
            }
            continue;
        }
        if bytes[i] != b'<' {
            let next = html[i..].find('<').map_or(html.len(), |n| i + n);
            if hidden_depth == 0 {
                w.text(&decode_entities(&html[i..next]), pre > 0);
            }
            i = next;
            continue;
        }
        let rest = &html[i..];
        if rest.starts_with("<!--") {
            i += rest.find("-->").map_or(rest.len(), |e| e + 3);
            continue;
        }
        if rest.starts_with("<!") || rest.starts_with("<?") {
            i += rest.find('>').map_or(rest.len(), |e| e + 1);
            continue;
        }
        let Some(tag) = parse_tag(rest) else {
            // A lone '<' is text.
            if hidden_depth == 0 {
                w.text("<", pre > 0);
            }
            i += 1;
            continue;
        };
        i += tag.len;
        w.boundary = true;
        let name = tag.name.as_str();
        if tag.closing {
            if let Some(at) = stack.iter().rposition(|o| o.name == name) {
                for o in stack.drain(at..) {
                    if o.hidden {
                        hidden_depth -= 1;
                    }
                    if o.name == "pre" {
                        pre = pre.saturating_sub(1);
                    }
                    if o.name == "ul" || o.name == "ol" {
                        list_stack.pop();
                    }
                }
            }
            if hidden_depth == 0 && (BLOCK.contains(&name) || name == "td" || name == "th") {
                if name == "td" || name == "th" {
                    // The separator goes before the next cell.
                } else {
                    w.newline();
                }
            }
            continue;
        }
        if SKIP.contains(&name) && !tag.self_closing {
            skip_until = Some(name.to_string());
            continue;
        }
        if hidden_depth == 0 {
            match name {
                "br" => w.newline(),
                "td" | "th" => w.cell(),
                "li" => {
                    w.newline();
                    let marker = match list_stack.last_mut() {
                        Some((true, n)) => {
                            *n += 1;
                            format!("{n}. ")
                        }
                        _ => "- ".to_string(),
                    };
                    w.text(&marker, false);
                    w.pending_space = true;
                }
                "img" => {}
                _ if BLOCK.contains(&name) => w.newline(),
                _ if tag.layout == 1 => w.cell(),
                _ if tag.layout == 2 => w.newline(),
                _ => {}
            }
        }
        if VOID.contains(&name) || tag.self_closing {
            continue;
        }
        // Implicit closes HTML allows: a new cell closes the open cell, a new
        // row the open row, a new p/li the open one.
        let implicit: &[&str] = match name {
            "td" | "th" => &["td", "th"],
            "tr" => &["tr", "td", "th"],
            "li" => &["li"],
            "p" => &["p"],
            "option" => &["option"],
            _ => &[],
        };
        if !implicit.is_empty() {
            let fence = ["table", "tr", "ul", "ol"];
            if let Some(at) = stack.iter().rposition(|o| {
                implicit.contains(&o.name.as_str()) || fence.contains(&o.name.as_str())
            }) && implicit.contains(&stack[at].name.as_str())
                && !(name == "td" && stack[at].name == "tr")
            {
                for o in stack.drain(at..) {
                    if o.hidden {
                        hidden_depth -= 1;
                    }
                }
            }
        }
        let hidden = tag.hidden;
        if hidden {
            hidden_depth += 1;
        }
        if name == "pre" {
            pre += 1;
        }
        if name == "ul" || name == "ol" {
            list_stack.push((name == "ol", 0));
        }
        if stack.len() < 512 {
            stack.push(Open {
                name: name.to_string(),
                hidden,
            });
        } else if hidden {
            hidden_depth -= 1;
        }
    }
    w.newline();
    // Collapse runs of blank lines and trim each line.
    let mut out = String::with_capacity(w.out.len());
    for line in w.out.lines() {
        let line = line.trim();
        let line = line.trim_start_matches("| ").trim_end_matches(" |");
        if !line.is_empty() {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

fn find_ci(hay: &str, needle: &str) -> Option<usize> {
    let h = hay.as_bytes();
    let n = needle.as_bytes();
    if n.is_empty() || h.len() < n.len() {
        return None;
    }
    (0..=h.len() - n.len()).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

struct Tag {
    name: String,
    /// Laid out apart from its neighbours by CSS: 1 = beside (float, inline-block), 2 = below (block, flex).
    layout: u8,
    closing: bool,
    self_closing: bool,
    hidden: bool,
    len: usize,
}

fn parse_tag(s: &str) -> Option<Tag> {
    let b = s.as_bytes();
    let mut i = 1;
    let closing = b.get(1) == Some(&b'/');
    if closing {
        i += 1;
    }
    let start = i;
    while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'-' || b[i] == b':') {
        i += 1;
    }
    if i == start || !b[start].is_ascii_alphabetic() {
        return None;
    }
    let name = s[start..i].to_ascii_lowercase();
    // Attributes up to '>' outside quotes.
    let attr_start = i;
    let mut quote: Option<u8> = None;
    while i < b.len() {
        match (quote, b[i]) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, b'"') | (None, b'\'') => quote = Some(b[i]),
            (None, b'>') => break,
            _ => {}
        }
        i += 1;
    }
    let attrs = &s[attr_start..i.min(s.len())];
    let len = (i + 1).min(s.len());
    let self_closing = attrs.trim_end().ends_with('/');
    let lower = attrs.to_ascii_lowercase();
    let compact: String = lower.chars().filter(|c| !c.is_whitespace()).collect();
    let hidden = !closing
        && (compact.contains("display:none")
            || compact.contains("mso-hide:all")
            || compact.contains("visibility:hidden")
            || has_bare_attr(&lower, "hidden")
            || compact.contains("aria-hidden=\"true\"") && compact.contains("max-height:0"));
    let layout = if compact.contains("float:left")
        || compact.contains("float:right")
        || compact.contains("display:inline-block")
        || compact.contains("display:table-cell")
    {
        1
    } else if compact.contains("display:block")
        || compact.contains("display:flex")
        || compact.contains("display:table-row")
    {
        2
    } else {
        0
    };
    Some(Tag {
        name,
        closing,
        self_closing,
        hidden,
        len,
        layout,
    })
}

fn has_bare_attr(attrs: &str, name: &str) -> bool {
    // Very rough: " hidden" as an attribute, not inside a value like class="x-hidden".
    let mut quoted = None;
    let b = attrs.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match quoted {
            Some(q) if b[i] == q => quoted = None,
            Some(_) => {}
            None if b[i] == b'"' || b[i] == b'\'' => quoted = Some(b[i]),
            None if b[i..].starts_with(name.as_bytes())
                && i > 0
                && b[i - 1].is_ascii_whitespace() =>
            {
                let after = b.get(i + name.len()).copied();
                if matches!(
                    after,
                    None | Some(b' ') | Some(b'=') | Some(b'/') | Some(b'\t') | Some(b'\n')
                ) {
                    return true;
                }
            }
            None => {}
        }
        i += 1;
    }
    false
}

/// Decodes named (the common ones) and numeric character references. Unknown
/// or malformed references stay as written.
pub fn decode_entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let end = rest[1..]
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '#'))
            .map_or(rest.len(), |e| e + 1);
        let name = &rest[1..end];
        let has_semi = rest[end..].starts_with(';');
        let decoded = if let Some(num) = name.strip_prefix('#') {
            let code = if let Some(hex) = num.strip_prefix(['x', 'X']) {
                u32::from_str_radix(hex, 16).ok()
            } else {
                num.parse::<u32>().ok()
            };
            code.map(|c| match c {
                // Windows-1252 code points written as numeric references.
                0x80 => '€',
                0x96 => '–',
                0x97 => '—',
                0x92 => '\'',
                _ => char::from_u32(c).unwrap_or('\u{fffd}'),
            })
            .map(String::from)
        } else {
            named(name).map(str::to_string)
        };
        match decoded {
            Some(d) if has_semi || name.len() <= 6 => {
                out.push_str(&d);
                rest = &rest[end + usize::from(has_semi)..];
            }
            _ => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

fn named(name: &str) -> Option<&'static str> {
    Some(match name {
        "amp" | "AMP" => "&",
        "lt" | "LT" => "<",
        "gt" | "GT" => ">",
        "quot" | "QUOT" => "\"",
        "apos" => "'",
        "nbsp" | "NBSP" | "ensp" | "emsp" | "thinsp" => " ",
        "euro" => "€",
        "pound" => "£",
        "yen" => "¥",
        "cent" => "¢",
        "curren" => "¤",
        "copy" => "©",
        "reg" => "®",
        "trade" => "™",
        "mdash" => "—",
        "ndash" => "–",
        "minus" => "−",
        "hellip" => "…",
        "laquo" => "«",
        "raquo" => "»",
        "lsquo" => "‘",
        "rsquo" => "’",
        "ldquo" => "“",
        "rdquo" => "”",
        "sbquo" => "‚",
        "bdquo" => "„",
        "bull" => "•",
        "middot" => "·",
        "times" => "×",
        "divide" => "÷",
        "deg" => "°",
        "plusmn" => "±",
        "sect" => "§",
        "para" => "¶",
        "iexcl" => "¡",
        "iquest" => "¿",
        "ordf" => "ª",
        "ordm" => "º",
        "shy" | "zwnj" | "zwj" | "lrm" | "rlm" => "",
        "auml" => "ä",
        "ouml" => "ö",
        "uuml" => "ü",
        "Auml" => "Ä",
        "Ouml" => "Ö",
        "Uuml" => "Ü",
        "szlig" => "ß",
        "aacute" => "á",
        "eacute" => "é",
        "iacute" => "í",
        "oacute" => "ó",
        "uacute" => "ú",
        "Aacute" => "Á",
        "Eacute" => "É",
        "Iacute" => "Í",
        "Oacute" => "Ó",
        "Uacute" => "Ú",
        "agrave" => "à",
        "egrave" => "è",
        "igrave" => "ì",
        "ograve" => "ò",
        "ugrave" => "ù",
        "Agrave" => "À",
        "Egrave" => "È",
        "acirc" => "â",
        "ecirc" => "ê",
        "icirc" => "î",
        "ocirc" => "ô",
        "ucirc" => "û",
        "euml" => "ë",
        "iuml" => "ï",
        "yuml" => "ÿ",
        "ccedil" => "ç",
        "Ccedil" => "Ç",
        "ntilde" => "ñ",
        "Ntilde" => "Ñ",
        "atilde" => "ã",
        "otilde" => "õ",
        "aring" => "å",
        "Aring" => "Å",
        "aelig" => "æ",
        "AElig" => "Æ",
        "oslash" => "ø",
        "Oslash" => "Ø",
        "oelig" => "œ",
        "rarr" => "→",
        "larr" => "←",
        "check" => "✓",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_rows_to_lines() {
        let html = "<table><tr><td>Subtotal</td><td>$10.00</td></tr><tr><td><b>Total</b></td><td align=right>$12.50</td></tr></table>";
        assert_eq!(to_text(html), "Subtotal | $10.00\nTotal | $12.50\n");
    }

    #[test]
    fn unclosed_cells_and_nested_layout_tables() {
        let html = "<table><tr><td><table><tr><td>Item<td>1 x Latte<td>4,50 €</table><tr><td>Summe<td>4,50&nbsp;€</table>";
        let text = to_text(html);
        assert!(text.contains("Item | 1 x Latte | 4,50 €"), "{text}");
        assert!(text.contains("Summe | 4,50 €"), "{text}");
    }

    #[test]
    fn skips_hidden_script_style_head() {
        let html = "<html><head><title>t</title><style>td{color:red}</style></head><body>\
            <div style=\"display: none; max-height:0\">preheader 50% off</div>\
            <script>var x = '<p>no</p>';</script><p>Thanks&nbsp;for your order</p><span hidden>secret</span>\
            <!-- comment <p>x</p> --><p>Total&#58; &#x20AC;3&comma</p></body></html>";
        let text = to_text(html);
        assert_eq!(text, "Thanks for your order\nTotal: €3&comma\n");
    }

    #[test]
    fn lists_breaks_and_links() {
        let html = "<ul><li>One<li>Two</ul><ol><li>A</li><li>B</li></ol>x<br>y <a href='http://e'>View&nbsp;receipt</a>";
        assert_eq!(
            to_text(html),
            "- One\n- Two\n1. A\n2. B\nx\ny View receipt\n"
        );
    }

    #[test]
    fn adjacent_inline_elements_keep_words_and_numbers_apart() {
        assert_eq!(
            to_text("<span>Grand total</span><span>207.07 CAD</span>"),
            "Grand total 207.07 CAD\n"
        );
        assert_eq!(to_text("<b>T</b>otal <i>12</i>.50"), "Total 12.50\n");
    }

    #[test]
    fn floats_and_css_blocks_separate_text() {
        assert_eq!(
            to_text("<div>TOTAL<span style=\"float:right\">Fr. 30,10</span></div>"),
            "TOTAL | Fr. 30,10\n"
        );
        assert_eq!(
            to_text("<span>a</span><span style='display: block'>b</span>"),
            "a\nb\n"
        );
    }

    #[test]
    fn entities() {
        assert_eq!(
            decode_entities("&lt;&amp;&gt; &eacute;&#233;&#xE9; &bogus; &amp"),
            "<&> ééé &bogus; &"
        );
        assert_eq!(decode_entities("AT&T"), "AT&T");
    }

    #[test]
    fn broken_markup_does_not_lose_text() {
        assert_eq!(to_text("a < b and <b>c</i> d"), "a < b and c d\n");
        assert_eq!(to_text("<p>unterminated <b"), "unterminated\n");
        assert_eq!(to_text("<script>never closed"), "");
    }
}
