//! rustc-style diagnostics: `error[rule]: message`, the location, the quoted source line with
//! a caret under the offending value, and the wire path.

use super::FileReport;
use crate::report::{Lang, Protocol, Severity};
use crate::wire::span::{LineIndex, Span};
use std::fmt::Write;

/// Renders every file's issues followed by a one-line summary, in English.
pub fn render(files: &[FileReport<'_>]) -> String {
    render_in(files, Lang::En)
}

/// Renders every file's issues followed by a one-line summary, in `lang`. Rule ids, paths and
/// positions are the same in every language.
pub fn render_in(files: &[FileReport<'_>], lang: Lang) -> String {
    let mut out = String::new();
    let (mut errors, mut warnings, mut infos) = (0, 0, 0);
    for f in files {
        errors += f.report.errors();
        warnings += f.report.warnings();
        infos += f.report.infos();
        render_file(&mut out, f, lang);
    }
    if lang == Lang::Zh {
        let _ = write!(
            out,
            "检查了 {} 个文件：{errors} 个错误，{warnings} 个警告",
            files.len()
        );
        if infos > 0 {
            let _ = write!(out, "，{infos} 条提示");
        }
        out.push('\n');
        return out;
    }
    let _ = write!(
        out,
        "checked {} file{}: {errors} error{}, {warnings} warning{}",
        files.len(),
        plural(files.len()),
        plural(errors),
        plural(warnings)
    );
    if infos > 0 {
        let _ = write!(out, ", {infos} info{}", plural(infos));
    }
    out.push('\n');
    out
}

/// A severity as the human report names it in `lang`.
fn severity_word(severity: Severity, lang: Lang) -> &'static str {
    match (lang, severity) {
        (Lang::Zh, Severity::Error) => "错误",
        (Lang::Zh, Severity::Warning) => "警告",
        (Lang::Zh, _) => "提示",
        (_, s) => s.as_str(),
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn render_file(out: &mut String, f: &FileReport<'_>, lang: Lang) {
    let zh = lang == Lang::Zh;
    let method = match (f.report.method, f.report.root) {
        (Some(m), _) => m.to_string(),
        (None, Some(root)) if zh => format!("通用的 `<{root}>` 信封"),
        (None, Some(root)) => format!("the generic `<{root}>` envelope"),
        (None, None) if f.report.protocol == Protocol::Wdt => {
            lang.pick("a wdt request", "旺店通请求").to_string()
        }
        (None, None) if f.report.protocol == Protocol::Mixed => {
            lang.pick("several requests", "多个请求").to_string()
        }
        (None, None) => lang.pick("unknown method", "方法未知").to_string(),
    };
    let how = if f.report.detected {
        lang.pick(", detected from its shape", "，按报文结构识别")
    } else {
        ""
    };
    if f.report.issues.is_empty() && f.report.omitted == 0 {
        if zh {
            let _ = writeln!(out, "通过：{}（{method}{how}）", f.path);
        } else {
            let _ = writeln!(out, "ok: {} ({method}{how})", f.path);
        }
    } else {
        render_issues(out, f, &method, how, lang);
        omitted(out, f, lang);
        // Both end with a blank line; the profile note goes before it.
        out.pop();
    }
    profile_note(out, f, lang);
    out.push('\n');
}

/// The line naming the profile a file was linted under and what it re-levelled there.
fn profile_note(out: &mut String, f: &FileReport<'_>, lang: Lang) {
    let Some(p) = &f.report.profile else { return };
    let changes: Vec<String> = p
        .changed
        .iter()
        .map(|c| {
            let to = c.to.map_or("off", |s| s.as_str());
            format!("{} {} → {to} ×{}", c.rule, c.from, c.count)
        })
        .collect();
    if lang == Lang::Zh {
        let what = if changes.is_empty() {
            String::new()
        } else {
            format!("；它调整了级别：{}", changes.join("，"))
        };
        let _ = writeln!(out, "注：按对接方配置 `{}` 检查{what}", escaped(&p.id));
        return;
    }
    let what = if changes.is_empty() {
        String::new()
    } else {
        format!("; it re-levelled {}", changes.join(", "))
    };
    let _ = writeln!(out, "note: linted under profile `{}`{what}", escaped(&p.id));
}

/// The `… and N more issues` line of a file whose report was cut short.
fn omitted(out: &mut String, f: &FileReport<'_>, lang: Lang) {
    let (n, errors) = (f.report.omitted, f.report.omitted_errors);
    if n == 0 {
        return;
    }
    let warnings = n - errors - f.report.omitted_infos;
    if lang == Lang::Zh {
        let _ = writeln!(
            out,
            "…… {} 中另有 {n} 个问题（{errors} 个错误，{warnings} 个警告）未列出\n",
            escaped(f.path)
        );
        return;
    }
    let _ = writeln!(
        out,
        "… and {n} more issue{} in {} ({errors} error{}, {warnings} warning{}), not listed\n",
        plural(n),
        escaped(f.path),
        plural(errors),
        plural(warnings)
    );
}

/// Every listed issue of `f`, quoted.
fn render_issues(out: &mut String, f: &FileReport<'_>, method: &str, how: &str, lang: Lang) {
    if f.report.issues.is_empty() {
        return;
    }
    let index = LineIndex::new(f.input);
    let quoter = Quoter::new(f, &index);
    for issue in &f.report.issues {
        let at = index.line_col(issue.span.start as usize);
        let _ = writeln!(
            out,
            "{}[{}]: {}",
            severity_word(issue.severity, lang),
            issue.rule,
            escaped(issue.message_in(lang))
        );
        let _ = writeln!(out, "  --> {}:{}:{}", escaped(f.path), at.line, at.column);
        let gutter = at.line.to_string().len();
        let pad = " ".repeat(gutter);
        let quote = quoter.quote(at.line, issue.span);
        let _ = writeln!(out, "{pad} |");
        let _ = writeln!(out, "{} | {}", at.line, quote.shown);
        let _ = writeln!(
            out,
            "{pad} | {}{}",
            quote.caret_pad,
            "^".repeat(quote.caret)
        );
        let (path_word, in_word) = lang.pick(("path: ", "in: "), ("路径：", "报文："));
        let _ = writeln!(out, "{pad} = {path_word}{}", escaped(&issue.path));
        let _ = writeln!(out, "{pad} = {in_word}{method}{how}\n");
    }
}

/// Columns of a source line quoted around the caret; longer lines (compact one-line XML and
/// JSON) are cut, and the cuts marked with `…`.
const WINDOW: usize = 100;

/// Characters quoted before the caret when a line is cut.
const LEAD: usize = 30;

/// A quoted source line: the shown text, the padding up to the caret, and the caret's width.
struct Quote {
    shown: String,
    caret_pad: String,
    caret: usize,
}

/// Quotes source lines with personal values masked. Work per issue is bounded by the window,
/// not by the line, so a one-line document with thousands of issues renders in linear time.
struct Quoter<'a> {
    input: &'a str,
    index: &'a LineIndex<'a>,
    /// Personal spans sorted by start; `None` when the document could not be decoded.
    spans: Option<Vec<Span>>,
    /// For an undecoded document: whether it reads as XML (text between tags is hidden) rather
    /// than JSON or a form (every letter, digit and non-ASCII character is hidden).
    xml: bool,
}

impl<'a> Quoter<'a> {
    fn new(f: &FileReport<'a>, index: &'a LineIndex<'a>) -> Quoter<'a> {
        let spans = f.report.personal_spans.as_ref().map(|s| {
            let mut s = s.clone();
            s.sort_unstable();
            s
        });
        Quoter {
            input: f.input,
            index,
            spans,
            xml: f.report.protocol == Protocol::Qimen,
        }
    }

    fn quote(&self, line: u32, span: Span) -> Quote {
        let line_start = self.index.line_start(line);
        let line_end = line_start + self.index.line_text(line).len();
        let at = floor_boundary(
            self.input,
            (span.start as usize).clamp(line_start, line_end),
        );
        let caret_end = (span.end as usize).clamp(at, line_end);
        // Back up at most LEAD characters from the caret.
        let from = self.input[line_start..at]
            .char_indices()
            .rev()
            .nth(LEAD - 1)
            .map_or(line_start, |(i, _)| line_start + i);
        let mut mask = Mask::new(self, from);
        let (mut shown, mut caret_pad, mut caret, mut taken) = (String::new(), String::new(), 0, 0);
        let mut end = from;
        for (i, c) in self.input[from..line_end].char_indices() {
            let pos = from + i;
            if taken >= WINDOW && pos >= caret_end.min(at + 1) {
                break;
            }
            let cell = mask.cell(pos, c);
            let w = cell.chars().map(width).sum::<usize>();
            if pos < at {
                if c == '\t' {
                    caret_pad.push('\t');
                } else {
                    caret_pad.push_str(&" ".repeat(w));
                }
            } else if pos < caret_end && caret < WINDOW {
                caret += w;
            }
            shown.push_str(&cell);
            taken += w;
            end = pos + c.len_utf8();
        }
        if from > line_start {
            shown.insert(0, '…');
            caret_pad.insert(0, ' ');
        }
        if end < line_end {
            shown.push('…');
        }
        Quote {
            shown,
            caret_pad,
            caret: caret.max(1),
        }
    }
}

/// The masking state while walking a quoted stretch of a line.
struct Mask<'q> {
    quoter: &'q Quoter<'q>,
    /// Index of the first sorted personal span that may still cover a position.
    next: usize,
    /// Undecoded XML: inside markup (`<…>`), inside a quoted attribute value, inside CDATA or a
    /// comment.
    in_tag: bool,
    quote: Option<char>,
    /// Inside CDATA or a comment: the marker that ends it.
    until: Option<&'static str>,
    recent: String,
}

impl<'q> Mask<'q> {
    fn new(quoter: &'q Quoter<'q>, from: usize) -> Mask<'q> {
        let next = quoter
            .spans
            .as_ref()
            .map_or(0, |s| s.partition_point(|sp| (sp.end as usize) <= from));
        // Undecoded XML is read as if the stretch started in text: what is not known to be
        // markup is hidden.
        Mask {
            quoter,
            next,
            in_tag: false,
            quote: None,
            until: None,
            recent: String::new(),
        }
    }

    /// What is shown for character `c` at byte `pos`.
    fn cell(&mut self, pos: usize, c: char) -> String {
        let hidden = match &self.quoter.spans {
            Some(spans) => {
                while self.next < spans.len() && (spans[self.next].end as usize) <= pos {
                    self.next += 1;
                }
                spans
                    .get(self.next)
                    .is_some_and(|s| (s.start as usize) <= pos && pos < s.end as usize)
            }
            None if self.quoter.xml => self.xml_hidden(c),
            None => c.is_alphanumeric() || !c.is_ascii(),
        };
        if hidden && !c.is_whitespace() {
            "*".to_string()
        } else {
            escaped_char(c)
        }
    }

    /// Undecoded XML: markup is shown, text, CDATA content, comments and attribute values are
    /// hidden.
    fn xml_hidden(&mut self, c: char) -> bool {
        self.recent.push(c);
        if self.recent.len() > 12 {
            let cut = self.recent.len() - 12;
            let cut = (cut..)
                .find(|&i| self.recent.is_char_boundary(i))
                .unwrap_or(0);
            self.recent.drain(..cut);
        }
        if let Some(end) = self.until {
            if self.recent.ends_with(end) {
                self.until = None;
            }
            return true;
        }
        if let Some(q) = self.quote {
            if c == q {
                self.quote = None;
                return false;
            }
            return true;
        }
        if self.in_tag {
            for (start, end) in [("<![CDATA[", "]]>"), ("<!--", "-->")] {
                if self.recent.ends_with(start) {
                    self.in_tag = false;
                    self.until = Some(end);
                    return false;
                }
            }
            match c {
                '>' => self.in_tag = false,
                '"' | '\'' => self.quote = Some(c),
                _ => {}
            }
            return false;
        }
        if c == '<' {
            self.in_tag = true;
            return false;
        }
        true
    }
}

/// The largest char boundary of `s` at or before `i`.
fn floor_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// `text` with control characters (C0 but tab, DEL, C1) and bidirectional-formatting
/// characters written as `\u{…}` escapes, so nothing taken from the input can drive the
/// terminal.
pub(crate) fn escaped(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.chars().any(needs_escape) {
        return std::borrow::Cow::Borrowed(text);
    }
    std::borrow::Cow::Owned(text.chars().map(escaped_char).collect())
}

fn needs_escape(c: char) -> bool {
    (c.is_control() && c != '\t')
        || matches!(c, '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn escaped_char(c: char) -> String {
    if needs_escape(c) {
        format!("\\u{{{:x}}}", c as u32)
    } else {
        c.to_string()
    }
}

/// Terminal columns a character takes: 2 for CJK and other wide characters.
fn width(c: char) -> usize {
    match c as u32 {
        0x1100..=0x115F
        | 0x2E80..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x1F300..=0x1FAFF
        | 0x20000..=0x3FFFD => 2,
        _ => 1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::{Issue, Report, Severity};

    fn render_one(
        input: &str,
        span: Span,
        personal: Option<Vec<Span>>,
        protocol: Protocol,
    ) -> String {
        let mut report = Report::empty(protocol);
        report.issues.push(Issue {
            rule: "enum",
            severity: Severity::Error,
            path: "/request/x".into(),
            span,
            message: "m".into(),
            message_zh: None,
        });
        report.personal_spans = personal;
        render(&[FileReport {
            path: "f",
            input,
            report: &report,
        }])
    }

    #[test]
    fn wide_characters_take_two_columns_and_masks_keep_the_caret_under_them() {
        assert_eq!(width('收'), 2);
        assert_eq!(width('a'), 1);
        let input = "<a>收货</a>";
        let out = render_one(input, Span::new(3, 9), None, Protocol::Qimen);
        assert!(out.contains("1 | <a>**</a>\n  |    ^^\n"), "{out}");
        let out = render_one(input, Span::new(3, 9), Some(vec![]), Protocol::Qimen);
        assert!(out.contains("1 | <a>收货</a>\n  |    ^^^^\n"), "{out}");
    }

    #[test]
    fn long_lines_are_cut_around_the_caret() {
        let input = format!(
            "{}<b>X</b>{}",
            "<a>1</a>".repeat(100),
            "<c>2</c>".repeat(100)
        );
        let at = input.find('X').unwrap();
        let out = render_one(&input, Span::new(at, at + 1), Some(vec![]), Protocol::Qimen);
        let line = out.lines().find(|l| l.starts_with("1 | ")).unwrap();
        assert!(line.starts_with("1 | …") && line.ends_with('…'), "{line}");
        assert!(line.chars().count() < WINDOW + 40, "{line}");
        let caret = out.lines().find(|l| l.contains('^')).unwrap();
        let col = caret.find('^').unwrap();
        assert_eq!(line.chars().nth(col), Some('X'), "{out}");
    }

    #[test]
    fn undecoded_documents_hide_text_cdata_and_attribute_values() {
        let xml = "<a x=\"李四\"><b><![CDATA[王五]]></b><!-- 赵六 --><c>138</c><d>钱七</d></a";
        let out = render_one(xml, Span::new(0, 0), None, Protocol::Qimen);
        for secret in ["李四", "王五", "138", "赵六", "钱七"] {
            assert!(!out.contains(secret), "{secret}: {out}");
        }
        assert!(
            out.contains("<b><![CDATA[") && out.contains("</c><d>"),
            "{out}"
        );
        let json = r#"[{"receiver_name":"李四","receiver_mobile":13800000001,"#;
        let out = render_one(json, Span::new(0, 0), None, Protocol::Wdt);
        assert!(!out.contains("李四") && !out.contains("1380"), "{out}");
    }

    #[test]
    fn omitted_issues_are_counted_after_the_listed_ones_and_in_the_summary() {
        let options = crate::Options::new()
            .with_method("order.cancel")
            .with_max_issues(4);
        let input = format!(
            "<request><orderType>NOPE</orderType>{}</request>",
            "<x>1</x>".repeat(5)
        );
        // 3 errors (two required fields missing, a bad code), then 5 unknown elements.
        let report = crate::lint(input.as_bytes(), &options);
        assert_eq!((report.issues.len(), report.omitted), (4, 4));
        let files = [FileReport {
            path: "many.xml",
            input: &input,
            report: &report,
        }];
        let out = render(&files);
        assert_eq!(out.matches("warning[unknown-field]").count(), 1, "{out}");
        assert!(
            out.ends_with(
                "= in: taobao.qimen.order.cancel\n\n\
                 … and 4 more issues in many.xml (0 errors, 4 warnings), not listed\n\n\
                 checked 1 file: 3 errors, 5 warnings\n"
            ),
            "{out}"
        );
        // Nothing listed is not `ok`.
        let report = crate::lint(input.as_bytes(), &options.with_max_issues(0));
        let out = render(&[FileReport {
            path: "many.xml",
            input: &input,
            report: &report,
        }]);
        assert_eq!(
            out,
            "… and 8 more issues in many.xml (3 errors, 5 warnings), not listed\n\n\
             checked 1 file: 3 errors, 5 warnings\n"
        );
    }

    #[test]
    fn control_and_bidi_characters_are_escaped() {
        let input = "<a>3\u{1b}]0;owned\u{7}\u{202e}x</a>";
        let out = render_one(input, Span::new(3, 5), Some(vec![]), Protocol::Qimen);
        assert!(!out.contains('\u{1b}') && !out.contains('\u{7}') && !out.contains('\u{202e}'));
        assert!(
            out.contains("\\u{1b}") && out.contains("\\u{202e}"),
            "{out}"
        );
        assert_eq!(escaped("plain"), "plain");
        assert_eq!(escaped("a\u{9b}b"), "a\\u{9b}b");
    }
}
