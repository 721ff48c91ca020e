//! Lenient, zero-copy decoding of wdt JSON into generated models.
//!
//! The reader accepts exactly RFC 8259 JSON (plus a leading byte order mark). Every scalar keeps
//! its raw slice of the input and its span: for a string the content between the quotes
//! (escapes resolved on demand by [`Text::value`]), for a number or literal the token itself.
//! Decoding fails only on broken syntax or a [`Limits`] value; unknown keys, duplicate keys and
//! values of the wrong type are kept for validation.

use crate::error::DecodeError;
use crate::error::DecodeErrorKind;
use crate::json::node::{JsonItem, JsonNode};
use crate::model::values::{List, Map, MapEntry, Unknown, UnknownKind};
use crate::wire::limits::Limits;
use crate::wire::span::Span;
use crate::wire::text::{Text, TextFlags};
use std::borrow::Cow;

/// One object member whose key has just been read; the decoder stands at its value.
#[derive(Debug, Clone)]
pub(crate) struct Member<'a> {
    /// The key, escapes resolved.
    pub name: Cow<'a, str>,
    /// Offset of the key's opening quote.
    pub start: usize,
}

/// The reader generated `decode_member` methods call into.
pub(crate) struct JsonDecoder<'a> {
    input: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: u32,
    limits: Limits,
    /// List items, map entries and pieces kept aside so far, against [`Limits::max_items`].
    kept: u32,
}

/// The most items a list reserves room for up front, from the size of its first item.
const MAX_LIST_GUESS: usize = 256;

/// Decodes a whole document whose top-level value must be an object, into `node`.
pub(crate) fn decode_json_root<'a, T: JsonNode<'a>>(
    input: &'a str,
    limits: &Limits,
    node: &mut T,
) -> Result<(), DecodeError> {
    let mut d = JsonDecoder::new(input, limits)?;
    d.expect_start(b'{', "an object")?;
    d.read_node_into(node)?;
    d.finish()
}

/// Decodes a whole document that is a bare array into the list `slot` (e.g. a `trade_list`
/// sent on its own); `root_span` gets the array's position.
pub(crate) fn decode_json_bare<'a, T: JsonItem<'a>>(
    input: &'a str,
    limits: &Limits,
    slot: &mut Option<List<'a, T>>,
    root_span: &mut Span,
) -> Result<(), DecodeError> {
    let mut d = JsonDecoder::new(input, limits)?;
    d.expect_start(b'[', "an array")?;
    let list = slot.insert(List {
        items: Vec::new(),
        span: Span::default(),
        unknown: Vec::new(),
    });
    d.read_list_into(list)?;
    *root_span = list.span;
    d.finish()
}

