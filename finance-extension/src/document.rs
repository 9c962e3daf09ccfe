//! Document text as lines, optionally with word boxes (the shape `ai.ocr`
//! returns), and its regrouping into visual rows: OCR often splits a label
//! and the amount right of it into two lines; rows put them back together.

use serde::{Deserialize, Serialize};

/// A word with its confidence and box `[x0, y0, x1, y1]` in pixels.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct Word {
    pub text: String,
    #[serde(default)]
    pub confidence: Option<f64>,
    #[serde(default)]
    pub bbox: Option<[f64; 4]>,
}

/// One line of text, with its box and words when OCR provided them.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
pub struct Line {
    pub text: String,
    #[serde(default)]
    pub confidence: Option<f64>,
    #[serde(default)]
    pub bbox: Option<[f64; 4]>,
    #[serde(default)]
    pub words: Vec<Word>,
}

/// One page of `ai.ocr` output (fields beyond these are ignored).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Page {
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub lines: Vec<Line>,
}

/// A document: lines in reading order.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Document {
    pub lines: Vec<Line>,
}

/// At most this many lines, of at most this many bytes, are considered (hostile input).
const MAX_LINES: usize = 5_000;
const MAX_LINE_BYTES: usize = 4_096;

fn clip(line: &str) -> String {
    let mut at = line.len().min(MAX_LINE_BYTES);
    while !line.is_char_boundary(at) {
        at -= 1;
    }
    line[..at].to_string()
}

impl Document {
    /// Plain text, one line per line.
    pub fn from_text(text: &str) -> Document {
        Document {
            lines: text
                .lines()
                .take(MAX_LINES)
                .map(|l| Line {
                    text: clip(l.trim()),
                    ..Line::default()
                })
                .filter(|l| !l.text.is_empty())
                .collect(),
        }
    }

    /// OCR lines, bounded like everything else (empty lines dropped, long ones clipped).
    pub fn from_lines(lines: Vec<Line>) -> Document {
        Document {
            lines: lines
                .into_iter()
                .filter(|l| !l.text.trim().is_empty())
                .take(MAX_LINES)
                .map(|mut l| {
                    l.text = clip(l.text.trim());
                    l.words.truncate(256);
                    l
                })
                .collect(),
        }
    }

    /// Pages of OCR output; a page without lines falls back to its text.
    pub fn from_pages(pages: &[Page]) -> Document {
        let mut lines = Vec::new();
        for page in pages {
            if page.lines.is_empty() {
                lines.extend(Document::from_text(&page.text).lines);
            } else {
                lines.extend(Document::from_lines(page.lines.clone()).lines);
            }
            if lines.len() >= MAX_LINES {
                lines.truncate(MAX_LINES);
                break;
            }
        }
        Document { lines }
    }

    /// Visual rows: lines whose boxes share a vertical band are joined left to
    /// right with ` | `; lines without boxes stay rows of their own. Order
    /// follows the first line of each row.
    pub fn rows(&self) -> Vec<String> {
        let mut rows: Vec<Row> = Vec::new();
        for line in &self.lines {
            let bbox = line.bbox.or_else(|| union(&line.words));
            let text = line.text.trim().to_string();
            let Some(b) = bbox.filter(|b| b[3] > b[1]) else {
                rows.push((None, vec![(0.0, text)]));
                continue;
            };
            // Only the last few rows can share a band (reading order is top-down).
            let start = rows.len().saturating_sub(6);
            let target = rows[start..]
                .iter()
                .position(|(rb, _)| rb.is_some_and(|r| same_band(&r, &b)));
            match target {
                Some(i) => {
                    let row = &mut rows[start + i];
                    if let Some(r) = row.0.as_mut() {
                        *r = [
                            r[0].min(b[0]),
                            r[1].min(b[1]),
                            r[2].max(b[2]),
                            r[3].max(b[3]),
                        ];
                    }
                    row.1.push((b[0], text));
                }
                None => rows.push((Some(b), vec![(b[0], text)])),
            }
        }
        rows.into_iter()
            .map(|(_, mut cells)| {
                cells.sort_by(|a, b| a.0.total_cmp(&b.0));
                cells
                    .into_iter()
                    .map(|(_, t)| t)
                    .collect::<Vec<_>>()
                    .join(" | ")
            })
            .collect()
    }

    /// All text, one row per line.
    pub fn text(&self) -> String {
        self.rows().join("\n")
    }
}

/// A row being built: its box (if any) and its cells with their left edges.
type Row = (Option<[f64; 4]>, Vec<(f64, String)>);

fn union(words: &[Word]) -> Option<[f64; 4]> {
    words.iter().filter_map(|w| w.bbox).reduce(|a, b| {
        [
            a[0].min(b[0]),
            a[1].min(b[1]),
            a[2].max(b[2]),
            a[3].max(b[3]),
        ]
    })
}

/// Two boxes in one band: their vertical overlap is at least half the smaller height.
fn same_band(a: &[f64; 4], b: &[f64; 4]) -> bool {
    let overlap = a[3].min(b[3]) - a[1].max(b[1]);
    let smaller = (a[3] - a[1]).min(b[3] - b[1]);
    smaller > 0.0 && overlap >= smaller * 0.5 && (a[2] <= b[0] + 1.0 || b[2] <= a[0] + 1.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(text: &str, b: [f64; 4]) -> Line {
        Line {
            text: text.into(),
            bbox: Some(b),
            ..Line::default()
        }
    }

    #[test]
    fn label_and_amount_on_one_row() {
        let doc = Document {
            lines: vec![
                line("ACME SDN BHD", [100.0, 10.0, 400.0, 40.0]),
                line("TOTAL", [20.0, 500.0, 120.0, 530.0]),
                line("12.50", [400.0, 503.0, 480.0, 532.0]),
                line("CASH", [20.0, 540.0, 100.0, 570.0]),
            ],
        };
        assert_eq!(doc.rows(), vec!["ACME SDN BHD", "TOTAL | 12.50", "CASH"]);
    }

    #[test]
    fn words_give_the_box_and_text_only_lines_stay() {
        let doc = Document {
            lines: vec![
                Line {
                    text: "Total".into(),
                    words: vec![Word {
                        text: "Total".into(),
                        confidence: None,
                        bbox: Some([0.0, 0.0, 50.0, 10.0]),
                    }],
                    ..Line::default()
                },
                Line {
                    text: "9.99".into(),
                    words: vec![Word {
                        text: "9.99".into(),
                        confidence: None,
                        bbox: Some([200.0, 1.0, 240.0, 11.0]),
                    }],
                    ..Line::default()
                },
                Line {
                    text: "no box".into(),
                    ..Line::default()
                },
            ],
        };
        assert_eq!(doc.rows(), vec!["Total | 9.99", "no box"]);
    }
}
