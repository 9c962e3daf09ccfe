//! The CSV ledger: RFC 4180 (CRLF line ends, quotes where needed) with cells
//! made safe against formula injection (a leading `=`, `+`, `-`, `@`, tab or CR
//! gets a `'` in front, except plain numbers such as `-5.00`).
//!
//! ```
//! use finance_extension::ledger::{Row, write};
//! let row = Row { vendor: "=HYPERLINK(\"x\")".into(), total: "12.50".into(), ..Row::default() };
//! let csv = String::from_utf8(write(&[row]).unwrap()).unwrap();
//! assert!(csv.starts_with("Date,Vendor,Category,Amount,Tax,Total,Currency,Description,Source\r\n"));
//! assert!(csv.contains("\"'=HYPERLINK(\"\"x\"\")\""));
//! ```

use serde::Serialize;

/// The columns, in order.
pub const HEADER: [&str; 9] = [
    "Date",
    "Vendor",
    "Category",
    "Amount",
    "Tax",
    "Total",
    "Currency",
    "Description",
    "Source",
];

/// One ledger line; amounts as decimal strings in major units.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Row {
    pub date: String,
    pub vendor: String,
    pub category: String,
    pub amount: String,
    pub tax: String,
    pub total: String,
    pub currency: String,
    pub description: String,
    pub source: String,
}

/// Makes a cell safe to open in a spreadsheet.
pub fn safe_cell(cell: &str) -> String {
    let plain_number = {
        let t = cell.strip_prefix('-').unwrap_or(cell);
        !t.is_empty()
            && t.chars().all(|c| c.is_ascii_digit() || c == '.')
            && t.chars().filter(|&c| c == '.').count() <= 1
            && t != "."
    };
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') if !plain_number => format!("'{cell}"),
        _ => cell.to_string(),
    }
}

/// Writes the header and rows as CSV bytes.
pub fn write(rows: &[Row]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    w.write_record(HEADER)?;
    for r in rows {
        let cells = [
            &r.date,
            &r.vendor,
            &r.category,
            &r.amount,
            &r.tax,
            &r.total,
            &r.currency,
            &r.description,
            &r.source,
        ];
        w.write_record(cells.iter().map(|c| safe_cell(c)))?;
    }
    w.into_inner()
        .map_err(|e| csv::Error::from(std::io::Error::other(e.to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn injection_and_quoting() {
        assert_eq!(safe_cell("=1+1"), "'=1+1");
        assert_eq!(safe_cell("+49 30"), "'+49 30");
        assert_eq!(safe_cell("@SUM(A1)"), "'@SUM(A1)");
        assert_eq!(safe_cell("\tx"), "'\tx");
        assert_eq!(safe_cell("-5.00"), "-5.00");
        assert_eq!(safe_cell("-1+2"), "'-1+2");
        assert_eq!(safe_cell("Café"), "Café");
        let rows = vec![Row {
            vendor: "A, \"B\"".into(),
            description: "line1\nline2".into(),
            total: "-5.00".into(),
            ..Row::default()
        }];
        let out = String::from_utf8(write(&rows).unwrap()).unwrap();
        assert_eq!(out.lines().count(), 3);
        assert!(out.ends_with("\r\n"));
        assert!(out.contains(",\"A, \"\"B\"\"\","));
        assert!(out.contains("\"line1\nline2\""));
        let mut reader = csv::Reader::from_reader(out.as_bytes());
        let rec = reader.records().next().unwrap().unwrap();
        assert_eq!(&rec[1], "A, \"B\"");
        assert_eq!(&rec[5], "-5.00");
    }
}
