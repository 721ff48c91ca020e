//! The validating visitor: walks a decoded model with the generated field tables and applies
//! the field rules. Paths and messages are built only when an issue is emitted.

use super::rules::{self, Shown};
use crate::model::path::PathStack;
use crate::model::{
    FieldKind, FieldSpec, Item, List, Map, Node, StructSpec, Unknown, UnknownKind, Visitor,
};
use crate::report::{Issue, Msg, Severity};
use crate::wire::span::Span;
use crate::wire::text::Text;

/// How much of the report the caller wants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Only whether there is any error: no strings are built, nothing is allocated.
    AnyError,
    /// Stop at the first error.
    FirstError,
    /// Every issue, warnings included.
    All,
}

/// Collects issues according to a [`Mode`], keeping at most `cap` of them and counting the
/// rest, so memory stays bounded by the cap whatever the document holds. Which ones it keeps:
/// the first emitted ([`Sink::capped`]: Qimen, whose walk follows the document), or the first in
/// the input ([`Sink::by_position`]: wdt JSON, whose walk follows the spec's field order, not
/// the document's).
pub(crate) struct Sink {
    mode: Mode,
    pub(crate) issues: Vec<Issue>,
    pub(crate) errors: usize,
    cap: usize,
    /// Issues emitted after the first `cap`: counted, never built.
    pub(crate) omitted: usize,
    /// How many of [`Sink::omitted`] are errors.
    pub(crate) omitted_errors: usize,
    /// Keep the issues that come first in the input rather than the first emitted.
    by_position: Option<Positions>,
}

/// What a [`Sink::by_position`] sink needs beyond the issues: each issue's emission number
/// (`seqs`, beside `issues`), and the totals of everything emitted, kept or not.
#[derive(Default)]
struct Positions {
    seqs: Vec<u64>,
    next: u64,
    total: usize,
    total_errors: usize,
    /// Once the kept issues were cut to the cap: the last kept one's start. A later issue that
    /// starts after it can never be among the first `cap`: it is counted, not built.
    beyond: Option<u32>,
}

/// Where a [`Sink`] stood, to take back what a block reported ([`Sink::rollback`]).
#[derive(Clone, Copy)]
struct Mark {
    issues: usize,
    errors: usize,
    omitted: usize,
    omitted_errors: usize,
    seq: u64,
    total: usize,
    total_errors: usize,
}

impl Sink {
    pub(crate) fn new(mode: Mode) -> Sink {
        Sink::capped(mode, usize::MAX)
    }

    /// A sink that keeps the first `cap` issues emitted and counts the others.
    pub(crate) fn capped(mode: Mode, cap: usize) -> Sink {
        Sink {
            mode,
            issues: Vec::new(),
            errors: 0,
            cap,
            omitted: 0,
            omitted_errors: 0,
            by_position: None,
        }
    }

    /// A sink that keeps the `cap` issues that start first in the input (ties: the first
    /// emitted), holding at most twice that many at any time; [`Sink::finish`] gives them in
    /// input order.
    pub(crate) fn by_position(mode: Mode, cap: usize) -> Sink {
        Sink {
            by_position: Some(Positions::default()),
            ..Sink::capped(mode, cap)
        }
    }

    fn mark(&self) -> Mark {
        let p = self.by_position.as_ref();
        Mark {
            issues: self.issues.len(),
            errors: self.errors,
            omitted: self.omitted,
            omitted_errors: self.omitted_errors,
            seq: p.map_or(0, |p| p.next),
            total: p.map_or(0, |p| p.total),
            total_errors: p.map_or(0, |p| p.total_errors),
        }
    }

    /// Takes back everything reported since `mark`, kept or counted. (In position order, an
    /// issue cut before the mark to make room for one taken back stays cut: the listed issues
    /// may then be fewer than the cap, never wrong, and the counts stay exact. Only an empty
    /// block is taken back, and it reports no more than one `required` per field.)
    fn rollback(&mut self, mark: Mark) {
        self.errors = mark.errors;
        self.omitted = mark.omitted;
        self.omitted_errors = mark.omitted_errors;
        let Some(p) = self.by_position.as_mut() else {
            self.issues.truncate(mark.issues);
            return;
        };
        p.next = mark.seq;
        p.total = mark.total;
        p.total_errors = mark.total_errors;
        let mut i = 0;
        let (issues, seqs) = (&mut self.issues, &mut p.seqs);
        while i < seqs.len() {
            if seqs[i] >= mark.seq {
                seqs.swap_remove(i);
                issues.swap_remove(i);
            } else {
                i += 1;
            }
        }
    }

