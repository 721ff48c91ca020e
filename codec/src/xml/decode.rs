//! Lenient, zero-copy decoding of Qimen XML into generated models, over quick-xml's borrowed
//! slice reader; plain leaf elements are read in one scan instead (see [`XmlDecoder`]).
//!
//! Decoding fails only on broken XML or a hard limit; everything else (unknown elements, wrong
//! value formats, missing fields) is left for validation, so one run reports every problem.
//! Scalars keep the raw input slice and its span; entities and CDATA are checked here and
//! resolved later, on demand, by [`Text::value`].

use crate::error::{DecodeError, DecodeErrorKind};
use crate::model::values::{List, Map, MapEntry, Unknown, UnknownKind};
use crate::wire::limits::Limits;
use crate::wire::span::Span;
use crate::wire::text::{cdata_end, resolve_entity, Text, TextFlags};
use crate::xml::node::{XmlItem, XmlNode};
use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;
use std::borrow::Cow;

/// A child element whose start tag has just been read.
#[derive(Debug, Clone, Copy)]
pub struct Child<'a> {
    /// The element name, borrowed from the input.
    pub name: &'a str,
    /// Offset of the `<` of the start tag.
    pub start: usize,
    /// Offset just past the start tag's `>`.
    pub content_start: usize,
    /// Whether the tag was self-closing (`<x/>`).
    pub empty: bool,
    /// Who read (or will read) the start tag, see [`Tag`].
    tag: Tag,
}

/// How far the element's start tag was read, and by whom.
#[derive(Debug, Clone, Copy)]
enum Tag {
    /// quick-xml read it as an event (or the tag was self-closing).
    Read,
    /// The scan (see [`XmlDecoder`]) found the whole element `<name>text</name>`; quick-xml's
    /// input still starts before it.
    Leaf(Leaf),
    /// The scan found a plain start tag `<name>` followed by markup other than the element's
    /// end tag (child elements, usually); quick-xml's input still starts before it.
    Start,
    /// The scan consumed the plain start tag: quick-xml never saw it, so the element's end tag
    /// is checked by the decoder (and taken by the scan when it is plain `</name>`).
    Taken,
}

/// What [`XmlDecoder::peek`] found.
enum Peeked<'a> {
    /// The next child element.
    Child(Child<'a>),
    /// The plain end tag of the element being read; the offset just past it.
    End(usize),
}

/// What the leaf scan learnt about an element `<name>text</name>`.
#[derive(Debug, Clone, Copy)]
struct Leaf {
    /// Offset of the `<` of the end tag (inputs stay below 4 GiB, see
    /// [`crate::wire::text::MAX_INPUT_BYTES`]).
    text_end: u32,
    /// Offset just past the end tag.
    end: u32,
    /// Whether the text has entity references or CDATA sections.
    flags: TextFlags,
}

impl Child<'_> {
    fn tag_span(&self) -> Span {
        Span::new(self.start, self.content_start)
    }
}

/// The event reader plus the bookkeeping generated `decode_child` methods call into.
///
/// Most elements of a Qimen message are leaves written `<name>text</name>`: a plain start tag
/// (no attributes), text with at most known entity references and CDATA sections, and the
/// matching end tag. Before asking quick-xml for the next event inside an element, the decoder
/// looks at the input itself. When it finds exactly that shape and the element is read as a
/// scalar or skipped, it takes the whole element at once and moves quick-xml's input past it:
/// one scan instead of three or more events. The other elements are mostly blocks written
/// `<name>` … `</name>`: when a block read as a struct, list or map opens with such a plain
/// start tag, the scan takes that tag, and later its plain end tag, in the same way.
///
/// quick-xml therefore sees only some of the tags, so its own check that an end tag matches
/// the open element is off while the scan is on, and the decoder makes that check itself on
/// every end tag quick-xml reads, with quick-xml's error. Anything else (attributes, comments,
/// an unknown entity, `</name >`, a self-closing tag, text around child elements) goes
/// through quick-xml's events as usual, so every other well-formedness check and error stays
/// quick-xml's. With the scan off (the reference the tests and fuzzing compare against),
/// quick-xml reads and checks every tag.
pub struct XmlDecoder<'a> {
    /// Spans of attribute text seen on decoded elements (Qimen uses none; they are reported).
    attributes: Vec<Span>,
    input: &'a str,
    reader: Reader<&'a [u8]>,
    base: usize,
    /// Bytes the leaf scan consumed; quick-xml's own offsets do not count them.
    scanned: usize,
    /// Off only for the differential tests and fuzzing, which compare against pure quick-xml.
    leaf_scan: bool,
    depth: u32,
    limits: Limits,
    /// List items, map entries and pieces kept aside so far, against [`Limits::max_items`].
    kept: u32,
}

/// The most items a list reserves room for up front, from the size of its first item.
const MAX_LIST_GUESS: usize = 256;

/// Decodes a whole document whose root element must be `root`.
pub fn decode_root<'a, T: XmlNode<'a>>(
    input: &'a str,
    root: &str,
    limits: &Limits,
) -> Result<T, DecodeError> {
    decode_root_noting(input, root, limits, &mut Vec::new())
}

/// Like [`decode_root`], and adds the span of every attribute list found on a decoded element
/// to `attributes`. The Qimen contract has no attributes, so the model keeps none; callers
/// report them instead of losing them silently.
pub fn decode_root_noting<'a, T: XmlNode<'a>>(
    input: &'a str,
    root: &str,
    limits: &Limits,
    attributes: &mut Vec<Span>,
) -> Result<T, DecodeError> {
    let mut node = T::default();
    decode_root_into(input, root, limits, attributes, &mut node)?;
    Ok(node)
}

/// Like [`decode_root_noting`], decoding into `node` (a fresh default) so that large roots are
/// built where they will live, e.g. already in their `Box`.
pub fn decode_root_into<'a, T: XmlNode<'a>>(
    input: &'a str,
    root: &str,
    limits: &Limits,
    attributes: &mut Vec<Span>,
    node: &mut T,
) -> Result<(), DecodeError> {
    let mut d = XmlDecoder::new(input, limits)?;
    let child = d.prolog()?;
    if child.name != root {
        return Err(DecodeError::quoting(
            DecodeErrorKind::Root,
            child.start,
            format!("expected root element `<{root}>`"),
            format!(", found `<{}>`", shown_name(child.name)),
        )
        .with_zh(format!("根元素应为 `<{root}>`")));
    }
    d.read_node_into(child, node)?;
    d.epilog()?;
    attributes.append(&mut d.attributes);
    Ok(())
}

