//! Why an input could not be decoded: [`DecodeError`] from the XML and JSON readers, and
//! [`Failure`], which adds the ways a decoded shape fits no message (or several).

use crate::report::{Issue, Severity};
use crate::wire::span::Span;
use std::fmt;

/// What went wrong while decoding.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum DecodeErrorKind {
    /// The XML or JSON is not well formed.
    Syntax,
    /// The input is not UTF-8.
    Encoding,
    /// The document has a DTD (`<!DOCTYPE …>`); DTDs are always rejected.
    Dtd,
    /// An entity reference other than the five predefined ones or a character reference.
    Entity,
    /// Input size, nesting depth or list length went over a [`crate::Limits`] value.
    Limit,
    /// The root element is not the one expected.
    Root,
}

/// A fatal decoding failure, with the byte offset where it was detected.
///
/// Its message may quote the input (the character found where another was expected, a
/// malformed number), which can be part of a personal value; [`DecodeError::masked`] is the
/// same message without what it quotes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DecodeError(Box<DecodeErrorInner>);

#[derive(Debug, Clone, PartialEq, Eq)]
struct DecodeErrorInner {
    kind: DecodeErrorKind,
    offset: usize,
    message: String,
    /// Length of the message's leading part that quotes nothing from the input.
    unquoted: usize,
    /// That leading part in Chinese, when written.
    zh: Option<String>,
}

impl DecodeError {
    /// A failure whose message quotes nothing from the input.
    pub(crate) fn new(kind: DecodeErrorKind, offset: usize, message: impl Into<String>) -> Self {
        let message = message.into();
        DecodeError(Box::new(DecodeErrorInner {
            kind,
            offset,
            unquoted: message.len(),
            message,
            zh: None,
        }))
    }

    /// The same failure with the Chinese of its unquoted part.
    pub(crate) fn with_zh(mut self, zh: impl Into<String>) -> Self {
        self.0.zh = Some(zh.into());
        self
    }

    /// A failure described by `said` (quoting nothing), then `quote`, which shows some input
    /// (`, found `x``): the full message is both, the masked one `said` alone. A quote that
    /// holds a non-ASCII character or a run of five or more digits (it may be a name, a phone,
    /// an ID number) is left out of the full message too.
    pub(crate) fn quoting(
        kind: DecodeErrorKind,
        offset: usize,
        said: impl Into<String>,
        quote: impl AsRef<str>,
    ) -> Self {
        let mut message = said.into();
        let unquoted = message.len();
        let quote = quote.as_ref();
        let digits = quote
            .split(|c: char| !c.is_ascii_digit())
            .any(|run| run.len() >= 5);
        if quote.is_ascii() && !digits {
            message.push_str(quote);
        }
        DecodeError(Box::new(DecodeErrorInner {
            kind,
            offset,
            message,
            unquoted,
            zh: None,
        }))
    }

    /// What went wrong without any text taken from the input: safe to log or print next to a
    /// redacted document.
    pub fn masked(&self) -> &str {
        &self.0.message[..self.0.unquoted]
    }

    /// [`DecodeError::masked`] in Chinese: nothing taken from the input either.
    pub fn masked_zh(&self) -> &str {
        self.0.zh.as_deref().unwrap_or(self.0.kind.zh())
    }

    /// The category of the failure.
    pub fn kind(&self) -> DecodeErrorKind {
        self.0.kind
    }

    /// Byte offset in the input where the failure was detected.
    pub fn offset(&self) -> usize {
        self.0.offset
    }

    /// What went wrong, in one lowercase sentence.
    pub fn message(&self) -> &str {
        &self.0.message
    }

    /// What went wrong in Chinese, quoting what [`DecodeError::message`] quotes. A failure
    /// whose Chinese is not written (a message a reader library words) is the kind of failure
    /// in a Chinese sentence followed by the English detail.
    pub fn message_zh(&self) -> String {
        let Some(zh) = &self.0.zh else {
            return format!("{}：{}", self.0.kind.zh(), self.0.message);
        };
        let quote = &self.0.message[self.0.unquoted..];
        let quote = match (quote.strip_prefix(", found "), quote.strip_prefix(": ")) {
            (Some(found), _) => format!(
                "，实际为{}",
                match found {
                    "the end of the input" => "输入的结尾".to_string(),
                    other => match other.strip_prefix("control character ") {
                        Some(code) => format!("控制字符 {code}"),
                        None => format!(" {other}"),
                    },
                }
            ),
            (_, Some(detail)) => format!("：{detail}"),
            // ` `01`: what was wrong` (a number): the Chinese says what was wrong.
            _ => match quote.strip_prefix(" `").and_then(|q| q.split_once('`')) {
                Some((shown, _)) => format!("：`{shown}`"),
                None => quote.to_string(),
            },
        };
        format!("{zh}{quote}")
    }
}