    /// Whether the cap is reached: the issue is counted and need not be built.
    fn counts_only(&mut self, severity: Severity, start: u32) -> bool {
        if let Some(p) = self.by_position.as_mut() {
            p.total += 1;
            p.total_errors += usize::from(severity == Severity::Error);
            return self.cap == 0 || p.beyond.is_some_and(|b| start > b);
        }
        if self.issues.len() < self.cap {
            return false;
        }
        self.omitted += 1;
        self.omitted_errors += usize::from(severity == Severity::Error);
        true
    }

    /// Keeps `issue`; in position order, cuts the kept ones to the cap when they reach twice it.
    fn keep(&mut self, issue: Issue) {
        self.issues.push(issue);
        let Some(p) = self.by_position.as_mut() else {
            return;
        };
        p.seqs.push(p.next);
        p.next += 1;
        if self.issues.len() >= self.cap.saturating_mul(2).max(64) {
            self.cut();
        }
    }

    /// Sorts the kept issues into input order and keeps the first `cap`.
    fn cut(&mut self) {
        let Some(p) = self.by_position.as_mut() else {
            return;
        };
        let mut pairs: Vec<(Issue, u64)> = std::mem::take(&mut self.issues)
            .into_iter()
            .zip(std::mem::take(&mut p.seqs))
            .collect();
        pairs.sort_by_key(|(i, seq)| (i.span.start, *seq));
        pairs.truncate(self.cap);
        if pairs.len() == self.cap {
            p.beyond = pairs.last().map(|(i, _)| i.span.start);
        }
        (self.issues, p.seqs) = pairs.into_iter().unzip();
    }

    /// The kept issues (in input order for a position-order sink), and how many were left out
    /// and how many of those are errors.
    pub(crate) fn finish(mut self) -> (Vec<Issue>, usize, usize) {
        if self.by_position.is_none() {
            return (self.issues, self.omitted, self.omitted_errors);
        }
        self.cut();
        let p = self.by_position.as_ref().expect("checked above");
        let kept_errors = self
            .issues
            .iter()
            .filter(|i| i.severity == Severity::Error)
            .count();
        let omitted = p.total - self.issues.len();
        let omitted_errors = p.total_errors - kept_errors;
        (self.issues, omitted, omitted_errors)
    }

    fn done(&self) -> bool {
        self.mode != Mode::All && self.errors > 0
    }

    fn keeps(&self, severity: Severity) -> bool {
        match self.mode {
            Mode::AnyError => false,
            Mode::FirstError => severity == Severity::Error,
            Mode::All => true,
        }
    }
}

/// Walks a model and reports field-rule issues into a [`Sink`].
pub(crate) struct Validator<'s> {
    sink: &'s mut Sink,
    path: PathStack,
    parent: Span,
    parent_spec: Option<&'static StructSpec>,
    item_index: u32,
    /// Validating wdt JSON: JSON Pointer paths, JSON wording, lenient number forms.
    json: bool,
    /// The root list field a bare JSON array stands for (its name is left out of paths).
    bare: Option<&'static str>,
    depth: u32,
    /// Whether anything (a non-blank value, a list item, a map entry, an element outside the
    /// contract) has been seen in the block being walked.
    seen: bool,
    /// Whether the block being walked has any-of groups: then the names of its fields that
    /// hold something are noted in `present`.
    track: bool,
    /// Fields holding something, of the blocks being walked that track them (innermost last).
    present: Vec<&'static str>,
    /// When asked for ([`Validator::with_personal_spans`]): the spans the privacy collector
    /// would hide, gathered in this walk instead of one of its own.
    hidden: Option<Hidden>,
}

/// The spans of personal values (and of what may hide one) a walk gathers, in the order the
/// privacy collector's own walk (recording spans only) would list them.
pub(crate) struct Hidden {
    /// The spans.
    pub(crate) spans: Vec<Span>,
    /// Whether the walk skipped part of the model the collector walks (the items of a list
    /// whose value has the wrong type): then `spans` is incomplete and the collector must run.
    pub(crate) incomplete: bool,
}