/// Reads all of `input` as XML without building anything: the well-formedness and limit checks
/// of decoding, for a document no message could be chosen for (its syntax error, or a limit,
/// then wins over "cannot tell the method").
pub fn check_document(input: &str, limits: &Limits) -> Result<(), DecodeError> {
    let mut d = XmlDecoder::new(input, limits)?;
    let root = d.prolog()?;
    d.skip(root)?;
    d.epilog()
}

/// Name of the root element of `input`, reading no further than its start tag.
pub fn root_name<'a>(input: &'a str, limits: &Limits) -> Result<&'a str, DecodeError> {
    let mut d = XmlDecoder::new(input, limits)?;
    Ok(d.prolog()?.name)
}

impl<'a> XmlDecoder<'a> {
    fn new(input: &'a str, limits: &Limits) -> Result<XmlDecoder<'a>, DecodeError> {
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
        let base = if input.starts_with('\u{FEFF}') { 3 } else { 0 };
        let body = &input[base..];
        // quick-xml would strip a second mark without counting it in its offsets.
        if body.starts_with('\u{FEFF}') {
            return Err(DecodeError::new(
                DecodeErrorKind::Syntax,
                base,
                "malformed XML: a second byte order mark (U+FEFF) before the root element",
            )
            .with_zh("XML 格式错误：根元素前有第二个字节顺序标记（U+FEFF）"));
        }
        // One vectorised pass over the whole input is cheaper than checking each kept value.
        forbid_controls(input)?;
        if !body.starts_with("<?xml") && body.trim_start().starts_with("<?xml") {
            return Err(DecodeError::new(
                DecodeErrorKind::Syntax,
                input.len() - body.trim_start().len(),
                "malformed XML: the XML declaration `<?xml …?>` must be the very first thing in the document",
            )
.with_zh("XML 格式错误：XML 声明 `<?xml …?>` 必须是文档最开头的内容"));
        }
        let mut reader = Reader::from_str(body);
        // Whitespace-only text between tags never reaches the decoder. Scalar values are cut
        // from the input by offset, so their text (spaces included) is not affected.
        reader.config_mut().trim_text(true);
        // `--` inside a comment is not XML.
        reader.config_mut().check_comments = true;
        let leaf_scan = leaf_scan_enabled();
        // The scan takes some tags quick-xml then never sees: the decoder pairs end tags with
        // their elements itself (see [`XmlDecoder::check_end`]).
        reader.config_mut().check_end_names = !leaf_scan;
        reader.config_mut().allow_unmatched_ends = leaf_scan;
        Ok(XmlDecoder {
            attributes: Vec::new(),
            input,
            reader,
            base,
            scanned: 0,
            leaf_scan,
            depth: 0,
            kept: 0,
            // The ceiling applies whatever the caller asked for.
            limits: Limits {
                max_depth: limits.depth(),
                ..*limits
            },
        })
    }

    /// Offset in the whole input of quick-xml's read position.
    #[inline(always)]
    fn position(&self) -> usize {
        self.base + self.scanned + self.reader.buffer_position() as usize
    }

    /// Looks ahead (past optional whitespace) inside `parent` for its next child element, or
    /// for its plain end tag `</name>` when the scan took its start tag ([`Tag::Taken`]),
    /// consuming nothing. `None` when neither is there in a shape the scan reads (see
    /// [`Self::peek_child`]).
    ///
    /// Only [`Self::next_child`] calls it, before its event loop. There quick-xml's last event
    /// was a start tag, an end tag or a self-closing tag (or the last tag taken by this scan),
    /// never text, so quick-xml expects its input to start with whitespace or markup: exactly
    /// where a taken leaf or tag leaves it.
    #[inline(always)]
    fn peek(&self, parent: &Child<'a>) -> Option<Peeked<'a>> {
        let rest: &'a [u8] = self.reader.get_ref();
        let lead = rest
            .iter()
            .position(|b| !matches!(b, b' ' | b'\t' | b'\n' | b'\r'))?;
        let tag = &rest[lead..];
        if tag.get(1) != Some(&b'/') {
            return self.peek_child(lead, tag).map(Peeked::Child);
        }
        let name = parent.name.as_bytes();
        let plain_end = matches!(parent.tag, Tag::Taken)
            && tag[0] == b'<'
            && tag.len() > name.len() + 2
            && &tag[2..2 + name.len()] == name
            && tag[2 + name.len()] == b'>';
        plain_end.then(|| Peeked::End(self.position() + lead + name.len() + 3))
    }

    /// Describes the element starting at `tag` (`lead` bytes into quick-xml's input): a leaf
    /// `<name>text</name>` ([`Tag::Leaf`]) or a plain start tag `<name>` followed by child
    /// elements ([`Tag::Start`]); `None` for any other shape. Entity references in a leaf's
    /// text must be ones [`resolve_entity`] knows, or quick-xml's events report them.
    #[inline(always)]
    fn peek_child(&self, lead: usize, tag: &'a [u8]) -> Option<Child<'a>> {
        if self.depth >= self.limits.max_depth || tag.first() != Some(&b'<') {
            return None;
        }
        let name_len = tag[1..].iter().position(|&b| !is_plain_name_byte(b))?;
        if name_len == 0 || !is_name_start(tag[1]) || tag.get(1 + name_len) != Some(&b'>') {
            return None;
        }
        let name = &tag[1..1 + name_len];
        let content_at = 2 + name_len;
        let start = self.position() + lead;
        let mut child = Child {
            name: &self.input[start + 1..start + 1 + name_len],
            start,
            content_start: start + content_at,
            empty: false,
            tag: Tag::Start,
        };
        let mut flags = TextFlags::default();
        let mut at = content_at;
        let text_end = loop {
            at += memchr::memchr3(b'<', b'&', b']', &tag[at..])?;
            let here = &tag[at..];
            if here[0] == b']' {
                // `]]>` may only close a CDATA section: anywhere else the events path reports it.
                if here.starts_with(b"]]>") {
                    return None;
                }
                at += 1;
            } else if here[0] == b'&' {
                let len = 1 + memchr::memchr3(b';', b'&', b'<', &here[1..])?;
                let entity = std::str::from_utf8(&here[1..len]).ok()?;
                if here[len] != b';' || resolve_entity(entity).is_none() {
                    return None;
                }
                flags.set(TextFlags::ENTITIES);
                at += len + 1;
            } else if let Some(cdata) = here.strip_prefix(b"<![CDATA[") {
                at += 9 + cdata_end(cdata)? + 3;
                flags.set(TextFlags::CDATA);
            } else {
                break at;
            }
        };
        let end_tag = &tag[text_end..];
        if end_tag.len() < name_len + 3
            || &end_tag[..2] != b"</"
            || &end_tag[2..2 + name_len] != name
            || end_tag[2 + name_len] != b'>'
        {
            // Markup before the end tag: the element's content is read from later peeks and
            // events; only its start tag is known to be plain.
            return Some(child);
        }
        child.tag = Tag::Leaf(Leaf {
            text_end: (start + text_end) as u32,
            end: (start + text_end + name_len + 3) as u32,
            flags,
        });
        Some(child)
    }

    /// Moves quick-xml's input to `to`, past bytes the scan read.
    #[inline(always)]
    fn take_to(&mut self, to: usize) {
        let used = to - self.position();
        let rest: &'a [u8] = self.reader.get_ref();
        *self.reader.get_mut() = &rest[used..];
        self.scanned += used;
    }

    /// A peeked element whose content is read from quick-xml's events after all (a scalar
    /// with children, or one skipped): quick-xml reads its start tag.
    fn unpeek(&mut self, child: Child<'a>) -> Result<Child<'a>, DecodeError> {
        if matches!(child.tag, Tag::Read | Tag::Taken) {
            return Ok(child);
        }
        let (ev, _, _) = self.next()?;
        debug_assert!(
            matches!(ev, Event::Start(_)),
            "a peeked element starts with its tag"
        );
        Ok(Child {
            tag: Tag::Read,
            ..child
        })
    }

    /// A peeked element read as a struct, list or map: the scan takes its start tag, and the
    /// content is read by the usual peeks and events.
    fn open(&mut self, child: Child<'a>) -> Child<'a> {
        if !matches!(child.tag, Tag::Leaf(_) | Tag::Start) {
            return child;
        }
        self.take_to(child.content_start);
        Child {
            tag: Tag::Taken,
            ..child
        }
    }

    /// The check quick-xml makes when it sees both tags of an element (it is off while the scan
    /// is on): an end tag `found` that quick-xml read, at `at`, must close `open`, the element
    /// being read. Gives quick-xml's own error.
    #[inline(always)]
    fn check_end(&self, open: &str, found: &str, at: usize) -> Result<(), DecodeError> {
        if open == found {
            return Ok(());
        }
        let e = quick_xml::errors::IllFormedError::MismatchedEndTag {
            expected: open.to_owned(),
            found: found.to_owned(),
        };
        Err(syntax_error(quick_xml::Error::IllFormed(e), at))
    }

    /// quick-xml's error for an end tag outside every element (it lets them through while the
    /// scan is on).
    fn unmatched_end(found: &str, at: usize) -> DecodeError {
        let e = quick_xml::errors::IllFormedError::UnmatchedEndTag(found.to_owned());
        syntax_error(quick_xml::Error::IllFormed(e), at)
    }

    /// Reads one event with its byte range in the original input.
    #[inline(always)]
    fn next(&mut self) -> Result<(Event<'a>, usize, usize), DecodeError> {
        let before = self.position();
        match self.reader.read_event() {
            Ok(ev) => {
                // Whitespace skipped before markup is not part of the event: tag starts come
                // from the event's own length.
                let after = self.position();
                self.check_well_formed(&ev, before)?;
                let start = match &ev {
                    Event::Start(t) => after - t.len() - 2,
                    Event::Empty(t) => after - t.len() - 3,
                    Event::GeneralRef(t) => after - t.len() - 2,
                    // `</name>` unless the end tag has spaces before its `>`.
                    Event::End(t) => match after.checked_sub(t.len() + 3) {
                        Some(at) if self.input.as_bytes()[at..].starts_with(b"</") => at,
                        _ => self.skip_whitespace(before, after),
                    },
                    Event::Text(_) | Event::Eof => before,
                    _ => self.skip_whitespace(before, after),
                };
                Ok((ev, start, after))
            }
            Err(e) => {
                let at = self.base + self.scanned + self.reader.error_position() as usize;
                Err(syntax_error(e, at.min(self.input.len())))
            }
        }
    }

    /// What quick-xml lets through but XML 1.0 does not: element and attribute names that are
    /// not names (`<1a>`), unquoted or repeated attributes, an XML declaration anywhere but at
    /// the very start (or one without `version`), a processing instruction whose target is not a
    /// name or is `xml`. `before` is where the event's bytes begin (whitespace included).
    #[inline(always)]
    fn check_well_formed(&self, ev: &Event<'a>, before: usize) -> Result<(), DecodeError> {
        match ev {
            Event::Text(t) => match find_cdata_end(t[..].as_bytes()) {
                None => Ok(()),
                Some(i) => Err(DecodeError::new(
                    DecodeErrorKind::Syntax,
                    before + i,
                    "malformed XML: `]]>` may not appear in text outside a CDATA section (write `]]&gt;`)",
                )
.with_zh("XML 格式错误：CDATA 段之外的文本里不能出现 `]]>`（应写成 `]]&gt;`）")),
            },
            Event::Decl(_) => {
                let at = self.skip_whitespace(before, self.position());
                if at != self.base {
                    return Err(DecodeError::new(
                        DecodeErrorKind::Syntax,
                        at,
                        "malformed XML: an XML declaration `<?xml …?>` may only stand at the very start of the document",
                    )
.with_zh("XML 格式错误：XML 声明 `<?xml …?>` 只能出现在文档最开头"));
                }
                let text = &self.input[at..self.position()];
                let inner = text
                    .strip_prefix("<?xml")
                    .and_then(|t| t.strip_suffix("?>"))
                    .unwrap_or("");
                if declaration_ok(inner) {
                    Ok(())
                } else {
                    Err(DecodeError::new(
                        DecodeErrorKind::Syntax,
                        at,
                        "malformed XML: expected an XML declaration `<?xml version=\"1.0\" encoding=\"…\" standalone=\"yes|no\"?>` (encoding and standalone optional, in that order, values quoted)",
                    )
.with_zh("XML 格式错误：XML 声明应为 `<?xml version=\"1.0\" encoding=\"…\" standalone=\"yes|no\"?>`（encoding 和 standalone 可省略，顺序如此，值要加引号）"))
                }
            }
            Event::PI(p) => {
                let at = self.skip_whitespace(before, self.position());
                let name = p.target();
                if !is_name(name.as_bytes()) || name.eq_ignore_ascii_case("xml") {
                    return Err(DecodeError::quoting(
                        DecodeErrorKind::Syntax,
                        at,
                        "malformed XML: a processing instruction `<?…?>` must start with a name other than `xml` (an XML declaration needs a space after `<?xml` and may only start the document)",
                        format!(", found `<?{}`", shown_name(name)),
                    )
.with_zh("XML 格式错误：处理指令 `<?…?>` 必须以 `xml` 以外的名称开头（XML 声明在 `<?xml` 后要有空格，且只能在文档开头）"));
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    /// A start tag's name and attributes, as XML 1.0 has them; the tag starts at `at`.
    #[inline(always)]
    fn check_tag(&self, tag: &BytesStart<'_>, at: usize) -> Result<(), DecodeError> {
        self.check_tag_named(tag, tag.name().into_inner(), at)
    }

    /// [`Self::check_tag`] for a tag whose name is already known.
    #[inline(always)]
    fn check_tag_named(
        &self,
        tag: &BytesStart<'_>,
        name: &str,
        at: usize,
    ) -> Result<(), DecodeError> {
        if !is_name(name.as_bytes()) {
            return Err(DecodeError::quoting(
                DecodeErrorKind::Syntax,
                at,
                "malformed XML: an element name must start with a letter, `_` or `:` and hold only letters, digits, `-`, `.`, `_` and `:`",
                // The first character says what is wrong; the rest may be text.
                format!(", found `<{}…`", name.chars().next().unwrap_or(' ')),
            )
.with_zh("XML 格式错误：元素名必须以字母、`_` 或 `:` 开头，且只含字母、数字、`-`、`.`、`_` 和 `:`"));
        }
        if tag.len() == name.len() {
            return Ok(());
        }
        for attribute in tag.attributes().with_checks(true) {
            let attribute =
                attribute.map_err(|e| {
                    DecodeError::quoting(
                    DecodeErrorKind::Syntax,
                    at,
                    "malformed XML: attributes must be `name=\"value\"`, quoted, each name once",
                    format!(": {e}"),
                )
.with_zh("XML 格式错误：属性必须写成 `name=\"value\"`，值加引号，每个名称只出现一次")
                })?;
            if !is_name(attribute.key.into_inner().as_bytes()) {
                return Err(DecodeError::new(
                    DecodeErrorKind::Syntax,
                    at,
                    "malformed XML: an attribute name must start with a letter, `_` or `:` and hold only letters, digits, `-`, `.`, `_` and `:`",
                )
.with_zh("XML 格式错误：属性名必须以字母、`_` 或 `:` 开头，且只含字母、数字、`-`、`.`、`_` 和 `:`"));
            }
            let value: &str = &attribute.value;
            if value.contains('<') || !entities_known(value) {
                return Err(DecodeError::new(
                    DecodeErrorKind::Syntax,
                    at,
                    "malformed XML: an attribute value may not hold `<`, and every `&` must start a known entity or a character reference",
                )
.with_zh("XML 格式错误：属性值里不能有 `<`，每个 `&` 都必须开始一个已知实体或字符引用"));
            }
        }
        Ok(())
    }

    fn skip_whitespace(&self, from: usize, to: usize) -> usize {
        from + self.input.as_bytes()[from..to]
            .iter()
            .take_while(|b| b.is_ascii_whitespace())
            .count()
    }

    /// The child element whose start tag `tag` spans `start..content_start`.
    fn child(
        &mut self,
        tag: &BytesStart<'_>,
        start: usize,
        content_start: usize,
        empty: bool,
    ) -> Result<Child<'a>, DecodeError> {
        let name_len = tag.name().as_ref().len();
        let name = &self.input[start + 1..start + 1 + name_len];
        self.check_tag_named(tag, name, start)?;
        // Most tags are just a name: only look for attributes when there is more.
        let attributes = if tag.len() > name_len {
            tag.attributes_raw()
        } else {
            ""
        };
        if !attributes.trim_ascii().is_empty() {
            let lead = attributes.len() - attributes.trim_ascii_start().len();
            let from = start + 1 + name_len + lead;
            self.attributes
                .push(Span::new(from, from + attributes.trim_ascii().len()));
        }
        Ok(Child {
            name,
            start,
            content_start,
            empty,
            tag: Tag::Read,
        })
    }

    fn enter(&mut self, at: usize) -> Result<(), DecodeError> {
        self.depth += 1;
        if self.depth > self.limits.max_depth {
            return Err(DecodeError::new(
                DecodeErrorKind::Limit,
                at,
                format!(
                    "elements are nested deeper than the limit of {}",
                    self.limits.max_depth
                ),
            )
            .with_zh(format!("元素嵌套超过 {} 层的上限", self.limits.max_depth)));
        }
        Ok(())
    }

    fn dtd_error(at: usize) -> DecodeError {
        DecodeError::new(
            DecodeErrorKind::Dtd,
            at,
            "document type declarations (`<!DOCTYPE …>`) are not allowed; entities are never expanded",
        )
.with_zh("不允许文档类型声明（`<!DOCTYPE …>`）；实体一律不展开")
    }

    fn check_entity(&self, start: usize, end: usize) -> Result<(), DecodeError> {
        let name = self
            .input
            .get(start + 1..end.saturating_sub(1))
            .unwrap_or("");
        if resolve_entity(name).is_some() {
            return Ok(());
        }
        if name.starts_with('#') {
            return Err(DecodeError::new(
                DecodeErrorKind::Entity,
                start,
                format!("invalid character reference `&{name};`: it names no character XML allows"),
            )
            .with_zh(format!(
                "无效的字符引用 `&{name};`：它表示的不是 XML 允许的字符"
            )));
        }
        Err(DecodeError::new(
            DecodeErrorKind::Entity,
            start,
            format!(
                "unknown entity `&{name};`: only `&lt;` `&gt;` `&amp;` `&apos;` `&quot;` and valid character references are allowed"
            ),
        )
.with_zh(format!("未知实体 `&{name};`：只允许 `&lt;` `&gt;` `&amp;` `&apos;` `&quot;` 和有效的字符引用")))
    }

    fn eof_error(&self, name: &str) -> DecodeError {
        DecodeError::new(
            DecodeErrorKind::Syntax,
            self.input.len(),
            format!("malformed XML: input ends before `</{name}>`"),
        )
        .with_zh(format!("XML 格式错误：输入在 `</{name}>` 之前就结束了"))
    }

    /// Skips the XML declaration, comments, processing instructions and whitespace before the
    /// root; returns the root's start tag.
    fn prolog(&mut self) -> Result<Child<'a>, DecodeError> {
        loop {
            let (ev, s, e) = self.next()?;
            match ev {
                Event::Start(t) => return self.child(&t, s, e, false),
                Event::Empty(t) => return self.child(&t, s, e, true),
                Event::DocType(_) => return Err(Self::dtd_error(s)),
                Event::End(t) => return Err(Self::unmatched_end(t.name().as_ref(), s)),
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) => {}
                Event::Text(_) if blank(self.input, s, e) => {}
                Event::Eof => {
                    return Err(DecodeError::new(
                        DecodeErrorKind::Syntax,
                        s,
                        "no root element: the document is empty",
                    )
                    .with_zh("没有根元素：文档是空的"))
                }
                _ => {
                    return Err(DecodeError::new(
                        DecodeErrorKind::Syntax,
                        s,
                        "malformed XML: content before the root element",
                    )
                    .with_zh("XML 格式错误：根元素之前有内容"))
                }
            }
        }
    }

    /// After the root: only comments, processing instructions and whitespace may follow.
    fn epilog(&mut self) -> Result<(), DecodeError> {
        loop {
            let (ev, s, e) = self.next()?;
            match ev {
                Event::Eof => return Ok(()),
                Event::PI(_) | Event::Comment(_) => {}
                Event::Text(_) if blank(self.input, s, e) => {}
                Event::DocType(_) => return Err(Self::dtd_error(s)),
                Event::End(t) => return Err(Self::unmatched_end(t.name().as_ref(), s)),
                _ => {
                    return Err(DecodeError::new(
                        DecodeErrorKind::Syntax,
                        s,
                        "malformed XML: content after the root element",
                    )
                    .with_zh("XML 格式错误：根元素之后有内容"))
                }
            }
        }
    }

    /// The next child element inside `parent`, or `None` at `parent`'s end tag. Text that is
    /// not whitespace is kept in `stray`; comments and processing instructions are skipped.
    #[inline(always)]
    fn next_child(
        &mut self,
        parent: &Child<'a>,
        stray: &mut Vec<Unknown<'a>>,
    ) -> Result<Option<Child<'a>>, DecodeError> {
        if self.leaf_scan {
            match self.peek(parent) {
                Some(Peeked::Child(child)) => return Ok(Some(child)),
                Some(Peeked::End(end)) => {
                    self.take_to(end);
                    return Ok(None);
                }
                None => {}
            }
        }
        loop {
            let (ev, s, e) = self.next()?;
            match ev {
                Event::Start(t) => return self.child(&t, s, e, false).map(Some),
                Event::Empty(t) => return self.child(&t, s, e, true).map(Some),
                Event::End(t) => {
                    self.check_end(parent.name, t.name().as_ref(), s)?;
                    return Ok(None);
                }
                Event::Text(_) if blank(self.input, s, e) => {}
                Event::Text(_) | Event::CData(_) => {
                    self.keep_one(s)?;
                    stray_text(self.input, s, e, stray)
                }
                Event::GeneralRef(_) => {
                    self.check_entity(s, e)?;
                    self.keep_one(s)?;
                    stray_text(self.input, s, e, stray);
                }
                Event::Comment(_) | Event::PI(_) | Event::Decl(_) => {}
                Event::DocType(_) => return Err(Self::dtd_error(s)),
                Event::Eof => return Err(self.eof_error(parent.name)),
            }
        }
    }

    /// Refuses one more child in `parent` once it already holds `count`.
    fn check_list_len(
        &self,
        count: usize,
        parent: &Child<'a>,
        next: &Child<'a>,
    ) -> Result<(), DecodeError> {
        if count < self.limits.max_list_items as usize {
            return Ok(());
        }
        Err(DecodeError::new(
            DecodeErrorKind::Limit,
            next.start,
            format!(
                "`<{}>` has more than {} children, over the list limit",
                parent.name, self.limits.max_list_items
            ),
        )
        .with_zh(format!(
            "`<{}>` 的子元素超过 {} 个，超出列表上限",
            parent.name, self.limits.max_list_items
        )))
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

    /// Decodes the element `child` as struct `T`.
    pub fn read_node<T: XmlNode<'a>>(&mut self, child: Child<'a>) -> Result<T, DecodeError> {
        let mut node = T::default();
        self.read_node_into(child, &mut node)?;
        Ok(node)
    }

    /// Decodes the element `child` into `node` (a fresh default), without moving the struct.
    pub fn read_node_into<T: XmlNode<'a>>(
        &mut self,
        child: Child<'a>,
        node: &mut T,
    ) -> Result<(), DecodeError> {
        node.set_span(child.tag_span());
        if child.empty {
            return Ok(());
        }
        let child = self.open(child);
        self.enter(child.start)?;
        while let Some(c) = self.next_child(&child, node.unknown_mut())? {
            node.decode_child(self, c)?;
        }
        self.depth -= 1;
        Ok(())
    }

    /// Reads the content of scalar element `child`.
    pub fn read_text(&mut self, child: Child<'a>) -> Result<Text<'a>, DecodeError> {
        let mut flags = TextFlags::default();
        if child.empty {
            let at = Span::new(child.start, child.start);
            return Ok(Text::from_xml("", at, flags));
        }
        if let Tag::Leaf(leaf) = child.tag {
            self.take_to(leaf.end as usize);
            let span = Span::new(child.content_start, leaf.text_end as usize);
            return Ok(Text::from_xml(&self.input[span.range()], span, leaf.flags));
        }
        let child = self.unpeek(child)?;
        self.enter(child.start)?;
        let content_end;
        loop {
            let (ev, s, e) = self.next()?;
            match ev {
                Event::Text(_) => {}
                Event::GeneralRef(_) => {
                    self.check_entity(s, e)?;
                    flags.set(TextFlags::ENTITIES);
                }
                Event::CData(_) => flags.set(TextFlags::CDATA),
                Event::Comment(_) | Event::PI(_) | Event::Decl(_) => flags.set(TextFlags::MARKUP),
                Event::Start(t) => {
                    flags.set(TextFlags::CHILDREN);
                    let c = self.child(&t, s, e, false)?;
                    self.skip(c)?;
                }
                Event::Empty(t) => {
                    self.check_tag(&t, s)?;
                    flags.set(TextFlags::CHILDREN)
                }
                Event::End(t) => {
                    self.check_end(child.name, t.name().as_ref(), s)?;
                    content_end = s;
                    break;
                }
                Event::DocType(_) => return Err(Self::dtd_error(s)),
                Event::Eof => return Err(self.eof_error(child.name)),
            }
        }
        self.depth -= 1;
        let span = Span::new(child.content_start, content_end);
        Ok(Text::from_xml(&self.input[span.range()], span, flags))
    }

    /// Skips the element `child` and returns the offset just past its end tag.
    fn skip(&mut self, child: Child<'a>) -> Result<usize, DecodeError> {
        if child.empty {
            return Ok(child.content_start);
        }
        if let Tag::Leaf(leaf) = child.tag {
            self.take_to(leaf.end as usize);
            return Ok(leaf.end as usize);
        }
        let child = self.unpeek(child)?;
        self.enter(child.start)?;
        // The elements open inside `child`, innermost last, to pair end tags with.
        let mut open: Vec<&'a str> = Vec::new();
        let end = loop {
            let (ev, s, e) = self.next()?;
            match ev {
                Event::Start(t) => {
                    self.check_tag(&t, s)?;
                    self.enter(s)?;
                    open.push(&self.input[s + 1..s + 1 + t.name().as_ref().len()]);
                }
                Event::Empty(t) => self.check_tag(&t, s)?,
                Event::End(t) => {
                    let inner = open.pop();
                    self.check_end(inner.unwrap_or(child.name), t.name().as_ref(), s)?;
                    self.depth -= 1;
                    if inner.is_none() {
                        break e;
                    }
                }
                Event::GeneralRef(_) => self.check_entity(s, e)?,
                Event::DocType(_) => return Err(Self::dtd_error(s)),
                Event::Eof => return Err(self.eof_error(child.name)),
                _ => {}
            }
        };
        Ok(end)
    }

    fn keep_aside(
        &mut self,
        child: Child<'a>,
        kind: UnknownKind,
        out: &mut Vec<Unknown<'a>>,
    ) -> Result<(), DecodeError> {
        let end = self.skip(child)?;
        self.keep_one(child.start)?;
        out.push(Unknown {
            name: Cow::Borrowed(child.name),
            raw: Cow::Borrowed(&self.input[child.start..end]),
            span: Span::new(child.start, end),
            kind,
        });
        Ok(())
    }

    /// Decodes a scalar field; a second occurrence is kept aside as a duplicate.
    pub fn text(
        &mut self,
        child: Child<'a>,
        slot: &mut Option<Text<'a>>,
        unknown: &mut Vec<Unknown<'a>>,
    ) -> Result<(), DecodeError> {
        if slot.is_some() {
            return self.keep_aside(child, UnknownKind::Duplicate, unknown);
        }
        *slot = Some(self.read_text(child)?);
        Ok(())
    }

    /// Decodes a struct field; a second occurrence is kept aside as a duplicate.
    pub fn node<T: XmlNode<'a>>(
        &mut self,
        child: Child<'a>,
        slot: &mut Option<T>,
        unknown: &mut Vec<Unknown<'a>>,
    ) -> Result<(), DecodeError> {
        if slot.is_some() {
            return self.keep_aside(child, UnknownKind::Duplicate, unknown);
        }
        self.read_node_into(child, slot.insert(T::default()))
    }

    /// Decodes a list wrapper whose items are `<item>` elements.
    pub fn list<T: XmlItem<'a>>(
        &mut self,
        child: Child<'a>,
        item: &str,
        slot: &mut Option<List<'a, T>>,
        unknown: &mut Vec<Unknown<'a>>,
    ) -> Result<(), DecodeError> {
        if slot.is_some() {
            return self.keep_aside(child, UnknownKind::Duplicate, unknown);
        }
        let mut list = List {
            items: Vec::new(),
            span: child.tag_span(),
            unknown: Vec::new(),
        };
        let child = self.open(child);
        if !child.empty {
            self.enter(child.start)?;
            while let Some(c) = self.next_child(&child, &mut list.unknown)? {
                self.check_list_len(list.items.len() + list.unknown.len(), &child, &c)?;
                if c.name == item {
                    T::decode_into(self, c, &mut list.items)?;
                    if list.items.len() == 1 {
                        // Size the list from the first item: the rest of the input holds at
                        // most this many more of the same size (capped, so a short list after
                        // a long document costs little). Saves the copies of repeated growth.
                        let at = self.position();
                        let used = (at - c.start).max(1);
                        let guess = ((self.input.len() - at) / used).min(MAX_LIST_GUESS);
                        list.items.reserve(guess);
                    }
                } else {
                    self.keep_aside(c, UnknownKind::Element, &mut list.unknown)?;
                }
            }
            self.depth -= 1;
        }
        *slot = Some(list);
        Ok(())
    }

    /// Decodes a free key/value map such as `extendProps`.
    pub fn map(
        &mut self,
        child: Child<'a>,
        slot: &mut Option<Map<'a>>,
        unknown: &mut Vec<Unknown<'a>>,
    ) -> Result<(), DecodeError> {
        if slot.is_some() {
            return self.keep_aside(child, UnknownKind::Duplicate, unknown);
        }
        let mut map = Map {
            entries: Vec::new(),
            span: child.tag_span(),
            unknown: Vec::new(),
        };
        let child = self.open(child);
        if !child.empty {
            self.enter(child.start)?;
            // Stray text inside the map stays with the map.
            while let Some(c) = self.next_child(&child, &mut map.unknown)? {
                self.check_list_len(map.entries.len(), &child, &c)?;
                self.keep_one(c.start)?;
                let value = self.read_text(c)?;
                map.entries.push(MapEntry {
                    key: Cow::Borrowed(c.name),
                    value,
                });
            }
            self.depth -= 1;
        }
        *slot = Some(map);
        Ok(())
    }

    /// Keeps an element the contract does not define, verbatim.
    pub fn unknown(
        &mut self,
        child: Child<'a>,
        unknown: &mut Vec<Unknown<'a>>,
    ) -> Result<(), DecodeError> {
        self.keep_aside(child, UnknownKind::Element, unknown)
    }
}

/// Bytes the leaf scan accepts in a tag name. Anything else (spaces before attributes, `/`,
/// quotes, `!`, `?`) sends the element to quick-xml.
#[inline(always)]
fn is_plain_name_byte(b: u8) -> bool {
    NAME_BYTES[b as usize] != 0
}

/// [`is_plain_name_byte`] as a table: 2 for bytes that may start a name, 1 for bytes that may
/// only follow, 0 for the rest.
static NAME_BYTES: [u8; 256] = {
    let mut table = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = if c.is_ascii_alphabetic() || c == b'_' || c == b':' || c >= 0x80 {
            2
        } else if c.is_ascii_digit() || c == b'-' || c == b'.' {
            1
        } else {
            0
        };
        b += 1;
    }
    table
};

/// Whether the inside of an XML declaration (between `<?xml` and `?>`) is
/// ` version="1.x"`, then optionally ` encoding="name"`, then optionally
/// ` standalone="yes|no"`, then optional whitespace, as XML 1.0 writes it.
fn declaration_ok(inner: &str) -> bool {
    fn pseudo<'t>(rest: &'t str, name: &str) -> Option<(&'t str, &'t str)> {
        let rest = rest.strip_prefix(|c: char| c.is_ascii_whitespace())?;
        let rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace());
        let rest = rest
            .strip_prefix(name)?
            .trim_start_matches(|c: char| c.is_ascii_whitespace());
        let rest = rest
            .strip_prefix('=')?
            .trim_start_matches(|c: char| c.is_ascii_whitespace());
        let quote = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
        let end = rest[1..].find(quote)?;
        Some((&rest[1..1 + end], &rest[end + 2..]))
    }
    let Some((version, mut rest)) = pseudo(inner, "version") else {
        return false;
    };
    let digits = version.strip_prefix("1.").unwrap_or("");
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    if let Some((encoding, after)) = pseudo(rest, "encoding") {
        let mut bytes = encoding.bytes();
        let first_ok = bytes.next().is_some_and(|b| b.is_ascii_alphabetic());
        if !first_ok || !bytes.all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'))
        {
            return false;
        }
        rest = after;
    }
    if let Some((standalone, after)) = pseudo(rest, "standalone") {
        if standalone != "yes" && standalone != "no" {
            return false;
        }
        rest = after;
    }
    rest.bytes().all(|b| b.is_ascii_whitespace())
}

