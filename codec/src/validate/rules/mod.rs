//! One small module per field rule. Each `check` returns `None` when the value passes and the
//! message (what was expected, what was found) when it does not.

pub(crate) mod any_of;
pub(crate) mod date;
pub(crate) mod datetime;
pub(crate) mod decimal;
pub(crate) mod duplicate_element;
pub(crate) mod element_content;
pub(crate) mod enum_code;
pub(crate) mod flag;
pub(crate) mod integer;
pub(crate) mod max_length;
pub(crate) mod min_items;
pub(crate) mod required;
pub(crate) mod time;
pub(crate) mod unknown_field;

use crate::model::privacy::{hidden, hidden_zh, Privacy};
use crate::model::FieldSpec;

/// A field as a Chinese message names it: its Chinese label and wire name (`店铺名称（`<shopNick>`）`),
/// or the wire name alone where the vendor's tables give no Chinese name.
pub(crate) fn zh_field(field: &FieldSpec, json: bool) -> String {
    let mut out = String::new();
    push_zh_field(&mut out, field, json);
    out
}

/// Appends [`zh_field`]'s text to `out`, without a temporary string.
pub(crate) fn push_zh_field(out: &mut String, field: &FieldSpec, json: bool) {
    let tag = Tag {
        name: field.name,
        json,
    };
    match field.zh {
        Some(label) => {
            out.push_str(label);
            out.push('（');
            tag.push_to(out);
            out.push('）');
        }
        None => tag.push_to(out),
    }
}

/// A field's Chinese label, or its wire name where it has none (`出库单类型`, `` `<confirmType>` ``).
pub(crate) fn zh_name(field: &FieldSpec, json: bool) -> String {
    match field.zh {
        Some(label) => label.to_string(),
        None => Tag {
            name: field.name,
            json,
        }
        .to_string(),
    }
}

/// A field or element name as messages show it: `<orderType>` in XML, `trade_status` in JSON.
pub(crate) struct Tag<'n> {
    /// The wire name.
    pub name: &'n str,
    /// Whether the message is about JSON (no angle brackets).
    pub json: bool,
}

impl Tag<'_> {
    /// Appends the tag as [`fmt::Display`] writes it, without the formatting machinery.
    pub(crate) fn push_to(&self, out: &mut String) {
        let _ = self.write_to(out);
    }

    /// The tag's text, written piece by piece into `out`.
    fn write_to(&self, out: &mut impl fmt::Write) -> fmt::Result {
        let (open, close) = if self.json { ("`", "`") } else { ("`<", ">`") };
        out.write_str(open)?;
        out.write_str(self.name)?;
        out.write_str(close)
    }
}

impl fmt::Display for Tag<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.write_to(f)
    }
}
use std::fmt::{self, Write as _};

/// A value as a diagnostic may show it: personal values are replaced by their class and length,
/// long values are shortened.
pub(crate) struct Shown<'v> {
    /// The value.
    pub value: &'v str,
    /// Its personal-data class, if any.
    pub privacy: Option<Privacy>,
}

impl<'v> Shown<'v> {
    /// The value as a Chinese message shows it (a personal value's class in Chinese).
    pub(crate) fn zh(&self) -> ShownZh<'_, 'v> {
        ShownZh(self)
    }

    /// Appends the value as [`fmt::Display`] writes it; a short plain value is copied whole.
    pub(crate) fn push_to(&self, out: &mut String) {
        match self.privacy {
            Some(class) => out.push_str(&hidden(class, self.value)),
            None => self.push_plain(out),
        }
    }

    /// Appends the value as [`ShownZh`] writes it.
    pub(crate) fn push_zh_to(&self, out: &mut String) {
        match self.privacy {
            Some(class) => out.push_str(&hidden_zh(class, self.value)),
            None => self.push_plain(out),
        }
    }

    fn push_plain(&self, out: &mut String) {
        let plain = self.value.len() <= SHOWN_MAX
            && !self
                .value
                .bytes()
                .any(|b| matches!(b, b'\n' | b'\r' | b'\t'));
        if plain {
            out.push('`');
            out.push_str(self.value);
            out.push('`');
        } else {
            let _ = write!(out, "{self}");
        }
    }
}

/// At most this many characters of a value are shown, then `…`.
const SHOWN_MAX: usize = 60;

/// [`Shown`] for Chinese messages.
pub(crate) struct ShownZh<'s, 'v>(&'s Shown<'v>);

impl fmt::Display for ShownZh<'_, '_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.privacy {
            Some(class) => f.write_str(&hidden_zh(class, self.0.value)),
            None => self.0.fmt(f),
        }
    }
}

impl fmt::Display for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(class) = self.privacy {
            return f.write_str(&hidden(class, self.value));
        }
        // At most 60 characters, then `…`; line breaks and tabs written as escapes.
        const MAX: usize = SHOWN_MAX;
        f.write_char('`')?;
        for (n, c) in self.value.chars().enumerate() {
            if n == MAX {
                f.write_char('…')?;
                break;
            }
            match c {
                '\n' => f.write_str("\\n")?,
                '\r' => f.write_str("\\r")?,
                '\t' => f.write_str("\\t")?,
                c => f.write_char(c)?,
            }
        }
        f.write_char('`')
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pushed_text_is_the_displayed_text() {
        let long = "长".repeat(61);
        let values = ["JYCK", "", "a\tb", &long, &"x".repeat(60), "张三"];
        for value in values {
            for privacy in [None, Some(Privacy::Name)] {
                let shown = Shown { value, privacy };
                let mut out = String::new();
                shown.push_to(&mut out);
                assert_eq!(out, shown.to_string());
                out.clear();
                shown.push_zh_to(&mut out);
                assert_eq!(out, shown.zh().to_string());
            }
        }
        for json in [false, true] {
            let tag = Tag {
                name: "orderType",
                json,
            };
            let mut out = String::new();
            tag.push_to(&mut out);
            assert_eq!(out, tag.to_string());
        }
    }

    #[test]
    fn personal_values_are_never_shown() {
        let s = Shown {
            value: "张三",
            privacy: Some(Privacy::Name),
        }
        .to_string();
        assert!(!s.contains("张三"), "{s}");
        assert_eq!(s, "<name withheld, 2 chars>");
        let s = Shown {
            value: "JYCKX",
            privacy: None,
        }
        .to_string();
        assert_eq!(s, "`JYCKX`");
        let long = "a\tb\r\n".repeat(20);
        let s = Shown {
            value: &long,
            privacy: None,
        }
        .to_string();
        assert_eq!(s, format!("`{}…`", "a\\tb\\r\\n".repeat(12)));
        let exact = "x".repeat(60);
        let s = Shown {
            value: &exact,
            privacy: None,
        }
        .to_string();
        assert_eq!(s, format!("`{exact}`"));
    }
}