impl<'a> JsonDecoder<'a> {
    /// A decoder over `input`, after the size limit and a byte order mark.
    pub(crate) fn new(input: &'a str, limits: &Limits) -> Result<JsonDecoder<'a>, DecodeError> {
        let max_bytes = limits.max_bytes.min(crate::wire::text::MAX_INPUT_BYTES);
        if input.len() > max_bytes {
            return Err(DecodeError::new(
                DecodeErrorKind::Limit,
                max_bytes,
                format!(
                    "input is {} bytes, over the limit of {max_bytes} bytes",
                    input.len()
                ),
            )
            .with_zh(format!(
                "输入有 {} 字节，超过 {max_bytes} 字节的上限",
                input.len()
            )));
        }
        let pos = if input.starts_with('\u{FEFF}') { 3 } else { 0 };
        Ok(JsonDecoder {
            input,
            bytes: input.as_bytes(),
            pos,
            depth: 0,
            kept: 0,
            // The ceiling applies whatever the caller asked for.
            limits: Limits {
                max_depth: limits.depth(),
                ..*limits
            },
        })
    }

    /// The first non-whitespace byte of the top-level value, without consuming it.
    pub(crate) fn first_byte(&mut self) -> Option<u8> {
        self.ws();
        self.bytes.get(self.pos).copied()
    }

    fn expect_start(&mut self, byte: u8, what: &str) -> Result<(), DecodeError> {
        match self.first_byte() {
            Some(b) if b == byte => Ok(()),
            Some(_) => Err(self
                .syntax_found(
                    DecodeErrorKind::Root,
                    format!("expected {what} at the top level"),
                )
                .with_zh(format!(
                    "顶层应为{}",
                    if what == "an array" {
                        "数组"
                    } else {
                        "对象"
                    }
                ))),
            None => Err(self
                .error(
                    DecodeErrorKind::Syntax,
                    self.pos,
                    "expected a JSON value, found the end of the input",
                )
                .with_zh("应为一个 JSON 值，输入却结束了")),
        }
    }

    /// Checks that nothing but whitespace follows the top-level value.
    pub(crate) fn finish(mut self) -> Result<(), DecodeError> {
        self.ws();
        if self.pos < self.bytes.len() {
            return Err(self
                .syntax_found(
                    DecodeErrorKind::Syntax,
                    "expected the end of the input after the JSON value".into(),
                )
                .with_zh("JSON 值之后应是输入的结尾"));
        }
        Ok(())
    }

    fn error(&self, kind: DecodeErrorKind, at: usize, message: impl Into<String>) -> DecodeError {
        DecodeError::new(kind, at, message)
    }

    /// Where the decoder stands in the input.
    pub(crate) fn position(&self) -> usize {
        self.pos
    }

    /// Counts one more list item, map entry or piece kept aside, refusing the document once it
    /// holds more than [`Limits::max_items`] of them (`at`: where the one too many starts).
    pub(crate) fn keep_one(&mut self, at: usize) -> Result<(), DecodeError> {
        self.kept += 1;
        if self.kept <= self.limits.max_items {
            return Ok(());
        }
        Err(DecodeError::new(
            DecodeErrorKind::Limit,
            at,
            format!(
                "the document holds more than {} list items, map entries and elements outside the contract, over the document limit (--max-items)",
                self.limits.max_items
            ),
        )
.with_zh(format!("文档中的列表条目、映射条目和契约外元素超过 {} 个，超出文档上限（--max-items）", self.limits.max_items)))
    }

    fn syntax(&self, message: impl Into<String>) -> DecodeError {
        DecodeError::new(DecodeErrorKind::Syntax, self.pos, message)
    }

    /// A syntax error `expected …, found <what stands here>`; the found part is kept apart
    /// ([`DecodeError::masked`] leaves it out).
    fn syntax_found(&self, kind: DecodeErrorKind, expected: String) -> DecodeError {
        DecodeError::quoting(
            kind,
            self.pos,
            expected,
            format!(", found {}", self.describe()),
        )
    }

    /// What stands at the current position, for messages.
    fn describe(&self) -> String {
        match self.input[self.pos..].chars().next() {
            None => "the end of the input".into(),
            Some(c) if c.is_control() => format!("control character U+{:04X}", c as u32),
            Some(c) => format!("`{c}`"),
        }
    }

    /// Skips whitespace. Machine-written JSON has none between tokens, pretty-printed JSON
    /// one space after `:`: those cases are a compare or two here, and longer runs of
    /// whitespace are skipped out of line.
    #[inline(always)]
    fn ws(&mut self) {
        if self.bytes.get(self.pos).is_some_and(|&b| b <= b' ') {
            if self.bytes.get(self.pos) == Some(&b' ')
                && self.bytes.get(self.pos + 1).is_some_and(|&b| b > b' ')
            {
                self.pos += 1;
            } else {
                self.ws_run();
            }
        }
    }

    /// Skips a run of whitespace ([`past_whitespace`]).
    #[inline(never)]
    fn ws_run(&mut self) {
        self.pos = past_whitespace(self.bytes, self.pos);
    }

    fn enter(&mut self, at: usize) -> Result<(), DecodeError> {
        self.depth += 1;
        if self.depth > self.limits.max_depth {
            return Err(self
                .error(
                    DecodeErrorKind::Limit,
                    at,
                    format!(
                        "nesting is deeper than the limit of {} levels",
                        self.limits.max_depth
                    ),
                )
                .with_zh(format!("嵌套超过 {} 层的上限", self.limits.max_depth)));
        }
        Ok(())
    }

    /// Reads `"key"` and the `:` after it.
    fn read_key(&mut self) -> Result<Member<'a>, DecodeError> {
        self.ws();
        let start = self.pos;
        if self.bytes.get(self.pos) != Some(&b'"') {
            return Err(self.no_key());
        }
        let (raw, escaped) = self.read_string_content()?;
        let name = if escaped {
            Cow::Owned(crate::wire::json_escape::unescape(raw))
        } else {
            Cow::Borrowed(raw)
        };
        self.ws();
        if self.bytes.get(self.pos) != Some(&b':') {
            return Err(self.no_colon());
        }
        self.pos += 1;
        self.ws();
        Ok(Member { name, start })
    }

    /// The error of an object member that does not start with a key.
    #[cold]
    #[inline(never)]
    fn no_key(&self) -> DecodeError {
        self.syntax_found(
            DecodeErrorKind::Syntax,
            "expected an object key (a string in double quotes)".into(),
        )
        .with_zh("应为对象的键（双引号括起的字符串）")
    }