/// Whether every `&` in `text` starts a reference [`resolve_entity`] knows.
fn entities_known(text: &str) -> bool {
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        let Some(len) = rest[at + 1..].find(';') else {
            return false;
        };
        if resolve_entity(&rest[at + 1..at + 1 + len]).is_none() {
            return false;
        }
        rest = &rest[at + 1 + len + 1..];
    }
    true
}

/// Where the first `]]>` in `text` is. Most text has no `]` at all, so this is one `memchr`.
fn find_cdata_end(text: &[u8]) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = memchr::memchr(b']', &text[from..]) {
        let at = from + i;
        if text[at..].starts_with(b"]]>") {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Whether `b` may start an XML name (ASCII rules; every non-ASCII byte is let through).
fn is_name_start(b: u8) -> bool {
    NAME_BYTES[b as usize] == 2
}

/// Whether `name` is an XML name, by the ASCII rules (non-ASCII characters are accepted).
fn is_name(name: &[u8]) -> bool {
    name.first().is_some_and(|&b| is_name_start(b))
        && name
            .iter()
            .fold(1, |ok, &b| ok & NAME_BYTES[b as usize].min(1))
            == 1
}

thread_local! {
    static LEAF_SCAN: std::cell::Cell<bool> = const { std::cell::Cell::new(true) };
}

fn leaf_scan_enabled() -> bool {
    LEAF_SCAN.with(|on| on.get())
}

/// Runs `f` with the leaf scan off on this thread, so every element goes through quick-xml's
/// events: the reference the fast path is tested against (tests and fuzzing use it; decoding
/// gives the same result either way).
#[doc(hidden)]
pub fn without_leaf_scan<R>(f: impl FnOnce() -> R) -> R {
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            LEAF_SCAN.with(|on| on.set(self.0));
        }
    }
    let _restore = Restore(LEAF_SCAN.with(|on| on.replace(false)));
    f()
}

