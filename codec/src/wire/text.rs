//! Scalar text as it appears on the wire, unescaped only when asked.

use crate::wire::span::Span;
use std::borrow::Cow;

/// How the raw text of a [`Text`] is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct TextFlags(pub(crate) u8);

impl TextFlags {
    pub(crate) const ENTITIES: u8 = 1;
    pub(crate) const CDATA: u8 = 2;
    pub(crate) const MARKUP: u8 = 4;
    pub(crate) const CHILDREN: u8 = 8;
    pub(crate) const PLAIN: u8 = 16;
    /// The raw text is JSON (wdt). With it, the bits above mean: [`Self::ENTITIES`] the string
    /// has backslash escapes, [`Self::CDATA`] the value was a bare JSON number,
    /// [`Self::MARKUP`] it was `true`, `false` or `null`, [`Self::CHILDREN`] it was an object or
    /// an array where a scalar belongs.
    pub(crate) const JSON: u8 = 32;

    pub(crate) fn has(self, bit: u8) -> bool {
        self.0 & bit != 0
    }
    pub(crate) fn set(&mut self, bit: u8) {
        self.0 |= bit;
    }
}

/// The content of one scalar element: the raw bytes of the input plus where they were.
///
/// Decoding never copies: `raw` borrows the input. [`Text::value`] resolves entities and CDATA on
/// demand and borrows too when there is nothing to resolve.
#[derive(Debug, Clone)]
pub struct Text<'a> {
    raw: Cow<'a, str>,
    start: u32,
    /// The span's end in the low [`END_BITS`] bits, the [`TextFlags`] above them: this keeps a
    /// `Text` (and an absent `Option<Text>`) at 32 bytes, which matters for the size of every
    /// generated struct.
    end_and_flags: u32,
}

/// Bits of [`Text`]'s packed end offset; inputs are limited to `2^26` bytes accordingly.
pub(crate) const END_BITS: u32 = 26;
const END_MASK: u32 = (1 << END_BITS) - 1;

/// The largest input whose offsets a [`Text`] can hold (64 MiB).
pub const MAX_INPUT_BYTES: usize = END_MASK as usize;