impl<'s> Validator<'s> {
    pub(crate) fn new(sink: &'s mut Sink, root: &'static str) -> Validator<'s> {
        let mut path = PathStack::new();
        path.push(root, 0);
        Validator {
            sink,
            path,
            parent: Span::default(),
            parent_spec: None,
            item_index: 0,
            json: false,
            bare: None,
            depth: 0,
            seen: false,
            track: false,
            present: Vec::new(),
            hidden: None,
        }
    }

    /// A validator for wdt JSON; `bare` names the root list field when the document is a bare
    /// array standing for it.
    pub(crate) fn json(sink: &'s mut Sink, bare: Option<&'static str>) -> Validator<'s> {
        Validator {
            sink,
            path: PathStack::json(),
            parent: Span::default(),
            parent_spec: None,
            item_index: 0,
            json: true,
            bare,
            depth: 0,
            seen: false,
            track: false,
            present: Vec::new(),
            hidden: None,
        }
    }

    /// Also gathers the spans the privacy collector hides ([`crate::privacy`]): the values of
    /// classified fields, free maps and everything outside the contract. For wdt JSON, whose
    /// lint needs only those spans, and for a Qimen body whose privacy check reports nothing,
    /// this spares the collector's own walk of the model.
    pub(crate) fn with_personal_spans(mut self) -> Self {
        // Room for a few trades' personal values before the first regrowth.
        self.hidden = Some(Hidden {
            spans: Vec::with_capacity(32),
            incomplete: false,
        });
        self
    }

    /// The spans gathered by a validator [`Validator::with_personal_spans`].
    pub(crate) fn into_personal_spans(self) -> Option<Hidden> {
        self.hidden
    }

    /// Notes the span of a classified field's value when spans are gathered.
    #[inline]
    fn note_personal(&mut self, text: &Text<'_>) {
        if let Some(hidden) = self.hidden.as_mut() {
            let personal = if self.json {
                crate::privacy::collect::json_personal(text)
            } else {
                crate::privacy::collect::xml_personal(text)
            };
            if personal {
                hidden.spans.push(text.span());
            }
        }
    }

    fn emit(
        &mut self,
        rule: &'static str,
        severity: Severity,
        tail: Option<(&str, u32)>,
        span: Span,
        message: impl FnOnce() -> Msg,
    ) {
        if self.sink.done() {
            return;
        }
        if severity == Severity::Error {
            self.sink.errors += 1;
        }
        if !self.sink.keeps(severity) || self.sink.counts_only(severity, span.start) {
            return;
        }
        let message = message();
        self.sink.keep(Issue {
            rule,
            severity,
            path: self.path.render(tail),
            span,
            message: message.en,
            message_zh: message.zh,
        });
    }

    #[inline]
    fn missing(&mut self, field: &'static FieldSpec, index: u32) {
        if field.required {
            let json = self.json;
            let parent = self.parent;
            self.emit(
                crate::rules::REQUIRED,
                Severity::Error,
                Some((field.name, index)),
                parent,
                move || rules::required::missing(field, json),
            );
        }
    }

    /// Notes that field `name` of the block being walked holds something.
    #[inline]
    fn holds(&mut self, name: &'static str) {
        if self.track {
            self.present.push(name);
        }
    }

    /// Reports each any-of group of `spec` none of whose fields is among `present[from..]`;
    /// the block is at the current path and `span`.
    #[cold]
    fn check_any_of(&mut self, spec: &'static StructSpec, from: usize, span: Span) {
        for group in spec.any_of {
            let held = &self.present[from..];
            if group.fields.iter().any(|f| held.contains(f)) {
                continue;
            }
            let json = self.json;
            self.emit(group.rule, Severity::Error, None, span, || {
                rules::any_of::message(group, json)
            });
        }
    }

    /// Checks a value that is not obviously fine; returns whether it holds anything (is not
    /// blank).
    #[inline(never)]
    fn check_value(&mut self, field: &'static FieldSpec, index: u32, text: &Text<'_>) -> bool {
        let tail = Some((field.name, index));
        if text.has_children() {
            let json = self.json;
            self.emit(
                crate::rules::ELEMENT_CONTENT,
                Severity::Error,
                tail,
                text.span(),
                || {
                    if json {
                        rules::element_content::json_message(
                            field.name,
                            "a string or a number",
                            text.raw(),
                        )
                    } else {
                        rules::element_content::message(field.name)
                    }
                },
            );
            return true;
        }
        let value = text.value();
        // Unicode whitespace starts with an ASCII byte or a 0xC2/0xE1/0xE2/0xE3 lead byte; any
        // other first byte (most CJK text starts with 0xE4–0xE9) proves the value is not blank.
        let starts_visible = value.as_bytes().first().is_some_and(|&b| {
            (b > b' ' && b < 0x80) || !matches!(b, 0x00..=0x20 | 0x80..=0xC2 | 0xE1..=0xE3)
        });
        if !starts_visible && value.trim().is_empty() {
            if field.required {
                let json = self.json;
                self.emit(
                    crate::rules::REQUIRED,
                    Severity::Error,
                    tail,
                    text.span(),
                    || rules::required::empty(field, json),
                );
            }
            return false;
        }
        let shown = Shown {
            value: &value,
            privacy: field.privacy,
        };
        let (rule, message) = match field.kind {
            FieldKind::Integer => {
                // wdt senders write codes as numbers, strings or `30.0`; all mean 30.
                let whole = if self.json {
                    rules::integer::whole_part(&value)
                } else {
                    &value
                };
                match rules::integer::check(whole, field.min, &shown) {
                    Some(m) => (crate::rules::INTEGER, Some(m)),
                    None => match field.enumeration {
                        Some(table) if !table.open => (
                            crate::rules::ENUM,
                            rules::enum_code::check(whole, table, &shown),
                        ),
                        _ => (crate::rules::INTEGER, None),
                    },
                }
            }
            FieldKind::Decimal { scale, precision } => (
                crate::rules::DECIMAL,
                rules::decimal::check(&value, scale, precision, &shown),
            ),
            FieldKind::DateTime => (
                crate::rules::DATETIME,
                rules::datetime::check(&value, &shown),
            ),
            FieldKind::ZeroableDateTime => (
                crate::rules::DATETIME,
                (&*value != rules::datetime::ZERO)
                    .then(|| rules::datetime::check(&value, &shown))
                    .flatten(),
            ),
            FieldKind::Date => (crate::rules::DATE, rules::date::check(&value, &shown)),
            FieldKind::Time => (crate::rules::TIME, rules::time::check(&value, &shown)),
            FieldKind::Flag => (crate::rules::FLAG, rules::flag::check(&value, &shown)),
            _ => match field.enumeration {
                Some(table) if !table.open => (
                    crate::rules::ENUM,
                    rules::enum_code::check(&value, table, &shown),
                ),
                _ => (
                    crate::rules::MAX_LENGTH,
                    field
                        .max_chars
                        .and_then(|max| rules::max_length::check(&value, max, &shown)),
                ),
            },
        };
        if let Some(message) = message {
            let json = self.json;
            // In Chinese the value's complaint is headed by the field's label.
            self.emit(rule, Severity::Error, tail, text.span(), || Msg {
                zh: message
                    .zh
                    .map(|zh| format!("{}：{zh}", rules::zh_name(field, json))),
                en: message.en,
            });
        }
        true
    }
}

