//! hMETIS `.hgr` hypergraphs (the KaHyPar / Mt-KaHyPar input format) and
//! part files (one part id per vertex line).
//!
//! Header `m n [fmt]` (fmt 0/1/10/11: 1 = net weights first on each net line,
//! 10 = one vertex-weight line per vertex after the nets), then m net lines of
//! 1-based pins. Lines starting with `%` are comments.

use crate::hypergraph::Hypergraph;
use std::io::Write;
use std::path::Path;

/// What is wrong with an `.hgr` file, and on which line.
#[derive(Debug, thiserror::Error)]
pub enum HgrError {
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
    #[error("line {line}: {message}")]
    Syntax { line: usize, message: String },
}

fn syntax(line: usize, message: impl Into<String>) -> HgrError {
    HgrError::Syntax {
        line,
        message: message.into(),
    }
}

/// A parsed `.hgr` file: the hypergraph, and the pins it repeated within a
/// net. hMETIS does not define a net with a repeated pin; Mt-KaHyPar and
/// KaHyPar keep one copy and warn, and so do we (real files have them:
/// Titan23_sparcT1_core has 11 such nets).
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Parsed {
    pub hypergraph: Hypergraph,
    pub repeated: RepeatedPins,
}

/// Pins dropped because they repeated a pin of the same net.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct RepeatedPins {
    pub pins: usize,
    pub nets: usize,
    /// The line of the first such net.
    pub first_line: Option<usize>,
}

/// Reads an `.hgr` file (memory-mapped).
pub fn read_file(path: &Path) -> Result<Parsed, HgrError> {
    let file = std::fs::File::open(path)?;
    parse(&ix_base::mmap::map(&file)?)
}

/// Non-comment lines with their 1-based line numbers.
struct Lines<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: usize,
}

impl<'a> Lines<'a> {
    fn next_line(&mut self) -> Option<(usize, &'a [u8])> {
        while self.pos < self.bytes.len() {
            let rest = &self.bytes[self.pos..];
            let len = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
            let line = &rest[..len];
            self.pos += len + 1;
            self.line += 1;
            let line = line.strip_suffix(b"\r").unwrap_or(line);
            if line.first() != Some(&b'%') {
                return Some((self.line, line));
            }
        }
        None
    }

    /// The next line, which must exist.
    fn expect(&mut self, what: &str) -> Result<(usize, &'a [u8]), HgrError> {
        let after = self.line + 1;
        self.next_line()
            .ok_or_else(|| syntax(after, format!("file ends before {what}")))
    }
}

/// Whitespace-separated unsigned integers of one line.
fn numbers(line: &[u8], number: usize) -> impl Iterator<Item = Result<u64, HgrError>> + '_ {
    line.split(|b| *b == b' ' || *b == b'\t')
        .filter(|t| !t.is_empty())
        .map(move |token| {
            let mut value: u64 = 0;
            for &b in token {
                let digit = b.wrapping_sub(b'0');
                if digit > 9 {
                    return Err(syntax(
                        number,
                        format!(
                            "'{}' is not a non-negative integer",
                            String::from_utf8_lossy(token)
                        ),
                    ));
                }
                value = value
                    .checked_mul(10)
                    .and_then(|v| v.checked_add(u64::from(digit)))
                    .ok_or_else(|| syntax(number, "number too large"))?;
            }
            Ok(value)
        })
}