    /// The error of a key without `:` after it.
    #[cold]
    #[inline(never)]
    fn no_colon(&self) -> DecodeError {
        self.syntax_found(
            DecodeErrorKind::Syntax,
            "expected `:` after the object key".into(),
        )
        .with_zh("对象的键后面应为 `:`")
    }

    /// At an opening quote: reads to the closing quote and returns the content and whether it
    /// has escapes.
    #[inline(always)]
    fn read_string_content(&mut self) -> Result<(&'a str, bool), DecodeError> {
        // The usual string, short and without escapes, is read here; anything else (an escape,
        // a control character, the end of the input) the full loop below reads from its start.
        let start = self.pos + 1;
        let rest = self.bytes.get(start..).unwrap_or_default();
        let end = start + plain_run(rest);
        if self.input.as_bytes().get(end) == Some(&b'"') {
            if let Some(content) = self.input.get(start..end) {
                self.pos = end + 1;
                return Ok((content, false));
            }
        }
        self.read_string_slowly()
    }

    /// [`JsonDecoder::read_string_content`] for strings with escapes, and every error.
    #[inline(never)]
    fn read_string_slowly(&mut self) -> Result<(&'a str, bool), DecodeError> {
        let open = self.pos;
        self.pos += 1;
        let start = self.pos;
        let mut escaped = false;
        loop {
            // Skip the bytes that need no attention in one go.
            self.pos += plain_run(&self.bytes[self.pos..]);
            match self.bytes.get(self.pos) {
                None => {
                    return Err(self
                        .error(
                            DecodeErrorKind::Syntax,
                            open,
                            "string is not closed: no `\"` before the end of the input",
                        )
                        .with_zh("字符串没有结束：输入结尾之前没有 `\"`"))
                }
                Some(b'"') => {
                    let content = &self.input[start..self.pos];
                    self.pos += 1;
                    return Ok((content, escaped));
                }
                Some(b'\\') => {
                    escaped = true;
                    self.check_escape()?;
                }
                Some(_) => {
                    return Err(self
                        .syntax(format!(
                            "{} inside a string must be escaped (`\\n`, `\\t`, `\\u00XX`)",
                            self.describe()
                        ))
                        .with_zh(format!(
                            "字符串里的{}必须转义（`\\n`、`\\t`、`\\u00XX`）",
                            self.describe()
                        )))
                }
            }
        }
    }

    /// At a backslash: checks one escape sequence and moves past it.
    fn check_escape(&mut self) -> Result<(), DecodeError> {
        let at = self.pos;
        match self.bytes.get(self.pos + 1) {
            Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => {
                self.pos += 2;
                Ok(())
            }
            Some(b'u') => {
                let unit = crate::wire::json_escape::code_unit(self.input, self.pos + 2)
                    .ok_or_else(|| {
                        self.error(
                            DecodeErrorKind::Syntax,
                            at,
                            "`\\u` must be followed by four hex digits",
                        )
                        .with_zh("`\\u` 后面必须跟四位十六进制数字")
                    })?;
                self.pos += 6;
                match unit {
                    0xD800..=0xDBFF => {
                        let low = (self.bytes.get(self.pos) == Some(&b'\\')
                            && self.bytes.get(self.pos + 1) == Some(&b'u'))
                        .then(|| crate::wire::json_escape::code_unit(self.input, self.pos + 2))
                        .flatten();
                        match low {
                            Some(0xDC00..=0xDFFF) => {
                                self.pos += 6;
                                Ok(())
                            }
                            _ => Err(self.error(
                                DecodeErrorKind::Syntax,
                                at,
                                format!("lone surrogate `\\u{unit:04X}`: a high surrogate must be followed by a low one"),
                            )
.with_zh(format!("孤立的代理项 `\\u{unit:04X}`：高代理项后面必须跟低代理项"))),
                        }
                    }
                    0xDC00..=0xDFFF => Err(self
                        .error(
                            DecodeErrorKind::Syntax,
                            at,
                            format!(
                                "lone surrogate `\\u{unit:04X}` without a high surrogate before it"
                            ),
                        )
                        .with_zh(format!("孤立的代理项 `\\u{unit:04X}`：前面没有高代理项"))),
                    _ => Ok(()),
                }
            }
            _ => {
                self.pos += 1;
                Err(self.error(
                    DecodeErrorKind::Syntax,
                    at,
                    format!(
                        "unknown escape `\\{}`; JSON allows \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\u with four hex digits",
                        self.input[self.pos..].chars().next().unwrap_or(' ')
                    ),
                )
.with_zh(format!("未知的转义 `\\{}`；JSON 只允许 \\\" \\\\ \\/ \\b \\f \\n \\r \\t 和带四位十六进制数字的 \\u", self.input[self.pos..].chars().next().unwrap_or(' '))))
            }
        }
    }