impl DecodeErrorKind {
    /// The kind of failure as a Chinese sentence.
    pub fn zh(self) -> &'static str {
        match self {
            DecodeErrorKind::Syntax => "报文格式不正确，无法解析",
            DecodeErrorKind::Encoding => "报文不是 UTF-8 编码（GBK 文本须先转换）",
            DecodeErrorKind::Dtd => "报文带有 DTD，一律拒收",
            DecodeErrorKind::Entity => "报文用了未定义的实体引用",
            DecodeErrorKind::Limit => "报文超出大小、层级或条目数上限",
            DecodeErrorKind::Root => "根元素不符",
        }
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at byte {})", self.0.message, self.0.offset)
    }
}

impl std::error::Error for DecodeError {}

/// Checks that `bytes` are UTF-8 and returns them as text, or says where they are not.
pub fn utf8_input(bytes: &[u8]) -> Result<&str, DecodeError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(DecodeError::new(
            DecodeErrorKind::Encoding,
            0,
            "input is UTF-16 (byte order mark found); Qimen and wdt messages must be UTF-8",
        )
        .with_zh("输入是 UTF-16（有字节顺序标记）；奇门和旺店通报文必须是 UTF-8"));
    }
    // A SIMD validator (several bytes a cycle; `str::from_utf8` falls back to a byte at a time
    // at every non-ASCII character, which Chinese text has every few bytes) answers the usual
    // case. Only an invalid input is checked again by `str::from_utf8`, whose error gives the
    // position reported: the same error as ever.
    if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
        return Ok(text);
    }
    std::str::from_utf8(bytes).map_err(|e| {
        DecodeError::new(
            DecodeErrorKind::Encoding,
            e.valid_up_to(),
            format!(
                "input is not valid UTF-8 at byte {}; Qimen and wdt messages must be UTF-8 (GBK text must be converted first)",
                e.valid_up_to()
            ),
        )
.with_zh(format!("输入在第 {} 字节处不是有效的 UTF-8；奇门和旺店通报文必须是 UTF-8（GBK 文本须先转换）", e.valid_up_to()))
    })
}