/// Parses `.hgr` text.
pub fn parse(bytes: &[u8]) -> Result<Parsed, HgrError> {
    let mut lines = Lines {
        bytes,
        pos: 0,
        line: 0,
    };
    let (header_line, header) = lines.expect("the header")?;
    let header: Vec<u64> = numbers(header, header_line).collect::<Result<_, _>>()?;
    let (m, n, fmt) = match header[..] {
        [m, n] => (m, n, 0),
        [m, n, fmt] => (m, n, fmt),
        _ => return Err(syntax(header_line, "header must be 'nets vertices [fmt]'")),
    };
    if !matches!(fmt, 0 | 1 | 10 | 11) {
        return Err(syntax(
            header_line,
            format!("unknown fmt {fmt} (expected 0, 1, 10 or 11)"),
        ));
    }
    if n >= u64::from(u32::MAX) || m >= u64::from(u32::MAX) {
        return Err(syntax(header_line, "too many nets or vertices"));
    }
    // A meaningful file names its vertices as pins (or weight lines), each at
    // least two bytes; the bound keeps a forged header from making us reserve
    // gigabytes.
    if n > 4 * bytes.len() as u64 + 1024 {
        return Err(syntax(
            header_line,
            format!("{n} vertices cannot be described in {} bytes", bytes.len()),
        ));
    }
    // Each net line takes at least two bytes, so a larger m cannot be real;
    // checking first keeps a forged header from reserving huge buffers.
    if m > bytes.len() as u64 {
        return Err(syntax(
            header_line,
            format!("{m} nets cannot fit in {} bytes", bytes.len()),
        ));
    }
    let (net_weighted, vertex_weighted) = (fmt % 10 == 1, fmt >= 10);
    let mut net_weights = Vec::with_capacity(m as usize);
    let mut offsets = Vec::with_capacity(m as usize + 1);
    offsets.push(0u32);
    let mut pins: Vec<u32> = Vec::new();
    let mut stamp = vec![u32::MAX; n as usize];
    let mut repeated = RepeatedPins::default();
    for net in 0..m as u32 {
        let (number, line) = lines.expect(&format!("net {} of {m}", net + 1))?;
        let mut values = numbers(line, number);
        let weight = if net_weighted {
            values
                .next()
                .ok_or_else(|| syntax(number, "empty net line"))??
        } else {
            1
        };
        // A zero weight would make the net free to cut: almost certainly a
        // broken file, and the peers reject it too.
        if weight == 0 {
            return Err(syntax(
                number,
                "net weight 0 (net weights must be at least 1)",
            ));
        }
        let start = pins.len();
        let mut repeats = 0;
        for value in values {
            let pin = value?;
            if pin == 0 || pin > n {
                return Err(syntax(
                    number,
                    format!("pin {pin} is not a vertex (1..={n})"),
                ));
            }
            let index = (pin - 1) as usize;
            if stamp[index] == net {
                repeats += 1;
                continue;
            }
            stamp[index] = net;
            pins.push(index as u32);
        }
        if repeats > 0 {
            repeated.pins += repeats;
            repeated.nets += 1;
            repeated.first_line.get_or_insert(number);
        }
        if pins.len() == start {
            return Err(syntax(number, "net has no pins"));
        }
        let end =
            u32::try_from(pins.len()).map_err(|_| syntax(number, "more than 2^32 - 1 pins"))?;
        offsets.push(end);
        net_weights.push(weight);
    }
    let vertex_weights = if vertex_weighted {
        // Balance bounds are computed from the total, which must not wrap.
        let mut total = 0u64;
        (0..n)
            .map(|v| {
                let (number, line) = lines.expect(&format!("the weight of vertex {}", v + 1))?;
                let values: Vec<u64> = numbers(line, number).collect::<Result<_, _>>()?;
                let [w] = values[..] else {
                    return Err(syntax(
                        number,
                        "a vertex weight line holds exactly one number",
                    ));
                };
                total = total
                    .checked_add(w)
                    .ok_or_else(|| syntax(number, "vertex weights sum past 2^64 - 1"))?;
                Ok(w)
            })
            .collect::<Result<Vec<u64>, HgrError>>()?
    } else {
        vec![1; n as usize]
    };
    while let Some((number, line)) = lines.next_line() {
        if line.iter().any(|b| !b.is_ascii_whitespace()) {
            return Err(syntax(
                number,
                "unexpected content after the last net / vertex weight line",
            ));
        }
    }
    let hypergraph = Hypergraph::new(vertex_weights, net_weights, offsets, pins)
        .map_err(|e| syntax(0, e.to_string()))?;
    Ok(Parsed {
        hypergraph,
        repeated,
    })
}

/// Writes a hypergraph as `.hgr` fmt 11 (net and vertex weights).
pub fn write(h: &Hypergraph, out: &mut impl Write) -> std::io::Result<()> {
    writeln!(out, "{} {} 11", h.net_count(), h.vertex_count())?;
    for e in 0..h.net_count() as u32 {
        write!(out, "{}", h.net_weight(e))?;
        for &p in h.pins(e) {
            write!(out, " {}", p + 1)?;
        }
        writeln!(out)?;
    }
    for &w in h.vertex_weights() {
        writeln!(out, "{w}")?;
    }
    Ok(())
}