/// A cheap test that passes the most common values without the full check: plain text (XML
/// without entities or CDATA, a JSON string without escapes, a JSON number) that starts with a
/// visible character, in a free-text field whose length fits in bytes already, a code of a
/// closed table exactly as listed, or in an integer field as plain digits. Anything else (and
/// every failure) takes the full check, so this never hides an issue.
#[inline(always)]
fn obviously_fine(field: &FieldSpec, text: &Text<'_>) -> bool {
    if !text.is_verbatim() {
        return false;
    }
    let raw = text.raw().as_bytes();
    let Some(&first) = raw.first() else {
        return false;
    };
    let visible =
        (first > b' ' && first < 0x80) || !matches!(first, 0x00..=0x20 | 0x80..=0xC2 | 0xE1..=0xE3);
    if !visible {
        return false;
    }
    match field.kind {
        // A closed table's code is checked against the table alone.
        FieldKind::Str => match field.enumeration {
            Some(table) if !table.open => table.contains(text.raw()),
            _ => field.max_chars.is_none_or(|max| raw.len() <= max as usize),
        },
        FieldKind::Integer => {
            field
                .enumeration
                .is_none_or(|t| t.open || t.contains(text.raw()))
                && raw.len() <= 18
                && raw.iter().all(u8::is_ascii_digit)
                && match field.min {
                    None => true,
                    Some(min) if min <= 0 => true,
                    Some(1) => raw.iter().any(|&b| b != b'0'),
                    Some(_) => false,
                }
        }
        FieldKind::Decimal { scale, precision } => {
            let (int, frac) = match raw.iter().position(|&b| b == b'.') {
                Some(dot) if dot + 1 < raw.len() => (&raw[..dot], &raw[dot + 1..]),
                Some(_) => return false,
                None => (raw, &[][..]),
            };
            let max_int = precision.map_or(15, |p| p.saturating_sub(scale).min(15)) as usize;
            !int.is_empty()
                && int.len() <= max_int
                && frac.len() <= scale as usize
                && int.iter().chain(frac).all(u8::is_ascii_digit)
        }
        _ => false,
    }
}