fn stray_text<'a>(input: &'a str, start: usize, end: usize, out: &mut Vec<Unknown<'a>>) {
    // Adjacent pieces (text, entity, text) are merged into one stray-text entry.
    if let Some(last) = out.last_mut() {
        if last.kind == UnknownKind::Text && last.span.end as usize == start {
            last.span.end = end as u32;
            last.raw = Cow::Borrowed(&input[last.span.range()]);
            return;
        }
    }
    out.push(Unknown {
        name: Cow::Borrowed(""),
        raw: Cow::Borrowed(&input[start..end]),
        span: Span::new(start, end),
        kind: UnknownKind::Text,
    });
}

/// Whether `input[start..end]` is only formatting whitespace. Unicode whitespace counts too:
/// indentation pasted from web pages is often U+00A0 (no-break space).
fn blank(input: &str, start: usize, end: usize) -> bool {
    let text = &input[start..end];
    text.bytes().all(|b| b.is_ascii_whitespace()) || text.chars().all(char::is_whitespace)
}

/// Offset of the first control character XML 1.0 forbids (below U+0020, other than tab, line
/// feed and carriage return). Fixed blocks of 64 bytes are tested branch-free, which the
/// compiler turns into vector compares; only a block that holds one is searched byte by byte.
fn first_control_char(input: &str) -> Option<usize> {
    let forbidden = |b: u8| (b < 0x20) & (b != b'\t') & (b != b'\n') & (b != b'\r');
    let bytes = input.as_bytes();
    let mut blocks = bytes.chunks_exact(64);
    for (i, block) in blocks.by_ref().enumerate() {
        let block: &[u8; 64] = block.try_into().expect("64 bytes");
        let mut any = 0u8;
        for &b in block {
            any |= u8::from(forbidden(b));
        }
        if any != 0 {
            return block.iter().position(|&b| forbidden(b)).map(|j| i * 64 + j);
        }
    }
    let tail = bytes.len() - blocks.remainder().len();
    blocks
        .remainder()
        .iter()
        .position(|&b| forbidden(b))
        .map(|j| tail + j)
}