/// Why an input could not be decoded into a body. Each maps to one error [`Issue`].
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Failure {
    /// Broken XML, wrong encoding, a DTD, or a limit (rule `xml-syntax`).
    Xml(DecodeError),
    /// Broken JSON (or a JSON-valued form parameter), wrong encoding, or a limit (rule
    /// `json-syntax`).
    Json(DecodeError),
    /// Several Qimen messages fit the shape.
    Ambiguous {
        /// The methods that fit about equally well.
        methods: Vec<&'static str>,
        /// The root element (`request` or `response`).
        root: &'static str,
        /// Where the root element starts.
        at: usize,
    },
    /// The root element is not a Qimen body.
    BadRoot {
        /// Root name found.
        found: String,
        /// What was expected.
        expected: &'static str,
        /// Where the root element starts.
        at: usize,
    },
    /// No supported Qimen message knows enough of the document to be taken for it.
    Unrecognised {
        /// The closest methods, best first: name, elements it knows, elements in all.
        closest: Vec<(&'static str, usize, usize)>,
        /// The root element (`request` or `response`).
        root: &'static str,
        /// Where the root element starts.
        at: usize,
    },
    /// The wdt JSON's keys fit no known body, or several.
    Shape {
        /// What was wrong, in one sentence.
        message: String,
        /// The same in Chinese.
        message_zh: String,
    },
}

impl Failure {
    /// The failure as a report issue.
    pub fn to_issue(&self) -> Issue {
        let at = |at: usize| Span::new(at, at);
        let (rule, path, span, message, zh) = match self {
            Failure::Xml(e) => (
                crate::rules::XML_SYNTAX,
                "/".into(),
                at(e.offset()),
                e.message().to_string(),
                Some(e.message_zh()),
            ),
            Failure::Json(e) => (
                crate::rules::JSON_SYNTAX,
                "/".into(),
                at(e.offset()),
                e.message().to_string(),
                Some(e.message_zh()),
            ),
            Failure::Ambiguous {
                methods,
                root,
                at: start,
            } => {
                let names = methods.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>();
                (
                    crate::rules::METHOD,
                    format!("/{root}"),
                    at(*start),
                    format!(
                        "cannot tell the method from the document: it fits {} about equally well; pass --method",
                        names.join(" and ")
                    ),
                    Some(format!(
                        "无法从报文判断方法：{} 同样吻合，请用 --method 指定",
                        names.join(" 和 ")
                    )),
                )
            }
            Failure::Unrecognised {
                closest,
                root,
                at: start,
            } => (
                crate::rules::METHOD,
                format!("/{root}"),
                at(*start),
                if closest.is_empty() {
                    "cannot tell the method from the document: no supported message knows any of its elements; see `qmwire methods`".to_string()
                } else {
                    format!(
                        "cannot tell the method from the document: no supported message knows enough of its elements (closest: {}); pass --method if it is one of them, or see `qmwire methods`",
                        closest
                            .iter()
                            .map(|(m, known, total)| format!("`{m}` knows {known} of {total}"))
                            .collect::<Vec<_>>()
                            .join("; ")
                    )
                },
                Some(if closest.is_empty() {
                    "无法从报文判断方法：支持的报文都不认识它的任何元素；见 `qmwire methods`"
                        .to_string()
                } else {
                    format!(
                        "无法从报文判断方法：没有哪个支持的报文认识它足够多的元素（最接近的：{}）；若是其中之一请用 --method 指定，或见 `qmwire methods`",
                        closest
                            .iter()
                            .map(|(m, known, total)| format!("`{m}` 认识 {total} 个中的 {known} 个"))
                            .collect::<Vec<_>>()
                            .join("；")
                    )
                }),
            ),
            Failure::BadRoot {
                found,
                expected,
                at: start,
            } => (
                crate::rules::ROOT_ELEMENT,
                format!("/{found}"),
                at(*start),
                format!("expected root element {expected}, found `<{found}>`"),
                Some(format!(
                    "根元素应为 {}，实际为 `<{found}>`",
                    expected.replace(", ", "、").replace(" or ", " 或 ")
                )),
            ),
            Failure::Shape {
                message,
                message_zh,
            } => (
                crate::rules::METHOD,
                "/".into(),
                Span::default(),
                message.clone(),
                Some(message_zh.clone()),
            ),
        };
        Issue {
            rule,
            severity: Severity::Error,
            path,
            span,
            message,
            message_zh: zh,
        }
    }

    /// What went wrong without any text taken from the input (see [`DecodeError::masked`]),
    /// with its rule id and byte offset.
    pub fn masked(&self) -> String {
        let issue = self.to_issue();
        let said = match self {
            Failure::Xml(e) | Failure::Json(e) => e.masked().to_string(),
            _ => issue.message,
        };
        format!("{said} [{}] at byte {}", issue.rule, issue.span.start)
    }

    /// [`Failure::masked`] in Chinese.
    pub fn masked_zh(&self) -> String {
        let issue = self.to_issue();
        let said = match self {
            Failure::Xml(e) | Failure::Json(e) => e.masked_zh().to_string(),
            _ => issue.message_in(crate::report::Lang::Zh).to_string(),
        };
        format!("{said} [{}]，第 {} 字节处", issue.rule, issue.span.start)
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let issue = self.to_issue();
        write!(
            f,
            "{} [{}] at byte {}",
            issue.message, issue.rule, issue.span.start
        )
    }
}

impl std::error::Error for Failure {}

#[cfg(test)]
mod tests {
    use crate::wire::limits::Limits;

    #[test]
    fn masked_messages_quote_nothing_from_the_input() {
        let broken = r#"{"receiver_name": 李四}"#;
        let e = crate::json::decode::check_syntax(broken, &Limits::default()).unwrap_err();
        // A quote with a non-ASCII character or five digits in a row is not shown at all.
        assert_eq!(e.message(), "expected a JSON value");
        assert_eq!(e.masked(), "expected a JSON value");
        let e = crate::json::decode::check_syntax("[13800000001.]", &Limits::default());
        assert!(!e.unwrap_err().message().contains("13800"));
        let number = crate::json::decode::check_syntax("[13800000001x]", &Limits::default());
        let e = number.unwrap_err();
        assert_eq!(e.masked(), "expected `,` or `]` after an array element");
        let e = crate::json::decode::check_syntax("[-13800000001]x", &Limits::default());
        assert!(!e.unwrap_err().masked().contains("1380"));
        let e = crate::json::decode::check_syntax("[0138]", &Limits::default()).unwrap_err();
        assert_eq!(e.masked(), "malformed number");
        assert!(e.message().contains("0138"));
    }

    /// The SIMD check accepts what `str::from_utf8` accepts, and an invalid input gets the
    /// same error as ever (kind, byte offset, both messages): broken sequences of each kind
    /// put at every character boundary of a Chinese document, in the SIMD validator's blocks
    /// and in its tail, and cut short at the end.
    #[test]
    fn utf8_errors_keep_their_position_and_wording() {
        use super::{utf8_input, DecodeErrorKind};
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../benches/data/deliveryorder_create_3k.xml"
        );
        let doc = std::fs::read_to_string(path).expect("bench document");
        assert_eq!(utf8_input(doc.as_bytes()).ok(), Some(doc.as_str()));
        let broken: [&[u8]; 7] = [
            &[0x80],
            &[0xFF],
            &[0xC0, 0x80],
            &[0xED, 0xA0, 0x80],
            &[0xE4, 0xB8],
            &[0xF4, 0x90, 0x80, 0x80],
            &[0xF0, 0x9F, 0x98],
        ];
        let mut checked = 0;
        for (at, _) in doc.char_indices().chain([(doc.len(), ' ')]) {
            for bad in broken {
                let mut bytes = doc.as_bytes()[..at].to_vec();
                bytes.extend_from_slice(bad);
                if at % 7 == 0 {
                    bytes.extend_from_slice(&doc.as_bytes()[at..]);
                }
                let e = utf8_input(&bytes).expect_err("invalid");
                assert_eq!(e.kind(), DecodeErrorKind::Encoding);
                assert_eq!(e.offset(), at);
                assert_eq!(
                    e.message(),
                    format!("input is not valid UTF-8 at byte {at}; Qimen and wdt messages must be UTF-8 (GBK text must be converted first)")
                );
                assert_eq!(
                    e.message_zh(),
                    format!("输入在第 {at} 字节处不是有效的 UTF-8；奇门和旺店通报文必须是 UTF-8（GBK 文本须先转换）")
                );
                checked += 1;
            }
        }
        assert!(checked > 10_000, "{checked}");
        let e = utf8_input(&[0xFF, 0xFE, b'<', 0]).expect_err("UTF-16");
        assert_eq!((e.offset(), e.kind()), (0, DecodeErrorKind::Encoding));
        assert!(e.message().starts_with("input is UTF-16"));
    }
}

