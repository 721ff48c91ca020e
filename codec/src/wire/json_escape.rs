//! JSON string escapes: resolving them when a value is read, writing them when one is encoded.

/// Resolves the backslash escapes of a JSON string's content. The decoder has already checked
/// every escape, so this cannot fail; a malformed one is kept literally.
pub fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        let esc = &rest[i + 1..];
        let mut consumed = 1;
        match esc.as_bytes().first() {
            Some(b'"') => out.push('"'),
            Some(b'\\') => out.push('\\'),
            Some(b'/') => out.push('/'),
            Some(b'b') => out.push('\u{8}'),
            Some(b'f') => out.push('\u{c}'),
            Some(b'n') => out.push('\n'),
            Some(b'r') => out.push('\r'),
            Some(b't') => out.push('\t'),
            Some(b'u') => match code_unit(esc, 1) {
                Some(hi @ 0xD800..=0xDBFF) => {
                    let lo = esc
                        .get(5..7)
                        .filter(|p| *p == "\\u")
                        .and_then(|_| code_unit(esc, 7))
                        .filter(|lo| (0xDC00..=0xDFFF).contains(lo));
                    match lo.and_then(|lo| {
                        char::from_u32(0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00))
                    }) {
                        Some(c) => {
                            out.push(c);
                            consumed = 11;
                        }
                        None => {
                            out.push('\u{FFFD}');
                            consumed = 5;
                        }
                    }
                }
                Some(u) => {
                    out.push(char::from_u32(u).unwrap_or('\u{FFFD}'));
                    consumed = 5;
                }
                None => {
                    out.push('\\');
                    consumed = 0;
                }
            },
            _ => {
                out.push('\\');
                consumed = 0;
            }
        }
        rest = &esc[consumed..];
    }
    out.push_str(rest);
    out
}

/// The four hex digits at `s[at..at + 4]` as a UTF-16 code unit.
pub(crate) fn code_unit(s: &str, at: usize) -> Option<u32> {
    let hex = s.get(at..at + 4)?;
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    u32::from_str_radix(hex, 16).ok()
}

/// Appends `value` to `out` as the content of a JSON string (without the quotes). Non-ASCII
/// text is written as is, the way wdt's own samples send it (`JSON_UNESCAPED_UNICODE`).
pub fn escape_into(value: &str, out: &mut String) {
    for c in value.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                out.push_str(&format!("\\u{:04x}", c as u32));
            }
            c => out.push(c),
        }
    }
}

/// `value` as a JSON string, quotes included.
pub fn quote(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    escape_into(value, &mut out);
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_every_escape_and_surrogate_pairs() {
        assert_eq!(unescape(r#"a\"b\\c\/d\n\t"#), "a\"b\\c/d\n\t");
        assert_eq!(unescape(r"\u5F20\u4E09"), "张三");
        assert_eq!(unescape(r"\ud83d\ude00!"), "😀!");
        assert_eq!(unescape(r"\ud83d!"), "\u{FFFD}!");
    }

    #[test]
    fn escaping_round_trips() {
        for s in ["plain", "引号\"与\\反斜杠", "line\nbreak\u{1}", "&&&+%26"] {
            let q = quote(s);
            let parsed: String = serde_json::from_str(&q).unwrap();
            assert_eq!(parsed, s);
            assert_eq!(unescape(&q[1..q.len() - 1]), s);
        }
    }
}