/// Refuses the control characters XML forbids anywhere in `input`.
fn forbid_controls(input: &str) -> Result<(), DecodeError> {
    match first_control_char(input) {
        None => Ok(()),
        Some(at) => Err(DecodeError::new(
            DecodeErrorKind::Syntax,
            at,
            format!(
                "control character U+{:04X} is not allowed in XML (only tab, line feed and carriage return are)",
                input.as_bytes()[at]
            ),
        )
.with_zh(format!("XML 中不允许控制字符 U+{:04X}（只允许制表符、换行符和回车符）", input.as_bytes()[at]))),
    }
}

/// `name` when it is a short ASCII XML name, else `…`: a name quick-xml reports runs to the
/// next `>` and may hold text, a personal value included.
fn shown_name(name: &str) -> &str {
    let plain = name.len() <= 64
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':'));
    if plain {
        name
    } else {
        "…"
    }
}

/// quick-xml's message, with the names it quotes from the input shown only when they are plain
/// names ([`shown_name`]). Other messages keep their backtick-quoted pieces only when each is a
/// plain name or tag; when the quotes do not pair up, or anything else is quoted, nothing of the
/// message's quotes is kept.
fn names_only(e: &quick_xml::Error) -> String {
    use quick_xml::errors::IllFormedError as Ill;
    match e {
        quick_xml::Error::IllFormed(Ill::MismatchedEndTag { expected, found }) => format!(
            "ill-formed document: expected `</{}>`, but `</{}>` was found",
            shown_name(expected),
            shown_name(found)
        ),
        quick_xml::Error::IllFormed(Ill::MissingEndTag(tag)) => format!(
            "ill-formed document: start tag not closed: `</{}>` not found before end of input",
            shown_name(tag)
        ),
        quick_xml::Error::IllFormed(Ill::UnmatchedEndTag(tag)) => format!(
            "ill-formed document: close tag `</{}>` does not match any open tag",
            shown_name(tag)
        ),
        _ => {
            let text = e.to_string();
            let pieces: Vec<&str> = text.split('`').collect();
            let plain = pieces.len() % 2 == 1
                && pieces.iter().skip(1).step_by(2).all(|q| {
                    let name = q.trim_start_matches("</").trim_start_matches('<');
                    let name = name.strip_suffix('>').unwrap_or(name);
                    (q.len() <= 3 && q.bytes().all(|b| b.is_ascii_punctuation()))
                        || shown_name(name) != "…"
                });
            if plain {
                text
            } else {
                pieces[0].trim_end().trim_end_matches(':').to_string()
            }
        }
    }
}