impl<'a> Text<'a> {
    /// Text taken from XML content, exactly as it appears between the tags.
    pub(crate) fn from_xml(raw: &'a str, span: Span, flags: TextFlags) -> Text<'a> {
        Text::packed(Cow::Borrowed(raw), span, flags)
    }

    /// Text taken from JSON: the content between a string's quotes, or a bare number or literal.
    pub(crate) fn from_json(raw: &'a str, span: Span, mut flags: TextFlags) -> Text<'a> {
        flags.set(TextFlags::JSON);
        Text::packed(Cow::Borrowed(raw), span, flags)
    }

    fn packed(raw: Cow<'a, str>, span: Span, flags: TextFlags) -> Text<'a> {
        debug_assert!(
            span.end <= END_MASK,
            "inputs are limited to MAX_INPUT_BYTES"
        );
        Text {
            raw,
            start: span.start,
            end_and_flags: (span.end & END_MASK) | (u32::from(flags.0) << END_BITS),
        }
    }

    fn flags(&self) -> TextFlags {
        TextFlags((self.end_and_flags >> END_BITS) as u8)
    }

    /// A value built in code (not decoded): the encoder escapes it when writing XML.
    pub fn new(value: impl Into<Cow<'a, str>>) -> Text<'a> {
        let mut flags = TextFlags::default();
        flags.set(TextFlags::PLAIN);
        Text::packed(value.into(), Span::default(), flags)
    }

    /// The text exactly as written in the input (entities, CDATA markers and all).
    pub fn raw(&self) -> &str {
        &self.raw
    }

    /// Where the text sits in the input. Empty elements get an empty span at the element.
    pub fn span(&self) -> Span {
        Span {
            start: self.start,
            end: self.end_and_flags & END_MASK,
        }
    }

    /// Whether the raw text is plain (built in code) rather than XML content.
    pub fn is_plain(&self) -> bool {
        self.flags().has(TextFlags::PLAIN)
    }

    /// Whether the element held child elements instead of text (XML), or the JSON value was
    /// an object or an array.
    pub fn has_children(&self) -> bool {
        self.flags().has(TextFlags::CHILDREN)
    }

    /// Whether the raw text is the value as is: no entities, CDATA, markup, children, and not
    /// JSON (whose numbers and escapes need a closer look).
    #[inline(always)]
    pub(crate) fn is_verbatim_xml(&self) -> bool {
        let f = self.flags();
        !f.has(
            TextFlags::ENTITIES
                | TextFlags::CDATA
                | TextFlags::MARKUP
                | TextFlags::CHILDREN
                | TextFlags::JSON,
        )
    }

    /// Whether the raw text is the value as is, in either format: verbatim XML, or a JSON
    /// string without escapes, or a JSON number (not `true`, `false`, `null`, an object or an
    /// array).
    #[inline(always)]
    pub(crate) fn is_verbatim(&self) -> bool {
        let f = self.flags();
        if f.has(TextFlags::JSON) {
            !f.has(TextFlags::ENTITIES | TextFlags::MARKUP | TextFlags::CHILDREN)
        } else {
            self.is_verbatim_xml()
        }
    }

    /// Whether the text came from JSON.
    pub fn is_json(&self) -> bool {
        self.flags().has(TextFlags::JSON)
    }

    /// Whether the JSON value was written as a string (`"399"`), not as a number or literal.
    pub fn is_json_string(&self) -> bool {
        let f = self.flags();
        f.has(TextFlags::JSON) && !f.has(TextFlags::CDATA | TextFlags::MARKUP | TextFlags::CHILDREN)
    }

    /// Whether the JSON value was a bare number (`399`, `399.0`).
    pub fn is_json_number(&self) -> bool {
        let f = self.flags();
        f.has(TextFlags::JSON) && f.has(TextFlags::CDATA)
    }

    /// Whether the JSON value was `null`, which counts as an empty value.
    pub fn is_json_null(&self) -> bool {
        let f = self.flags();
        f.has(TextFlags::JSON) && f.has(TextFlags::MARKUP) && &*self.raw == "null"
    }

    /// The value with entities and CDATA resolved; borrows when nothing needed resolving.
    pub fn value(&self) -> Cow<'_, str> {
        let flags = self.flags();
        if flags.has(TextFlags::JSON) {
            if flags.has(TextFlags::MARKUP) && &*self.raw == "null" {
                return Cow::Borrowed("");
            }
            if flags.has(TextFlags::ENTITIES) && !flags.has(TextFlags::CHILDREN) {
                return Cow::Owned(crate::wire::json_escape::unescape(&self.raw));
            }
            return Cow::Borrowed(&self.raw);
        }
        if self.is_plain()
            || !self
                .flags()
                .has(TextFlags::ENTITIES | TextFlags::CDATA | TextFlags::MARKUP)
        {
            return Cow::Borrowed(&self.raw);
        }
        if let Some(inner) = self.single_cdata() {
            return Cow::Borrowed(inner);
        }
        Cow::Owned(unescape(&self.raw))
    }

    /// The content of a value written as exactly one CDATA section and nothing else (the way
    /// many XML writers wrap every string), which needs no copy to resolve.
    fn single_cdata(&self) -> Option<&str> {
        if self
            .flags()
            .has(TextFlags::ENTITIES | TextFlags::MARKUP | TextFlags::CHILDREN)
        {
            return None;
        }
        let rest = self.raw.strip_prefix("<![CDATA[")?;
        let end = cdata_end(rest.as_bytes())?;
        (end + 3 == rest.len()).then(|| &rest[..end])
    }

    /// Whether the value is empty or only whitespace.
    pub fn is_blank(&self) -> bool {
        match self.raw.as_bytes().first() {
            None => true,
            // Most values start with a visible character: no need to unescape.
            Some(&b) if b > b' ' && b != b'&' && b != b'<' && b != b'\\' && b < 0x80 => {
                self.is_json_null()
            }
            // A lead byte no white-space character starts with (most CJK text): the value
            // starts with that character, whatever follows.
            Some(&b) if b >= 0xC3 && !matches!(b, 0xE1..=0xE3) => false,
            _ if self.is_plain() => self.raw.trim().is_empty(),
            _ => self.value().trim().is_empty(),
        }
    }

    /// An owned copy that no longer borrows the input.
    pub fn into_owned(self) -> Text<'static> {
        Text {
            raw: Cow::Owned(self.raw.into_owned()),
            start: self.start,
            end_and_flags: self.end_and_flags,
        }
    }
}

impl PartialEq for Text<'_> {
    /// Two texts are equal when their values are, wherever and however they were written.
    fn eq(&self, other: &Self) -> bool {
        self.value() == other.value()
    }
}

/// Resolves the five predefined entities, character references, CDATA sections, and drops
/// comments and processing instructions. The decoder has already checked that every reference
/// is well formed, so this cannot fail; anything unexpected is kept literally.
pub(crate) fn unescape(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find(['&', '<']) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        if let Some(after) = rest.strip_prefix("<![CDATA[") {
            let end = after.find("]]>").unwrap_or(after.len());
            out.push_str(&after[..end]);
            rest = after.get(end + 3..).unwrap_or("");
        } else if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |e| &after[e + 3..]);
        } else if let Some(after) = rest.strip_prefix("<?") {
            rest = after.find("?>").map_or("", |e| &after[e + 2..]);
        } else if rest.starts_with('&') {
            match rest
                .find(';')
                .and_then(|e| resolve_entity(&rest[1..e]).map(|c| (c, e)))
            {
                Some((c, e)) => {
                    out.push(c);
                    rest = &rest[e + 1..];
                }
                None => {
                    out.push('&');
                    rest = &rest[1..];
                }
            }
        } else {
            out.push('<');
            rest = &rest[1..];
        }
    }
    out.push_str(rest);
    out
}