impl<'a> Visitor<'a> for Validator<'_> {
    fn root<T: Node<'a>>(&mut self, node: &T) {
        self.parent = node.span();
        self.parent_spec = Some(T::SPEC);
        self.depth = 1;
        // A bare JSON array stands for one list of the root: the root's other keys travel
        // elsewhere (the form), so its groups are not checked.
        self.track = !T::SPEC.any_of.is_empty() && self.bare.is_none();
        node.visit(self);
        if self.track {
            self.check_any_of(T::SPEC, 0, node.span());
        }
        self.track = false;
        self.present.clear();
    }

    #[inline(always)]
    fn text(&mut self, field: &'static FieldSpec, value: Option<&Text<'a>>) {
        // Most fields of a message are absent: keep that path to a couple of instructions.
        match value {
            // `item_index` is already 0 here: list items are never absent, and every visit of
            // a present item takes it.
            None if !field.required => {}
            None => {
                let index = std::mem::take(&mut self.item_index);
                self.missing(field, index)
            }
            Some(text) => {
                if field.privacy.is_some() {
                    self.note_personal(text);
                }
                let index = std::mem::take(&mut self.item_index);
                // What is obviously fine starts with a visible character: it is not blank.
                let holds = obviously_fine(field, text) || self.check_value(field, index, text);
                self.seen |= holds;
                if holds {
                    self.holds(field.name);
                }
            }
        }
    }

    fn node<T: Node<'a>>(&mut self, field: &'static FieldSpec, value: Option<&T>) {
        let index = std::mem::take(&mut self.item_index);
        let Some(node) = value else {
            return self.missing(field, index);
        };
        let mark = self.sink.mark();
        let outer_seen = std::mem::replace(&mut self.seen, false);
        let saved = (self.parent, self.parent_spec);
        let outer_track = std::mem::replace(&mut self.track, !T::SPEC.any_of.is_empty());
        let from = self.present.len();
        self.parent = node.span();
        self.parent_spec = Some(T::SPEC);
        self.path.push(field.name, index);
        self.depth += 1;
        node.visit(self);
        if self.track {
            self.check_any_of(T::SPEC, from, node.span());
        }
        self.present.truncate(from);
        self.track = outer_track;
        self.depth -= 1;
        self.path.pop();
        let inner_seen = self.seen;
        if inner_seen {
            self.holds(field.name);
        }
        self.seen = outer_seen || inner_seen;
        // A block with nothing in it (`<senderInfo/>`, or only empty fields) is absent, as an
        // empty scalar is: what its fields reported is taken back, and it draws one `required`
        // error if it must be there. A list item is not a block that may be left out: its
        // fields are checked as they are.
        if index == 0 && !inner_seen {
            self.sink.rollback(mark);
            self.missing(field, index);
        }
        (self.parent, self.parent_spec) = saved;
    }

    fn list<T: Item<'a>>(&mut self, field: &'static FieldSpec, value: Option<&List<'a, T>>) {
        let index = std::mem::take(&mut self.item_index);
        let Some(list) = value else {
            return self.missing(field, index);
        };
        self.seen |= !list.items.is_empty() || !list.unknown.is_empty();
        if !list.items.is_empty() {
            self.holds(field.name);
        }
        let FieldKind::List(item) = field.kind else {
            return;
        };
        let bare = self.depth == 1 && self.bare == Some(field.name);
        let name = if bare { "" } else { field.name };
        let wrong = list
            .unknown
            .iter()
            .find(|u| u.kind == UnknownKind::WrongType);
        if let Some(u) = wrong {
            if let Some(hidden) = self.hidden.as_mut() {
                hidden.incomplete |= !list.items.is_empty();
            }
            self.emit(
                crate::rules::ELEMENT_CONTENT,
                Severity::Error,
                Some((name, index)),
                u.span,
                || rules::element_content::json_message(field.name, "an array", &u.raw),
            );
            return;
        }
        if let Some(message) = rules::min_items::check(list.items.len(), field, item, self.json) {
            self.emit(
                crate::rules::MIN_ITEMS,
                Severity::Error,
                Some((name, index)),
                list.span,
                || message,
            );
        }
        let saved = self.parent;
        self.parent = list.span;
        self.path.push(name, index);
        self.depth += 1;
        // Items are not fields of the block: scalar items are not noted.
        let outer_track = std::mem::replace(&mut self.track, false);
        for (i, it) in list.items.iter().enumerate() {
            self.item_index = i as u32 + 1;
            it.accept(item, self);
        }
        self.track = outer_track;
        self.item_index = 0;
        for u in &list.unknown {
            let message = || {
                match u.kind {
                UnknownKind::Text => Msg::new(
                    format!("unexpected text in `<{}>`, which holds only `<{}>` items", field.name, item.name),
                    format!("`<{}>` 里有多余的文本，它只应包含 `<{}>` 条目", field.name, item.name),
                ),
                UnknownKind::WrongType => Msg::new(String::new(), String::new()),
                _ => Msg::new(
                    format!("`<{}>` in `<{}>`, which holds only `<{}>` items; it is kept, but a strict receiver may reject it", u.name, field.name, item.name),
                    format!("`<{}>` 出现在 `<{}>` 中，而这里只应有 `<{}>` 条目；会原样保留，但严格的接收方可能拒收", u.name, field.name, item.name),
                ),
            }
            };
            let name = if u.name.is_empty() { "#text" } else { &u.name };
            self.emit(
                crate::rules::UNKNOWN_FIELD,
                Severity::Warning,
                Some((name, 0)),
                u.span,
                message,
            );
        }
        self.depth -= 1;
        self.path.pop();
        self.parent = saved;
    }

    fn map(&mut self, field: &'static FieldSpec, value: Option<&Map<'a>>) {
        let index = std::mem::take(&mut self.item_index);
        let Some(map) = value else {
            return self.missing(field, index);
        };
        if let Some(hidden) = self.hidden.as_mut() {
            hidden
                .spans
                .extend(map.entries.iter().map(|e| e.value.span()));
            hidden.spans.extend(map.unknown.iter().map(|u| u.span));
        }
        self.seen |= !map.entries.is_empty() || !map.unknown.is_empty();
        if !map.entries.is_empty() {
            self.holds(field.name);
        }
        if map.unknown.is_empty() {
            return;
        }
        self.path.push(field.name, index);
        for u in &map.unknown {
            self.emit(
                crate::rules::UNKNOWN_FIELD,
                Severity::Warning,
                Some(("#text", 0)),
                u.span,
                || {
                    Msg::new(
                        format!(
                            "unexpected text directly inside `<{}>`, which holds only `<key>value</key>` entries",
                            field.name
                        ),
                        format!(
                            "`<{}>` 里直接有多余的文本，它只应包含 `<键>值</键>` 条目",
                            field.name
                        ),
                    )
                },
            );
        }
        self.path.pop();
    }

    fn unknown(&mut self, unknown: &[Unknown<'a>]) {
        if let Some(hidden) = self.hidden.as_mut() {
            hidden.spans.extend(unknown.iter().map(|u| u.span));
        }
        self.seen |= !unknown.is_empty();
        let Some(spec) = self.parent_spec else { return };
        let json = self.json;
        for u in unknown {
            let name = if u.name.is_empty() { "#text" } else { &u.name };
            match u.kind {
                UnknownKind::WrongType => self.emit(
                    crate::rules::ELEMENT_CONTENT,
                    Severity::Error,
                    None,
                    u.span,
                    || {
                        let expected = format!("an object ({})", spec.doc);
                        rules::element_content::json_message("", &expected, &u.raw)
                    },
                ),
                UnknownKind::Duplicate => self.emit(
                    crate::rules::DUPLICATE_ELEMENT,
                    Severity::Error,
                    Some((name, 0)),
                    u.span,
                    || rules::duplicate_element::message(&u.name, spec.name, json),
                ),
                UnknownKind::Text => self.emit(
                    crate::rules::UNKNOWN_FIELD,
                    Severity::Warning,
                    Some((name, 0)),
                    u.span,
                    || {
                        Msg::new(
                            format!(
                                "unexpected text directly inside {}, which holds only elements",
                                spec.name
                            ),
                            format!("{} 里直接有多余的文本，它只应包含元素", spec.name),
                        )
                    },
                ),
                UnknownKind::Element => self.emit(
                    crate::rules::UNKNOWN_FIELD,
                    Severity::Warning,
                    Some((name, 0)),
                    u.span,
                    || rules::unknown_field::message(&u.name, spec, json),
                ),
            }
        }
    }
}