    /// At a number: checks the RFC 8259 grammar and returns the token.
    fn read_number(&mut self) -> Result<&'a str, DecodeError> {
        let start = self.pos;
        let b = self.bytes;
        let digits = |pos: &mut usize| {
            let s = *pos;
            while b.get(*pos).is_some_and(u8::is_ascii_digit) {
                *pos += 1;
            }
            *pos - s
        };
        let mut p = self.pos;
        if b.get(p) == Some(&b'-') {
            p += 1;
        }
        let int_start = p;
        let n = digits(&mut p);
        let bad = |p: usize, what: &str| {
            let what_zh = match what {
                "expected a digit" => "应为数字",
                "leading zeros are not allowed" => "不允许前导零",
                "expected a digit after the decimal point" => "小数点后应为数字",
                _ => "指数部分应为数字",
            };
            DecodeError::quoting(
                DecodeErrorKind::Syntax,
                p,
                "malformed number",
                format!(
                    " `{}`: {what}",
                    &self.input[start..p.max(start + 1).min(self.input.len())]
                ),
            )
            .with_zh(format!("数字格式错误（{what_zh}）"))
        };
        if n == 0 {
            return Err(bad(p, "expected a digit"));
        }
        if n > 1 && b[int_start] == b'0' {
            return Err(bad(p, "leading zeros are not allowed"));
        }
        if b.get(p) == Some(&b'.') {
            p += 1;
            if digits(&mut p) == 0 {
                return Err(bad(p, "expected a digit after the decimal point"));
            }
        }
        if let Some(b'e' | b'E') = b.get(p) {
            p += 1;
            if let Some(b'+' | b'-') = b.get(p) {
                p += 1;
            }
            if digits(&mut p) == 0 {
                return Err(bad(p, "expected a digit in the exponent"));
            }
        }
        self.pos = p;
        Ok(&self.input[start..p])
    }

    fn read_literal(&mut self) -> Result<&'a str, DecodeError> {
        for lit in ["true", "false", "null"] {
            if self.bytes[self.pos..].starts_with(lit.as_bytes()) {
                let s = &self.input[self.pos..self.pos + lit.len()];
                self.pos += lit.len();
                return Ok(s);
            }
        }
        Err(self
            .syntax_found(DecodeErrorKind::Syntax, "expected a JSON value".into())
            .with_zh("应为一个 JSON 值"))
    }

    /// At `{`: reads the object, calling `member` with the decoder standing at each value.
    fn object(
        &mut self,
        mut member: impl FnMut(&mut Self, Member<'a>) -> Result<(), DecodeError>,
    ) -> Result<(), DecodeError> {
        self.enter(self.pos)?;
        self.pos += 1;
        self.ws();
        if self.bytes.get(self.pos) == Some(&b'}') {
            self.pos += 1;
        } else {
            loop {
                let key = self.read_key()?;
                member(self, key)?;
                if self.after_item(b'}', "object member")? {
                    break;
                }
            }
        }
        self.depth -= 1;
        Ok(())
    }

    /// At `[`: reads the array, calling `element` with the decoder standing at each element.
    fn array(
        &mut self,
        mut element: impl FnMut(&mut Self) -> Result<(), DecodeError>,
    ) -> Result<(), DecodeError> {
        self.enter(self.pos)?;
        self.pos += 1;
        self.ws();
        if self.bytes.get(self.pos) == Some(&b']') {
            self.pos += 1;
        } else {
            loop {
                element(self)?;
                if self.after_item(b']', "array element")? {
                    break;
                }
            }
        }
        self.depth -= 1;
        Ok(())
    }

    /// Skips any value and returns its span.
    fn skip_value(&mut self) -> Result<Span, DecodeError> {
        self.ws();
        let start = self.pos;
        match self.bytes.get(self.pos) {
            Some(b'{') => self.object(|d, _| d.skip_value().map(drop))?,
            Some(b'[') => self.array(|d| d.skip_value().map(drop))?,
            Some(b'"') => {
                self.read_string_content()?;
            }
            Some(b'-' | b'0'..=b'9') => {
                self.read_number()?;
            }
            _ => {
                self.read_literal()?;
            }
        }
        Ok(Span::new(start, self.pos))
    }

    /// After an item of an object or array: consumes `,` (false) or the closing byte (true).
    #[inline(always)]
    fn after_item(&mut self, close: u8, what: &str) -> Result<bool, DecodeError> {
        self.ws();
        match self.bytes.get(self.pos) {
            Some(b',') => {
                self.pos += 1;
                self.ws();
                if self.bytes.get(self.pos) == Some(&close) {
                    return Err(self.trailing_comma(close, what));
                }
                Ok(false)
            }
            Some(&b) if b == close => {
                self.pos += 1;
                Ok(true)
            }
            _ => Err(self.no_comma(close, what)),
        }
    }

    /// The error of a `,` right before the closing byte.
    #[cold]
    #[inline(never)]
    fn trailing_comma(&self, close: u8, what: &str) -> DecodeError {
        self.syntax(format!(
            "trailing comma: expected another {what} after `,`, found `{}`",
            close as char
        ))
        .with_zh(format!(
            "多余的逗号：`,` 后面应还有一个{}，实际为 `{}`",
            if what == "object member" {
                "对象成员"
            } else {
                "数组元素"
            },
            close as char
        ))
    }

    /// The error of something else than `,` or the closing byte after an item.
    #[cold]
    #[inline(never)]
    fn no_comma(&self, close: u8, what: &str) -> DecodeError {
        self.syntax_found(
            DecodeErrorKind::Syntax,
            format!("expected `,` or `{}` after an {what}", close as char),
        )
        .with_zh(format!(
            "{}后面应为 `,` 或 `{}`",
            if what == "object member" {
                "对象成员"
            } else {
                "数组元素"
            },
            close as char
        ))
    }

    /// Reads the scalar at the current position. An object or array is skipped and returned
    /// as a text flagged as having children, so that validation can report it.
    #[inline]
    pub(crate) fn read_text(&mut self) -> Result<Text<'a>, DecodeError> {
        self.ws();
        let start = self.pos;
        let mut flags = TextFlags::default();
        match self.bytes.get(self.pos) {
            Some(b'"') => {
                let (raw, escaped) = self.read_string_content()?;
                if escaped {
                    flags.set(TextFlags::ENTITIES);
                }
                let span = Span::new(start + 1, self.pos - 1);
                Ok(Text::from_json(raw, span, flags))
            }
            Some(b'-' | b'0'..=b'9') => {
                let raw = self.read_number()?;
                flags.set(TextFlags::CDATA);
                Ok(Text::from_json(raw, Span::new(start, self.pos), flags))
            }
            Some(b'{' | b'[') => {
                let span = self.skip_value()?;
                flags.set(TextFlags::CHILDREN);
                Ok(Text::from_json(&self.input[span.range()], span, flags))
            }
            _ => {
                let raw = self.read_literal()?;
                flags.set(TextFlags::MARKUP);
                Ok(Text::from_json(raw, Span::new(start, self.pos), flags))
            }
        }
    }

    /// Decodes the object at the current position into `node`. Any other value is kept in the
    /// node's unknown list as a value of the wrong type.
    pub(crate) fn read_node_into<T: JsonNode<'a>>(
        &mut self,
        node: &mut T,
    ) -> Result<(), DecodeError> {
        self.ws();
        let start = self.pos;
        if self.bytes.get(self.pos) != Some(&b'{') {
            let span = self.skip_value()?;
            node.set_span(span);
            node.unknown_mut().push(Unknown {
                name: Cow::Borrowed(""),
                raw: Cow::Borrowed(&self.input[span.range()]),
                span,
                kind: UnknownKind::WrongType,
            });
            return Ok(());
        }
        node.set_span(Span::new(start, start + 1));
        self.object(|d, member| node.decode_member(d, member))
    }

    /// Decodes the array at the current position into `list`'s items. Any other value is
    /// kept in the list's unknown entries as a value of the wrong type.
    pub(crate) fn read_list_into<T: JsonItem<'a>>(
        &mut self,
        list: &mut List<'a, T>,
    ) -> Result<(), DecodeError> {
        self.ws();
        let start = self.pos;
        if self.bytes.get(self.pos) != Some(&b'[') {
            let span = self.skip_value()?;
            list.span = span;
            list.unknown.push(Unknown {
                name: Cow::Borrowed(""),
                raw: Cow::Borrowed(&self.input[span.range()]),
                span,
                kind: UnknownKind::WrongType,
            });
            return Ok(());
        }
        list.span = Span::new(start, start + 1);
        let max = self.limits.max_list_items;
        // A list of the root object (a `trade_list`), or a bare top-level array, is sized from
        // its first item, as the XML decoder does: the rest of the input holds at most this many
        // more of the same size (capped). Nested lists are left to grow: a short order list
        // early in a long push would otherwise reserve room for the whole rest.
        let top = self.depth <= 1;
        self.array(|d| {
            if list.items.len() >= max as usize {
                return Err(d.error(
                    DecodeErrorKind::Limit,
                    d.pos,
                    format!("array has more than {max} elements, over the list limit"),
                ));
            }
            let at = d.pos;
            T::decode_json_into(d, &mut list.items)?;
            if top && list.items.len() == 1 {
                let used = (d.pos - at).max(1);
                let guess = ((d.bytes.len() - d.pos) / used).min(MAX_LIST_GUESS);
                list.items.reserve(guess);
            }
            Ok(())
        })
    }

    fn keep_aside(
        &mut self,
        member: Member<'a>,
        kind: UnknownKind,
        out: &mut Vec<Unknown<'a>>,
    ) -> Result<(), DecodeError> {
        let at = self.pos;
        let value = self.skip_value()?;
        self.keep_one(at)?;
        out.push(Unknown {
            name: member.name,
            raw: Cow::Borrowed(&self.input[value.range()]),
            span: Span::new(member.start, value.end as usize),
            kind,
        });
        Ok(())
    }

    /// Decodes a scalar member; a second occurrence of the key is kept aside as a duplicate.
    pub(crate) fn text(
        &mut self,
        member: Member<'a>,
        slot: &mut Option<Text<'a>>,
        unknown: &mut Vec<Unknown<'a>>,
    ) -> Result<(), DecodeError> {
        if slot.is_some() {
            return self.keep_aside(member, UnknownKind::Duplicate, unknown);
        }
        *slot = Some(self.read_text()?);
        Ok(())
    }

    /// Decodes an object member; a second occurrence is kept aside as a duplicate.
    // Generated code calls this for a struct-valued field; no wdt spec has one yet.
    #[allow(dead_code)]
    pub(crate) fn node<T: JsonNode<'a>>(
        &mut self,
        member: Member<'a>,
        slot: &mut Option<T>,
        unknown: &mut Vec<Unknown<'a>>,
    ) -> Result<(), DecodeError> {
        if slot.is_some() {
            return self.keep_aside(member, UnknownKind::Duplicate, unknown);
        }
        self.read_node_into(slot.insert(T::default()))
    }

    /// Decodes an array member; a second occurrence is kept aside as a duplicate.
    pub(crate) fn list<T: JsonItem<'a>>(
        &mut self,
        member: Member<'a>,
        slot: &mut Option<List<'a, T>>,
        unknown: &mut Vec<Unknown<'a>>,
    ) -> Result<(), DecodeError> {
        if slot.is_some() {
            return self.keep_aside(member, UnknownKind::Duplicate, unknown);
        }
        self.read_list_into(slot.insert(List {
            items: Vec::new(),
            span: Span::default(),
            unknown: Vec::new(),
        }))
    }

    /// Decodes an object of free key/value pairs; a non-object value is kept aside.
    // Generated code calls this for a map-valued field; no wdt spec has one yet.
    #[allow(dead_code)]
    pub(crate) fn map(
        &mut self,
        member: Member<'a>,
        slot: &mut Option<Map<'a>>,
        unknown: &mut Vec<Unknown<'a>>,
    ) -> Result<(), DecodeError> {
        self.ws();
        if slot.is_some() {
            return self.keep_aside(member, UnknownKind::Duplicate, unknown);
        }
        if self.bytes.get(self.pos) != Some(&b'{') {
            return self.keep_aside(member, UnknownKind::WrongType, unknown);
        }
        let start = self.pos;
        let mut map = Map {
            unknown: Vec::new(),
            entries: Vec::new(),
            span: Span::new(start, start + 1),
        };
        self.object(|d, key| {
            d.keep_one(d.pos)?;
            let value = d.read_text()?;
            map.entries.push(MapEntry {
                key: key.name,
                value,
            });
            Ok(())
        })?;
        *slot = Some(map);
        Ok(())
    }

    /// Keeps a member the contract does not define, verbatim.
    pub(crate) fn unknown(
        &mut self,
        member: Member<'a>,
        unknown: &mut Vec<Unknown<'a>>,
    ) -> Result<(), DecodeError> {
        self.keep_aside(member, UnknownKind::Element, unknown)
    }
}