/// The text of an element kept verbatim (`<name>text</name>`, `<name/>`), entities and CDATA
/// resolved; `None` when it holds child elements (anything but text, CDATA, comments and
/// processing instructions).
pub(crate) fn element_text(raw: &str) -> Option<String> {
    if raw.ends_with("/>") && !raw.contains("</") {
        return Some(String::new());
    }
    let start = raw.find('>')? + 1;
    let end = raw.rfind("</")?;
    let inner = raw.get(start..end)?;
    let mut rest = inner;
    while let Some(i) = rest.find('<') {
        let after = &rest[i..];
        let close = if after.starts_with("<![CDATA[") {
            "]]>"
        } else if after.starts_with("<!--") {
            "-->"
        } else if after.starts_with("<?") {
            "?>"
        } else {
            return None;
        };
        rest = &after[after.find(close)? + close.len()..];
    }
    Some(unescape(inner))
}

/// Where the first `]]>` (the end of a CDATA section) starts in `bytes`. Cheaper than a
/// substring search on the short values of a message.
pub(crate) fn cdata_end(bytes: &[u8]) -> Option<usize> {
    memchr::memchr_iter(b'>', bytes)
        .find(|&i| i >= 2 && bytes[i - 2] == b']' && bytes[i - 1] == b']')
        .map(|i| i - 2)
}

/// The character an entity or character reference name (without `&` and `;`) stands for.
pub(crate) fn resolve_entity(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "apos" => Some('\''),
        "quot" => Some('"'),
        _ => {
            let num = name.strip_prefix('#')?;
            let code = match num.strip_prefix('x') {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => num.parse().ok()?,
            };
            char::from_u32(code).filter(|&c| is_xml_char(c))
        }
    }
}

/// Whether `c` may appear in an XML 1.0 document.
pub(crate) fn is_xml_char(c: char) -> bool {
    matches!(c, '\u{9}' | '\u{A}' | '\u{D}' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_single_cdata_section_resolves_without_a_copy() {
        let cdata = TextFlags(TextFlags::CDATA);
        for raw in ["<![CDATA[x<y&z]]>", "<![CDATA[]]>", "<![CDATA[]]]>"] {
            let t = Text::from_xml(raw, Span::new(0, raw.len()), cdata);
            assert!(matches!(t.value(), Cow::Borrowed(_)), "{raw}");
            assert_eq!(t.value(), unescape(raw), "{raw}");
        }
        for raw in [
            " <![CDATA[x]]>",
            "<![CDATA[a]]><![CDATA[b]]>",
            "<![CDATA[a]]>b",
        ] {
            let t = Text::from_xml(raw, Span::new(0, raw.len()), cdata);
            assert!(matches!(t.value(), Cow::Owned(_)), "{raw}");
            assert_eq!(t.value(), unescape(raw), "{raw}");
        }
    }

    #[test]
    fn unescapes_entities_cdata_and_comments() {
        assert_eq!(unescape("a&amp;b&lt;&#x4E2D;&#25991;"), "a&b<中文");
        assert_eq!(unescape("<![CDATA[x<y&z]]>!"), "x<y&z!");
        assert_eq!(unescape("a<!-- note -->b"), "ab");
        assert_eq!(unescape("&bogus;"), "&bogus;");
    }

    #[test]
    fn rejects_characters_xml_forbids() {
        assert_eq!(resolve_entity("#0"), None);
        assert_eq!(resolve_entity("#xD800"), None);
        assert_eq!(resolve_entity("#9"), Some('\t'));
    }

    #[test]
    fn blankness_is_decided_by_the_first_character_where_it_can_be() {
        // Every character below U+4000 and past it in steps, alone and before a visible one,
        // as plain text and as text with an entity after it: `is_blank` agrees with the value.
        let chars = (0u32..0x4000)
            .chain((0x4000..0x11_0000).step_by(97))
            .filter_map(char::from_u32);
        let mut entity = TextFlags::default();
        entity.set(TextFlags::ENTITIES);
        for c in chars {
            for raw in [c.to_string(), format!("{c}x"), format!("{c}&amp;")] {
                for flags in [TextFlags::default(), entity] {
                    let t = Text::from_xml(&raw, Span::new(0, raw.len()), flags);
                    assert_eq!(t.is_blank(), t.value().trim().is_empty(), "{:?}", raw);
                }
            }
        }
    }

    #[test]
    fn equality_compares_values() {
        let mut f = TextFlags::default();
        f.set(TextFlags::ENTITIES);
        let a = Text::from_xml("A&amp;B", Span::new(0, 7), f);
        let b = Text::new("A&B");
        assert_eq!(a, b);
        assert_eq!(a.raw(), "A&amp;B");
    }
}

#[cfg(test)]
mod size_tests {
    use super::*;

    #[test]
    fn text_stays_small_and_keeps_span_and_flags() {
        assert_eq!(std::mem::size_of::<Text<'_>>(), 32);
        assert_eq!(std::mem::size_of::<Option<Text<'_>>>(), 32);
        let mut f = TextFlags::default();
        f.set(TextFlags::CHILDREN);
        let end = MAX_INPUT_BYTES as u32;
        let t = Text::from_xml("x", Span { start: 7, end }, f);
        assert_eq!(t.span(), Span { start: 7, end });
        assert!(t.has_children() && !t.is_plain());
    }
}