/// A quick-xml error as a message a person can act on; what it quotes from the input is kept
/// apart ([`DecodeError::masked`]) and holds tag names only ([`names_only`]).
pub(crate) fn syntax_error(e: quick_xml::Error, at: usize) -> DecodeError {
    let raw = e.to_string();
    let text = names_only(&e);
    // quick-xml's own words may quote names and text from the input: kept apart.
    if raw.contains("`;` not found") {
        DecodeError::new(
            DecodeErrorKind::Syntax,
            at,
            "malformed XML: a bare `&` must be written `&amp;`",
        )
        .with_zh("XML 格式错误：单独的 `&` 必须写成 `&amp;`")
    } else if raw.contains("expected `</>`") {
        DecodeError::quoting(
            DecodeErrorKind::Syntax,
            at,
            "malformed XML: an element without a name (a bare `<` in text must be written `&lt;`)",
            format!(": {text}"),
        )
        .with_zh("XML 格式错误：有一个没有名称的元素（文本里单独的 `<` 必须写成 `&lt;`）")
    } else {
        DecodeError::quoting(
            DecodeErrorKind::Syntax,
            at,
            "malformed XML",
            format!(": {text}"),
        )
        .with_zh("XML 格式错误")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quick_xml_quotes_keep_names_only() {
        use quick_xml::errors::IllFormedError as Ill;
        let mismatched = |expected: &str, found: &str| {
            names_only(&quick_xml::Error::IllFormed(Ill::MismatchedEndTag {
                expected: expected.into(),
                found: found.into(),
            }))
        };
        assert_eq!(
            mismatched("a", "b"),
            "ill-formed document: expected `</a>`, but `</b>` was found"
        );
        assert_eq!(
            mismatched("x\"<name>李四</name><y", "b`c`李四"),
            "ill-formed document: expected `</…>`, but `</…>` was found"
        );
        let unmatched = quick_xml::Error::IllFormed(Ill::UnmatchedEndTag("李四".into()));
        assert!(!names_only(&unmatched).contains("李四"));
        let reference = quick_xml::Error::IllFormed(Ill::UnclosedReference);
        assert_eq!(names_only(&reference), reference.to_string());
    }

    #[test]
    fn finds_forbidden_control_characters() {
        assert_eq!(first_control_char("<a>\tok\r\n</a>"), None);
        assert_eq!(first_control_char("<request>abc\u{1}</request>"), Some(12));
        assert_eq!(first_control_char("ab\u{b}"), Some(2));
        assert_eq!(first_control_char(&"x".repeat(1000)), None);
    }
}