/// Where the run of JSON whitespace starting at `pos` ends. Spaces are read eight at a time:
/// a line break and the next line's indentation, what pretty-printed JSON has before each
/// key, take a step or two.
#[inline(always)]
fn past_whitespace(bytes: &[u8], mut pos: usize) -> usize {
    const SPACES: u64 = u64::from_ne_bytes([b' '; 8]);
    loop {
        while let Some(chunk) = bytes.get(pos..pos + 8) {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            // The bytes equal to a space become zero; the lowest other one ends the spaces.
            let w = u64::from_le_bytes(word) ^ SPACES;
            if w != 0 {
                pos += (w.trailing_zeros() / 8) as usize;
                break;
            }
            pos += 8;
        }
        match bytes.get(pos) {
            Some(b' ' | b'\n' | b'\t' | b'\r') => pos += 1,
            _ => return pos,
        }
    }
}

/// How many bytes at the start of `rest` need no attention inside a JSON string: up to the
/// first `"`, `\\` or control character, or all of them. Eight bytes are looked at per step,
/// as one word: a byte equal to `"` or `\\` becomes zero after an exclusive or, and the
/// classic "has a byte below n" test finds zeros and control characters together. The test
/// can flag a byte above a true match, never below one, so the lowest flag is exact.
#[inline]
fn plain_run(rest: &[u8]) -> usize {
    const ONES: u64 = u64::from_ne_bytes([1; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    let below = |w: u64, n: u8| w.wrapping_sub(ONES * u64::from(n)) & !w & HIGH;
    let mut words = rest.chunks_exact(8);
    let mut done = 0;
    for chunk in words.by_ref() {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(chunk);
        let w = u64::from_le_bytes(bytes);
        let hits = below(w ^ (ONES * u64::from(b'"')), 1)
            | below(w ^ (ONES * u64::from(b'\\')), 1)
            | below(w, 0x20);
        if hits != 0 {
            return done + (hits.trailing_zeros() / 8) as usize;
        }
        done += 8;
    }
    let tail = words.remainder();
    done + tail
        .iter()
        .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
        .unwrap_or(tail.len())
}

/// Checks that `input` is one well-formed JSON value within `limits` and returns the keys that
/// tell its shape: the top-level object's keys, or, for an array, its first element's keys
/// (`true` in the first place). Nothing else is built.
pub(crate) fn top_level_keys<'a>(
    input: &'a str,
    limits: &Limits,
) -> Result<(bool, Vec<Cow<'a, str>>), DecodeError> {
    let mut d = JsonDecoder::new(input, limits)?;
    let mut keys = Vec::new();
    let array = match d.first_byte() {
        None => return Err(d.syntax("expected a JSON value, found the end of the input")),
        Some(b'[') => {
            let mut first = true;
            d.array(|d| {
                if std::mem::take(&mut first) && d.bytes.get(d.pos) == Some(&b'{') {
                    d.object_keys(&mut keys)
                } else {
                    d.skip_value().map(drop)
                }
            })?;
            true
        }
        Some(b'{') => {
            d.object_keys(&mut keys)?;
            false
        }
        Some(_) => {
            d.skip_value()?;
            false
        }
    };
    d.finish()?;
    Ok((array, keys))
}

impl<'a> JsonDecoder<'a> {
    /// At `{`: skips the object, collecting its keys.
    fn object_keys(&mut self, keys: &mut Vec<Cow<'a, str>>) -> Result<(), DecodeError> {
        self.object(|d, key| {
            keys.push(key.name);
            d.skip_value().map(drop)
        })
    }
}

/// Checks that `input` is one well-formed JSON value within `limits`, without building anything.
#[cfg(any(test, feature = "fuzzing"))]
pub(crate) fn check_syntax(input: &str, limits: &Limits) -> Result<(), DecodeError> {
    let mut d = JsonDecoder::new(input, limits)?;
    if d.first_byte().is_none() {
        return Err(d.syntax("expected a JSON value, found the end of the input"));
    }
    d.skip_value()?;
    d.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn syntax(input: &str) -> Result<(), DecodeError> {
        check_syntax(input, &Limits::default())
    }

    #[test]
    fn past_whitespace_stops_at_the_first_other_byte() {
        let pieces = [
            " ", "        ", "\n", "\r\n", "\t", "x", "\u{a0}", "\u{3000}", "\x0b", "\x0c",
        ];
        let mut rng = crate::wire::test_rng::Rng(0x2545_F491_4F6C_DD1D);
        for _ in 0..5_000 {
            let mut text = String::new();
            for _ in 0..rng.below(12) {
                text.push_str(rng.pick(&pieces));
            }
            let bytes = text.as_bytes();
            for pos in 0..=bytes.len() {
                let expected = pos
                    + bytes[pos..]
                        .iter()
                        .take_while(|b| matches!(b, b' ' | b'\n' | b'\t' | b'\r'))
                        .count();
                assert_eq!(
                    super::past_whitespace(bytes, pos),
                    expected,
                    "{text:?} at {pos}"
                );
            }
        }
    }

    #[test]
    fn plain_run_stops_at_the_first_byte_that_needs_attention() {
        let slow = |r: &[u8]| {
            r.iter()
                .position(|&b| b == b'"' || b == b'\\' || b < 0x20)
                .unwrap_or(r.len())
        };
        let mut inputs: Vec<Vec<u8>> = vec![
            Vec::new(),
            "店铺名称ab\"".into(),
            b"\x7f\x80\xff!#[]".to_vec(),
        ];
        // Every byte value at every place of a 20-byte run, alone and after a zero byte.
        for special in 0..=255u8 {
            for at in 0..20 {
                let mut v = vec![b'a'; 20];
                v[at] = special;
                inputs.push(v.clone());
                // a byte that could borrow into the special one's place
                if at > 0 {
                    v[at - 1] = 0x00;
                    inputs.push(v);
                }
            }
        }
        for input in &inputs {
            assert_eq!(plain_run(input), slow(input), "{input:?}");
        }
    }

    #[test]
    fn agrees_with_serde_json_on_syntax() {
        let cases = [
            r#"{"a":[1,2.5,-0.1e+3,true,false,null,"x\u00e9\n"]}"#,
            r#"[]"#,
            r#"  {"k" : {"n": []} }  "#,
            r#"{"a":1,}"#,
            r#"[1,]"#,
            r#"{"a" 1}"#,
            r#"01"#,
            r#"1."#,
            r#"-"#,
            r#"1e"#,
            r#""\x""#,
            r#""\ud800""#,
            r#""\udc00x""#,
            r#""\ud83d\ude00""#,
            "\"tab\tinside\"",
            r#"{"a":1} x"#,
            r#"tru"#,
            r#"{"a":"unterminated}"#,
            r#""#,
            r#"NaN"#,
        ];
        for c in cases {
            let ours = syntax(c).is_ok();
            let theirs = serde_json::from_str::<serde_json::Value>(c).is_ok();
            assert_eq!(ours, theirs, "disagreement on {c:?}");
        }
    }

    #[test]
    fn errors_have_positions_and_say_what_was_expected() {
        let e = syntax(r#"{"a":1,}"#).unwrap_err();
        assert_eq!(e.offset(), 7);
        assert!(e.message().contains("trailing comma"), "{}", e.message());
        let e = syntax("{\"a\":\"x\ny\"}").unwrap_err();
        assert_eq!(e.offset(), 7);
    }

    #[test]
    fn depth_and_size_limits_hold() {
        let deep = "[".repeat(100) + &"]".repeat(100);
        let e = syntax(&deep).unwrap_err();
        assert_eq!(e.kind(), DecodeErrorKind::Limit);
        // The ceiling holds whatever the caller asks for.
        let unlimited = Limits {
            max_depth: u32::MAX,
            ..Limits::default()
        };
        let at = |d: usize| "[".repeat(d) + &"]".repeat(d);
        let e = check_syntax(&at(513), &unlimited).unwrap_err();
        assert_eq!(e.kind(), DecodeErrorKind::Limit);
        assert_eq!(
            e.message(),
            "nesting is deeper than the limit of 512 levels"
        );
        assert!(check_syntax(&at(512), &unlimited).is_ok());
        let small = Limits {
            max_bytes: 4,
            ..Limits::default()
        };
        assert_eq!(
            check_syntax("[1,2,3]", &small).unwrap_err().kind(),
            DecodeErrorKind::Limit
        );
    }

    #[test]
    fn scalars_keep_raw_text_and_spans() {
        let input = r#"["a\"b", 399.0, null, {"x":1}]"#;
        let mut d = JsonDecoder::new(input, &Limits::default()).unwrap();
        let mut list: List<'_, Text<'_>> = List::default();
        d.read_list_into(&mut list).unwrap();
        let [s, n, z, o] = &list.items[..] else {
            panic!("four items expected")
        };
        assert_eq!(
            (s.raw(), &*s.value(), s.span()),
            (r#"a\"b"#, "a\"b", Span::new(2, 6))
        );
        assert!(s.is_json_string());
        assert_eq!((n.raw(), n.is_json_number()), ("399.0", true));
        assert!(z.is_json_null() && z.is_blank());
        assert!(o.has_children());
        assert_eq!(o.raw(), r#"{"x":1}"#);
    }
}
