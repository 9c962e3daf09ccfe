//! Splitting an mbox file into messages: a message starts at a `From ` line at
//! the start of the file or after a blank line (mboxrd/mboxo); `>From ` lines
//! inside are unescaped by one level.

/// Byte ranges of each message in `data` (the `From ` separator line excluded).
pub fn ranges(data: &[u8]) -> Vec<std::ops::Range<usize>> {
    let mut starts = Vec::new();
    let mut pos = 0;
    let mut prev_blank = true;
    while pos < data.len() {
        let end = data[pos..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(data.len(), |i| pos + i + 1);
        let line = &data[pos..end];
        if prev_blank && line.starts_with(b"From ") {
            starts.push((pos, end));
        }
        prev_blank = line == b"\n" || line == b"\r\n";
        pos = end;
    }
    let mut out = Vec::with_capacity(starts.len());
    for (i, &(_, body)) in starts.iter().enumerate() {
        let next = starts.get(i + 1).map_or(data.len(), |&(s, _)| s);
        // The blank line before the next separator belongs to the format.
        let mut end = next;
        if i + 1 < starts.len() {
            if data[..end].ends_with(b"\r\n") {
                end -= 2;
            } else if data[..end].ends_with(b"\n") {
                end -= 1;
            }
        }
        out.push(body..end.max(body));
    }
    if out.is_empty() && !data.iter().all(u8::is_ascii_whitespace) {
        // Not an mbox: one message.
        out.push(0..data.len());
    }
    out
}

/// One message of an mbox with `>From ` (and `>>From ` ...) unescaped once.
pub fn unescape(message: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(message.len());
    let mut pos = 0;
    while pos < message.len() {
        let end = message[pos..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(message.len(), |i| pos + i + 1);
        let line = &message[pos..end];
        let quotes = line.iter().take_while(|&&b| b == b'>').count();
        if quotes > 0 && line[quotes..].starts_with(b"From ") {
            out.extend_from_slice(&line[1..]);
        } else {
            out.extend_from_slice(line);
        }
        pos = end;
    }
    out
}

/// Every message of an mbox, unescaped.
pub fn split(data: &[u8]) -> Vec<Vec<u8>> {
    ranges(data)
        .into_iter()
        .map(|r| unescape(&data[r]))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_and_unescapes() {
        let data = b"From a@b Tue Mar  5 10:00:00 2024\nSubject: one\n\nhello\n>From here\n\nFrom c@d Wed Mar  6 10:00:00 2024\nSubject: two\n\nbye\n";
        let msgs = split(data);
        assert_eq!(msgs.len(), 2);
        assert_eq!(msgs[0], b"Subject: one\n\nhello\nFrom here\n");
        assert_eq!(msgs[1], b"Subject: two\n\nbye\n");
    }

    #[test]
    fn from_inside_a_paragraph_does_not_split() {
        let data = b"From x Tue\nSubject: a\n\nline\nFrom me, with love\n";
        assert_eq!(split(data).len(), 1);
    }

    #[test]
    fn not_an_mbox_is_one_message() {
        assert_eq!(split(b"Subject: x\n\nbody").len(), 1);
        assert!(split(b"  \n").is_empty());
    }
}
