//! Text from the network or the query on its way into a message or the
//! `--chain` table. A certificate subject, a `jwks_uri` or a `Location` is
//! chosen by whoever runs the server: printed raw, an ESC could drive the
//! terminal, and a CR or LF could forge table rows or message lines.

/// How much of one such value a message or a table cell shows.
pub const MAX_SHOWN_CHARS: usize = 200;

/// Text from outside (the network, the query, the command line, a file) as
/// a message or a table shows it: control characters escaped and cut. It
/// can only be made by [`printable`], and the error fields that carry such
/// text are of this type, so a new message cannot forget to quote it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Shown(String);

impl Shown {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Shown {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl From<Shown> for String {
    fn from(shown: Shown) -> Self {
        shown.0
    }
}

/// `text` with control characters escaped (`\n`, `\r`, `\t`, `\x1b`,
/// `\u{9b}`) and cut to [`MAX_SHOWN_CHARS`] characters, marked with `...`.
pub fn printable(text: &str) -> Shown {
    Shown(escaped(text))
}

fn escaped(text: &str) -> String {
    let mut shown = String::with_capacity(text.len().min(MAX_SHOWN_CHARS + 3));
    for (count, c) in text.chars().enumerate() {
        if count == MAX_SHOWN_CHARS {
            shown.push_str("...");
            break;
        }
        match c {
            '\n' => shown.push_str("\\n"),
            '\r' => shown.push_str("\\r"),
            '\t' => shown.push_str("\\t"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => {
                shown.push_str(&format!("\\x{:02x}", c as u32))
            }
            // C1 controls (U+0080..U+009F) include CSI, which terminals obey too.
            c if c.is_control() => shown.push_str(&format!("\\u{{{:x}}}", c as u32)),
            c => shown.push(c),
        }
    }
    shown
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_escaped() {
        assert_eq!(
            printable("a\nb\rc\td\x1b[31m").as_str(),
            "a\\nb\\rc\\td\\x1b[31m"
        );
        assert_eq!(printable("\u{9b}2J\u{7f}").as_str(), "\\u{9b}2J\\x7f");
        assert_eq!(
            printable("CN=Amazon Root CA 1, O=Amazon").as_str(),
            "CN=Amazon Root CA 1, O=Amazon"
        );
    }

    #[test]
    fn long_text_is_cut() {
        let long = "é".repeat(MAX_SHOWN_CHARS * 10);
        let shown = printable(&long).to_string();
        assert_eq!(shown.chars().count(), MAX_SHOWN_CHARS + 3);
        assert!(shown.ends_with("..."));
    }
}