/// A problem in a configuration file qmwire reads (a counterparty profile, a 金蝶 mapping),
/// located in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileError {
    /// The file (`built-in jxwms` for a built-in one).
    pub origin: String,
    /// 1-based line, 0 when the problem has no place in the file.
    pub line: u32,
    /// 1-based column in characters, 0 when the problem has no place in the file.
    pub column: u32,
    /// What is wrong, with a suggestion where one is close.
    pub message: String,
    /// The same in Chinese.
    pub message_zh: String,
}

impl FileError {
    /// What is wrong in `lang`.
    pub fn message_in(&self, lang: crate::report::Lang) -> &str {
        lang.pick(&self.message, &self.message_zh)
    }

    /// The whole error in `lang`: `file:line:column: message` (the Display form) in English;
    /// in Chinese the same place (a built-in file named `内置 name`) and the Chinese message.
    pub fn to_string_in(&self, lang: crate::report::Lang) -> String {
        if lang == crate::report::Lang::En {
            return self.to_string();
        }
        let origin = match self.origin.strip_prefix("built-in ") {
            Some(name) => format!("内置 {name}"),
            None => self.origin.clone(),
        };
        if self.line > 0 {
            format!(
                "{origin}:{}:{}：{}",
                self.line, self.column, self.message_zh
            )
        } else {
            format!("{origin}：{}", self.message_zh)
        }
    }
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(
                f,
                "{}:{}:{}: {}",
                self.origin, self.line, self.column, self.message
            )
        } else {
            write!(f, "{}: {}", self.origin, self.message)
        }
    }
}

impl std::error::Error for FileError {}