/// Writes one part id per line (vertex order), atomically.
pub fn write_parts(path: &Path, parts: &[u32]) -> std::io::Result<()> {
    let mut text = String::with_capacity(parts.len() * 4);
    for p in parts {
        text.push_str(&p.to_string());
        text.push('\n');
    }
    ix_base::write_atomic(path, text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(text: &str) -> String {
        parse(text.as_bytes()).unwrap_err().to_string()
    }

    fn parse(bytes: &[u8]) -> Result<Hypergraph, HgrError> {
        super::parse(bytes).map(|parsed| parsed.hypergraph)
    }

    #[test]
    fn reads_all_formats() {
        let h = parse(b"% comment\n2 3\n1 2\n2 3\n").unwrap();
        assert_eq!((h.net_count(), h.vertex_count()), (2, 3));
        assert_eq!(h.pins(1), &[1, 2]);
        assert_eq!(h.net_weights(), &[1, 1]);
        let h = parse(b"2 3 1\n5 1 2\n7 2 3\n").unwrap();
        assert_eq!(h.net_weights(), &[5, 7]);
        let h = parse(b"2 3 10\n1 2\n2 3\n4\n5\n6\n\n").unwrap();
        assert_eq!(h.vertex_weights(), &[4, 5, 6]);
        assert_eq!(h.pins(1), &[1, 2]);
        let h = parse(b"1 3 11\r\n9 1 3\r\n% c\r\n4\r\n5\r\n6\r\n").unwrap();
        assert_eq!(
            (h.net_weights(), h.vertex_weights(), h.pins(0)),
            (&[9][..], &[4, 5, 6][..], &[0, 2][..])
        );
    }

    #[test]
    fn repeated_pins_are_dropped_and_counted() {
        let parsed = super::parse(b"3 3\n1 2\n% c\n3 2 3 3\n1 1 2 1\n").unwrap();
        assert_eq!(parsed.hypergraph.pins(1), &[2, 1]);
        assert_eq!(parsed.hypergraph.pins(2), &[0, 1]);
        assert_eq!(
            parsed.repeated,
            RepeatedPins {
                pins: 4,
                nets: 2,
                first_line: Some(4)
            }
        );
        // A net of one repeated pin keeps that pin (a net that is never cut).
        assert_eq!(parse(b"1 2\n2 2\n").unwrap().pins(0), &[1]);
    }

    #[test]
    fn round_trips_through_write() {
        let h = parse(b"2 3 11\n5 1 2\n7 2 3\n4\n5\n6\n").unwrap();
        let mut out = Vec::new();
        write(&h, &mut out).unwrap();
        assert_eq!(parse(&out).unwrap(), h);
    }

    #[test]
    fn errors_name_the_line() {
        assert_eq!(err(""), "line 1: file ends before the header");
        assert_eq!(
            err("2 3 5\n"),
            "line 1: unknown fmt 5 (expected 0, 1, 10 or 11)"
        );
        assert_eq!(err("2 3\n1 2\n"), "line 3: file ends before net 2 of 2");
        assert_eq!(err("1 3\n1 4\n"), "line 2: pin 4 is not a vertex (1..=3)");
        assert_eq!(err("1 3\n1 0\n"), "line 2: pin 0 is not a vertex (1..=3)");
        assert_eq!(
            err("1 3\n1 x\n"),
            "line 2: 'x' is not a non-negative integer"
        );
        assert_eq!(err("1 3\n\n"), "line 2: net has no pins");
        assert_eq!(
            err("1 3 10\n1 2\n1\n2 2\n3\n"),
            "line 4: a vertex weight line holds exactly one number"
        );
        assert_eq!(
            err("1 3\n1 2\n3\n"),
            "line 3: unexpected content after the last net / vertex weight line"
        );
        assert_eq!(
            err("1 2 3 4\n"),
            "line 1: header must be 'nets vertices [fmt]'"
        );
        assert_eq!(err("99999999999 2\n"), "line 1: too many nets or vertices");
        assert_eq!(
            err("1 2 10\n1 2\n18446744073709551615\n1\n"),
            "line 4: vertex weights sum past 2^64 - 1"
        );
        assert_eq!(
            err("2 3 1\n1 1 2\n0 2 3\n"),
            "line 3: net weight 0 (net weights must be at least 1)"
        );
        assert_eq!(
            err("1 2\n1 99999999999999999999\n"),
            "line 2: number too large"
        );
    }

    proptest::proptest! {
        #[test]
        fn arbitrary_text_never_panics(text in "[0-9 %\n\r]{0,200}") {
            let _ = parse(text.as_bytes());
        }
    }
}
