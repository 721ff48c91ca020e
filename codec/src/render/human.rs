//! rustc-style diagnostics: `error[rule]: message`, the location, the quoted source line with
//! a caret under the offending value, and the wire path.

use super::FileReport;
use crate::report::Protocol;
use crate::wire::span::{LineIndex, Span};
use std::fmt::Write;

/// Renders every file's issues followed by a one-line summary.
pub fn render(files: &[FileReport<'_>]) -> String {
    let mut out = String::new();
    let (mut errors, mut warnings) = (0, 0);
    for f in files {
        errors += f.report.errors();
        warnings += f.report.warnings();
        render_file(&mut out, f);
    }
    let _ = writeln!(
        out,
        "checked {} file{}: {errors} error{}, {warnings} warning{}",
        files.len(),
        plural(files.len()),
        plural(errors),
        plural(warnings)
    );
    out
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

fn render_file(out: &mut String, f: &FileReport<'_>) {
    let method = match (f.report.method, f.report.root) {
        (Some(m), _) => m.to_string(),
        (None, Some(root)) => format!("the generic `<{root}>` envelope"),
        (None, None) if f.report.protocol == Protocol::Wdt => "a wdt request".to_string(),
        (None, None) if f.report.protocol == Protocol::Mixed => "several requests".to_string(),
        (None, None) => "unknown method".to_string(),
    };
    let how = if f.report.detected {
        ", detected from its shape"
    } else {
        ""
    };
    if f.report.issues.is_empty() {
        let _ = writeln!(out, "ok: {} ({method}{how})\n", f.path);
        return;
    }
    let index = LineIndex::new(f.input);
    for issue in &f.report.issues {
        let at = index.line_col(issue.span.start as usize);
        let _ = writeln!(out, "{}[{}]: {}", issue.severity, issue.rule, issue.message);
        let _ = writeln!(out, "  --> {}:{}:{}", f.path, at.line, at.column);
        let gutter = at.line.to_string().len();
        let pad = " ".repeat(gutter);
        let line_start = index.line_start(at.line);
        let shown = masked_line(f, &index, at.line);
        let (caret_pad, caret_len) = caret(f.input, &shown, line_start, issue.span);
        let (shown, caret_pad) = window(&shown, &caret_pad, caret_len);
        let _ = writeln!(out, "{pad} |");
        let _ = writeln!(out, "{} | {}", at.line, shown);
        let _ = writeln!(
            out,
            "{pad} | {caret_pad}{}",
            "^".repeat(caret_len.min(WINDOW))
        );
        let _ = writeln!(out, "{pad} = path: {}", issue.path);
        let _ = writeln!(out, "{pad} = in: {method}{how}\n");
    }
}

/// Longest stretch of a source line quoted, in columns; compact one-line XML is cut around the
/// caret.
const WINDOW: usize = 100;

/// Cuts `line` to about [`WINDOW`] columns around the caret, marking cuts with `…`.
fn window(line: &str, caret_pad: &str, caret_len: usize) -> (String, String) {
    let pad_cols = caret_pad.chars().count();
    let total: usize = line.chars().map(width).sum();
    if total <= WINDOW + 20 {
        return (line.to_string(), caret_pad.to_string());
    }
    let lead = 30.min(pad_cols);
    let skip_cols = pad_cols - lead;
    let mut cols = 0;
    let mut out = String::new();
    let mut taken = 0;
    for c in line.chars() {
        let w = width(c);
        if cols >= skip_cols && taken + w <= WINDOW.max(lead + caret_len.min(WINDOW)) {
            out.push(c);
            taken += w;
        }
        cols += w;
    }
    let head = if skip_cols > 0 { "…" } else { "" };
    let tail = if skip_cols + taken < total { "…" } else { "" };
    let pad = format!(
        "{}{}",
        if skip_cols > 0 { " " } else { "" },
        " ".repeat(lead)
    );
    (format!("{head}{out}{tail}"), pad)
}

/// The source line with personal values replaced by `*` (one per character). When the
/// document could not be decoded, every text between tags is hidden instead.
fn masked_line(f: &FileReport<'_>, index: &LineIndex<'_>, line: u32) -> String {
    let text = index.line_text(line);
    let start = index.line_start(line);
    let mut out = String::with_capacity(text.len());
    match &f.report.personal_spans {
        Some(spans) => {
            for (i, c) in text.char_indices() {
                let at = (start + i) as u32;
                let hidden = spans.iter().any(|s| s.start <= at && at < s.end);
                out.push(if hidden { '*' } else { c });
            }
        }
        None => {
            let mut in_tag = false;
            for c in text.chars() {
                match c {
                    '<' => in_tag = true,
                    '>' => {
                        in_tag = false;
                        out.push(c);
                        continue;
                    }
                    _ => {}
                }
                out.push(if in_tag || c.is_whitespace() { c } else { '*' });
            }
        }
    }
    out
}

/// Whitespace (tabs kept) up to the span's first character, and the caret count under it.
fn caret(input: &str, shown: &str, line_start: usize, span: Span) -> (String, usize) {
    let before = input.get(line_start..span.start as usize).unwrap_or("");
    let n_before = before.chars().count();
    let pad: String = shown
        .chars()
        .take(n_before)
        .map(|c| {
            if c == '\t' { '\t' } else { ' ' }
                .to_string()
                .repeat(width(c))
        })
        .collect();
    let line_end = input[line_start..]
        .find('\n')
        .map_or(input.len(), |i| line_start + i);
    let end = (span.end as usize).min(line_end).max(span.start as usize);
    let covered = input.get(span.start as usize..end).unwrap_or("");
    (pad, covered.chars().map(width).sum::<usize>().max(1))
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

    #[test]
    fn wide_characters_take_two_columns() {
        assert_eq!(width('收'), 2);
        assert_eq!(width('a'), 1);
        let input = "<a>收货</a>";
        let (pad, len) = caret(input, input, 0, Span::new(3, 9));
        assert_eq!((pad.as_str(), len), ("   ", 4));
    }
}
