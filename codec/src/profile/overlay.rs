//! A profile's field overlays applied to a decoded body: one walk down the paths the profile
//! names (the rest of the document is not visited), which adds the issues the profile demands
//! and names the issues of the base contract it relaxes.

use super::paths::{Root, Target};
use super::texts::{Finding, Part, Texts};
use super::{ExtraKind, FieldOverlay, Profile, SideOverlay};
use crate::model::path::PathStack;
use crate::model::privacy::Privacy;
use crate::model::qimen::QimenBody;
use crate::model::wdt::WdtBody;
use crate::model::{FieldKind, FieldSpec, Item, List, Map, Node, Unknown, UnknownKind, Visitor};
use crate::privacy::collect::Found;
use crate::report::{Issue, Msg, Severity};
use crate::validate::rules::{self, Shown, Tag};
use crate::wire::span::Span;
use crate::wire::text::Text;

/// The overlays of one body as a tree of path segments. A segment that is a field of the
/// contract knows its field table entry, so the walk finds it by address rather than by name:
/// a node for a block also maps each of the block's fields (by its index in the block's table)
/// to the child for it, one subtraction and one load per field the walk meets.
#[derive(Debug, Clone, Default)]
pub(crate) struct Trie {
    children: Vec<Child>,
    overlay: Option<FieldOverlay>,
    allowed: bool,
    /// The field table of the block this node stands for, when it is one.
    block: &'static [FieldSpec],
    /// For each field of `block`, 1 + the index of its child, or 0.
    slots: Vec<u8>,
    /// The fields of `block` worth visiting, in table order. A field whose overlay does
    /// nothing (a `doc`) is left out.
    walked: Vec<Step>,
    /// Whether a child is an element the contract does not define (added or allowed).
    extras: bool,
    /// Whether a child is such an element that the profile requires.
    required_extras: bool,
    /// The findings the overlay can raise, when this node is a field of the contract.
    texts: Option<Box<Texts>>,
    /// Whether the overlay looks at a present value (not only at whether there is one).
    checks_value: bool,
    /// The field's wire path below the root element (`/deliveryOrder/ownerCode`), when it is
    /// a Qimen field with no list on the way to it.
    path: Option<Box<str>>,
}

/// A field of a block that the walk visits.
#[derive(Debug, Clone, Copy)]
struct Step {
    /// Its index in the block's field table.
    field: usize,
    /// The index of its node among the block's children.
    child: usize,
    /// Whether all its overlay can do is drop the base contract's `required` issue (worth a
    /// visit only when the base reported one).
    only_relaxes: bool,
}

/// One segment below a node of the tree.
#[derive(Debug, Clone)]
struct Child {
    name: String,
    spec: Option<&'static FieldSpec>,
    trie: Trie,
}

impl Trie {
    /// The tree of `side`'s paths in the body `root`, its findings worded for profile `id`.
    pub(super) fn of(side: &SideOverlay, root: &Root, id: &str) -> Trie {
        let mut tree = Trie {
            block: root.fields(),
            ..Trie::default()
        };
        for (path, overlay) in &side.fields {
            tree.at(path, root).overlay = Some(overlay.clone());
        }
        for path in &side.allow {
            tree.at(path, root).allowed = true;
        }
        tree.prepare(root.json(), id, (!root.json()).then_some(""));
        tree.index();
        tree
    }

    /// Readies the overlays on fields of the contract below this node for the walk: drops a
    /// `required` that says what the contract already says (it can neither add nor relax an
    /// issue), writes the findings each overlay can raise, notes which look at values.
    /// `path` is this node's wire path below the root, when it has no list on the way.
    fn prepare(&mut self, json: bool, id: &str, path: Option<&str>) {
        for child in &mut self.children {
            let node = &mut child.trie;
            node.path = path
                .filter(|_| child.spec.is_some())
                .map(|p| format!("{p}/{}", child.name).into_boxed_str());
            if let (Some(spec), Some(overlay)) = (child.spec, node.overlay.as_mut()) {
                if overlay.required == Some(spec.required) {
                    overlay.required = None;
                }
                node.checks_value = overlay.max_chars.is_some()
                    || overlay.enum_only.is_some()
                    || !overlay.enum_add.is_empty()
                    || overlay.bound.is_some()
                    || overlay.recommended.is_some();
                node.texts = Some(Box::new(Texts::of(spec, overlay, json, id)));
            }
            let below = match child.spec.map(|s| s.kind) {
                Some(FieldKind::List(_)) => None,
                _ => node.path.as_deref(),
            };
            let below = below.map(str::to_owned);
            node.prepare(json, id, below.as_deref());
        }
    }

    fn at(&mut self, path: &str, root: &Root) -> &mut Trie {
        let mut node = self;
        let mut prefix = String::new();
        for seg in path.split('/') {
            if !prefix.is_empty() {
                prefix.push('/');
            }
            prefix.push_str(seg);
            let i = match node.children.iter().position(|c| c.name == seg) {
                Some(i) => i,
                None => {
                    let spec = match root.resolve(&prefix) {
                        Ok(Target::Field(spec)) => Some(spec),
                        _ => None,
                    };
                    node.children.push(Child {
                        name: seg.to_string(),
                        spec,
                        trie: Trie {
                            block: spec.map_or(&[], |s| root.block_of(s)),
                            ..Trie::default()
                        },
                    });
                    node.children.len() - 1
                }
            };
            node = &mut node.children[i].trie;
        }
        node
    }

    /// Fills `slots` in this node and below.
    fn index(&mut self) {
        let mut slots = vec![0u8; self.block.len()];
        for (i, child) in self.children.iter_mut().enumerate() {
            child.trie.index();
            let at = child.spec.and_then(|s| position(self.block, s));
            if let (Some(at), Ok(slot)) = (at, u8::try_from(i + 1)) {
                slots[at] = slot;
            }
        }
        self.walked = (0..slots.len())
            .filter(|&i| slots[i] > 0)
            .filter_map(|i| {
                let at = usize::from(slots[i]) - 1;
                let child = &self.children[at].trie;
                let leaf = child.children.is_empty() && !child.allowed;
                let step = |only_relaxes| Step {
                    field: i,
                    child: at,
                    only_relaxes,
                };
                match &child.overlay {
                    Some(o) if leaf && o.only_relaxes_required() => Some(step(true)),
                    Some(o) if leaf && o.is_inert() => None,
                    None if leaf => None,
                    _ => Some(step(false)),
                }
            })
            .collect();
        self.slots = slots;
        self.extras = self.children.iter().any(|c| c.spec.is_none());
        self.required_extras = self.children.iter().any(|c| {
            c.trie
                .overlay
                .as_ref()
                .is_some_and(|o| o.extra.is_some() && o.required == Some(true))
        });
    }

    /// The subtree of a field of the contract.
    #[inline]
    fn field(&self, field: &'static FieldSpec) -> Option<&Trie> {
        if let Some(at) = position(self.block, field) {
            let slot = self.slots[at];
            return (slot > 0).then(|| &self.children[usize::from(slot) - 1].trie);
        }
        self.children
            .iter()
            .find(|c| c.spec.is_some_and(|s| std::ptr::eq(s, field)))
            .map(|c| &c.trie)
    }

    /// The subtree of an element the contract does not define.
    fn extra(&self, name: &str) -> Option<&Trie> {
        self.children
            .iter()
            .find(|c| c.spec.is_none() && c.name == name)
            .map(|c| &c.trie)
    }
}

/// The index of `field` in the field table `block`, when it is one of its entries.
#[inline]
fn position(block: &'static [FieldSpec], field: &'static FieldSpec) -> Option<usize> {
    let size = std::mem::size_of::<FieldSpec>();
    let offset = (field as *const FieldSpec as usize).wrapping_sub(block.as_ptr() as usize);
    (offset < std::mem::size_of_val(block) && offset % size == 0).then_some(offset / size)
}

/// What a profile's overlays found in one body.
#[derive(Debug, Default)]
pub(crate) struct Outcome {
    /// Issues the profile demands (severity per the overlay, before any re-levelling).
    pub(crate) added: Vec<Issue>,
    /// Base issues the profile relaxes: rule and wire path.
    pub(crate) relaxed: Vec<(&'static str, String)>,
    /// Values of the fields the profile adds with a personal-data class.
    pub(crate) personal: Vec<Found>,
}

impl Outcome {
    /// How much was found so far, to take back what an empty block reported.
    fn mark(&self) -> (usize, usize, usize) {
        (self.added.len(), self.relaxed.len(), self.personal.len())
    }

    /// Takes back what was found since `mark`.
    fn rollback(&mut self, (added, relaxed, personal): (usize, usize, usize)) {
        self.added.truncate(added);
        self.relaxed.truncate(relaxed);
        self.personal.truncate(personal);
    }

    /// Drops the relaxed issues from `issues`, adds the demanded ones, keeps document order;
    /// returns the personal values of the fields the profile adds.
    pub(crate) fn apply(self, issues: &mut Vec<Issue>) -> Vec<Found> {
        if !self.relaxed.is_empty() {
            issues.retain(|i| {
                !self
                    .relaxed
                    .iter()
                    .any(|(rule, path)| *rule == i.rule && *path == i.path)
            });
        }
        if !self.added.is_empty() {
            // Into input order. When the issues already are (the usual case) and few are
            // added, each goes after those starting at or before it, which is where a stable
            // sort puts it; many are sorted in, which keeps the time n log n.
            if issues.is_empty() && self.added.is_sorted_by_key(|i| i.span.start) {
                *issues = self.added;
            } else if self.added.len() <= 8 && issues.is_sorted_by_key(|i| i.span.start) {
                for issue in self.added {
                    let at = issues.partition_point(|i| i.span.start <= issue.span.start);
                    issues.insert(at, issue);
                }
            } else {
                issues.extend(self.added);
                issues.sort_by_key(|i| i.span.start);
            }
        }
        self.personal
    }
}

/// What `profile`'s overlays find in a decoded Qimen body of `method` (its request or reply, by
/// the body's root element), given the `base` contract's issues (the ones it may relax);
/// `None` when the profile has no overlay for it.
pub(crate) fn qimen_outcome(
    profile: &Profile,
    method: &str,
    body: &QimenBody<'_>,
    base: &[Issue],
) -> Option<Outcome> {
    let root = body.kind().root();
    let walk = Walk {
        method,
        response: root != "request",
        root: Some(root),
        bare: None,
        base,
    };
    check_body(profile, walk, |pass| body.visit(pass))
}

/// What `profile`'s overlays find in a decoded wdt body, given the `base` contract's issues;
/// `bare` says whether the document was a bare array standing for the body's list field.
/// `None` when the profile has no overlay for it.
pub(crate) fn wdt_outcome(
    profile: &Profile,
    body: &WdtBody<'_>,
    bare: bool,
    base: &[Issue],
) -> Option<Outcome> {
    let kind = body.kind();
    let walk = Walk {
        method: kind.method(),
        response: kind.direction() == crate::model::spec::Direction::Response,
        root: None,
        bare: if bare { kind.bare() } else { None },
        base,
    };
    check_body(profile, walk, |pass| body.visit(pass))
}

/// Which body a profile's overlays are laid over.
struct Walk<'w> {
    /// The method, any of its names.
    method: &'w str,
    /// Whether the body is the method's reply.
    response: bool,
    /// The XML root element's name; `None` for wdt JSON.
    root: Option<&'static str>,
    /// The list field a bare wdt array stands for.
    bare: Option<&'static str>,
    /// The base contract's issues, the only ones a relaxation can drop.
    base: &'w [Issue],
}

/// Walks the body `walk` describes with `profile`'s overlays. `visit` hands the walker to the
/// body (`body.visit(pass)`). `None` when the profile has no overlay for this body.
fn check_body(
    profile: &Profile,
    walk: Walk<'_>,
    visit: impl FnOnce(&mut Pass<'_>),
) -> Option<Outcome> {
    let Walk {
        method,
        response,
        root,
        bare,
        base,
    } = walk;
    let trie = &profile.side(method, response)?.trie;
    let mut relaxable: Vec<&'static str> = Vec::new();
    for issue in base {
        if !relaxable.contains(&issue.rule) {
            relaxable.push(issue.rule);
        }
    }
    let mut pass = Pass {
        profile,
        here: trie,
        next: None,
        root,
        path: if root.is_some() {
            PathStack::new()
        } else {
            PathStack::json()
        },
        parent: Span::default(),
        item_index: 0,
        json: root.is_none(),
        bare,
        depth: 0,
        relaxable,
        out: Outcome::default(),
    };
    if let Some(name) = root {
        pass.path.push(name, 0);
    }
    visit(&mut pass);
    Some(pass.out)
}

/// How deep the walker's path can go: the root, and a block and a list item for every level of
/// the deepest contract, with room to spare (a test checks every method's tree against it). A
/// profile path must name fields of the contract, so the walk never goes deeper than that.
const PASS_DEPTH: usize = 16;

/// The walker.
pub(crate) struct Pass<'p> {
    profile: &'p Profile,
    /// The node of the overlay tree for the block being walked.
    here: &'p Trie,
    /// The node of the field the walk is about to visit, when it knows it.
    next: Option<&'p Trie>,
    /// The XML root element's name; `None` for wdt JSON.
    root: Option<&'static str>,
    path: PathStack<PASS_DEPTH>,
    parent: Span,
    item_index: u32,
    json: bool,
    bare: Option<&'static str>,
    depth: u32,
    /// The rules of the base issues: relaxing another rule has nothing to drop.
    relaxable: Vec<&'static str>,
    out: Outcome,
}

impl<'p> Pass<'p> {
    fn here(&self) -> &'p Trie {
        self.here
    }

    /// The node of `field` below the block being walked: the one the walk named before
    /// visiting it, or found by the field.
    #[inline]
    fn child(&mut self, field: &'static FieldSpec) -> Option<&'p Trie> {
        match self.next.take() {
            Some(next) => Some(next),
            None => self.here.field(field),
        }
    }

    fn add(
        &mut self,
        rule: &'static str,
        overlay: &FieldOverlay,
        tail: Option<(&str, u32)>,
        span: Span,
        message: Msg,
    ) {
        let default = crate::rules::rule(rule).map_or(Severity::Error, |r| r.severity);
        let severity = match overlay.severity {
            Some(level) => match level.severity() {
                Some(s) => s,
                None => return,
            },
            None => default,
        };
        self.out.added.push(Issue {
            rule,
            severity,
            path: self.path.render(tail),
            span,
            message: {
                let mut en = message.en;
                en.push_str(" (profile `");
                en.push_str(&self.profile.id);
                en.push_str("`)");
                en
            },
            message_zh: message.zh.map(|mut zh| {
                zh.push_str("（对接方配置 `");
                zh.push_str(&self.profile.id);
                zh.push_str("`）");
                zh
            }),
        });
    }

    /// Adds a finding written in advance, with `part` in its messages, at the field `tail`
    /// (whose path below the root is `fixed` when it has no index in it).
    fn found(
        &mut self,
        finding: &Finding,
        part: Part<'_, '_>,
        tail: Option<(&str, u32)>,
        fixed: Option<&str>,
        span: Span,
    ) {
        let Some(severity) = finding.severity else {
            return;
        };
        let (en, zh) = finding.messages(part);
        // The field's path written in advance holds when no list lies on the way to it (then
        // nothing in it has an index).
        let path = match (fixed, self.root, tail) {
            (Some(fixed), Some(root), Some((_, 0))) => {
                let mut path = String::with_capacity(1 + root.len() + fixed.len());
                path.push('/');
                path.push_str(root);
                path.push_str(fixed);
                debug_assert_eq!(path, self.path.render(tail));
                path
            }
            _ => self.path.render(tail),
        };
        self.out.added.push(Issue {
            rule: finding.rule,
            severity,
            path,
            span,
            message: en,
            message_zh: Some(zh),
        });
    }

    fn relax(&mut self, rule: &'static str, tail: Option<(&str, u32)>) {
        if !self.relaxable.contains(&rule) {
            return;
        }
        let path = self.path.render(tail);
        self.out.relaxed.push((rule, path));
    }

    fn tag<'n>(&self, name: &'n str) -> Tag<'n> {
        Tag {
            name,
            json: self.json,
        }
    }

    /// A field with no value (absent, or blank): required or not per the overlay of `node`,
    /// the field's node in the tree.
    fn absent(&mut self, field: &'static FieldSpec, index: u32, node: &Trie) {
        let Some(overlay) = &node.overlay else {
            return;
        };
        let tail = Some((field.name, index));
        match overlay.required {
            Some(true) if !field.required => {
                if let Some(finding) = node.texts.as_ref().and_then(|t| t.required.as_ref()) {
                    self.found(
                        finding,
                        Part::Nothing,
                        tail,
                        node.path.as_deref(),
                        self.parent,
                    );
                }
            }
            Some(false) if field.required => self.relax(crate::rules::REQUIRED, tail),
            _ => {}
        }
    }

    /// The checks of the overlay of `node` (the field's node in the tree) of a value that is
    /// there.
    fn value(
        &mut self,
        field: &'static FieldSpec,
        index: u32,
        node: &Trie,
        text: &Text<'_>,
        value: &str,
    ) {
        let (Some(overlay), Some(texts)) = (&node.overlay, &node.texts) else {
            return;
        };
        let tail = Some((field.name, index));
        let shown = Shown {
            value,
            privacy: field.privacy,
        };
        if let (Some(max), Some(finding)) = (overlay.max_chars, &texts.max_chars) {
            let n = value.chars().count();
            if n > max as usize {
                self.found(
                    finding,
                    Part::Count(n),
                    tail,
                    node.path.as_deref(),
                    text.span(),
                );
            }
        }
        // The checks that show the value, in the order their findings are reported.
        let value_checks = [
            (
                &texts.enum_only,
                overlay
                    .enum_only
                    .as_ref()
                    .is_some_and(|only| !only.iter().any(|c| c == value)),
            ),
            (
                &texts.bound,
                overlay.bound.as_deref().is_some_and(|e| value != e),
            ),
            (
                &texts.recommended,
                overlay.recommended.as_ref().is_some_and(|r| value != r),
            ),
        ];
        for (finding, fails) in value_checks {
            if let (Some(finding), true) = (finding, fails) {
                self.found(
                    finding,
                    Part::Value(&shown),
                    tail,
                    node.path.as_deref(),
                    text.span(),
                );
            }
        }
        if overlay.enum_add.iter().any(|c| c == value) {
            self.relax(crate::rules::ENUM, tail);
        }
    }

    /// An element the contract does not define but the profile adds or allows.
    fn extra(&mut self, trie: &Trie, u: &Unknown<'_>) {
        let tail = Some((&*u.name, 0));
        let overlay = trie.overlay.as_ref();
        let kind = overlay.and_then(|o| o.extra);
        if !trie.allowed && kind.is_none() {
            return;
        }
        self.relax(crate::rules::UNKNOWN_FIELD, tail);
        let (Some(overlay), Some(kind)) = (overlay, kind) else {
            return;
        };
        let Some(value) = inner_value(&u.raw, self.json) else {
            let message = Msg::new(
                format!(
                    "expected {} to hold a value, found child elements or a JSON object or array",
                    self.tag(&u.name)
                ),
                format!(
                    "{} 应为单个值，实际是子元素或 JSON 对象、数组",
                    self.tag(&u.name)
                ),
            );
            self.add(
                crate::rules::ELEMENT_CONTENT,
                overlay,
                tail,
                u.span,
                message,
            );
            return;
        };
        let value = value.trim();
        if value.is_empty() {
            return;
        }
        if let Some(class) = overlay.privacy {
            self.personal(class, u, overlay, value);
        }
        let shown = Shown {
            value,
            privacy: overlay.privacy,
        };
        let (rule, message) = match kind {
            ExtraKind::Str(max) => (
                crate::rules::MAX_LENGTH,
                max.and_then(|m| rules::max_length::check(value, m, &shown)),
            ),
            ExtraKind::Integer => (
                crate::rules::INTEGER,
                rules::integer::check(value, None, &shown),
            ),
            ExtraKind::Decimal(scale) => (
                crate::rules::DECIMAL,
                rules::decimal::check(value, scale, None, &shown),
            ),
            ExtraKind::DateTime => (
                crate::rules::DATETIME,
                rules::datetime::check(value, &shown),
            ),
            ExtraKind::Date => (crate::rules::DATE, rules::date::check(value, &shown)),
            ExtraKind::Time => (crate::rules::TIME, rules::time::check(value, &shown)),
            ExtraKind::Flag => (crate::rules::FLAG, rules::flag::check(value, &shown)),
        };
        if let Some(message) = message {
            self.add(rule, overlay, tail, u.span, message);
        }
    }

    /// Walks the fields of `node` that `trie` has overlays below: only those (by their index in
    /// the block's table) when the tree knows the block, every field otherwise; then the
    /// elements outside the contract when the tree names any.
    fn walk<'a, T: Node<'a>>(&mut self, trie: &'p Trie, node: &T) {
        let fields = T::SPEC.fields;
        let known =
            std::ptr::eq(trie.block.as_ptr(), fields.as_ptr()) && trie.block.len() == fields.len();
        if !known {
            return node.visit(self);
        }
        for step in &trie.walked {
            if !step.only_relaxes || self.relaxable.contains(&crate::rules::REQUIRED) {
                self.next = Some(&trie.children[step.child].trie);
                node.visit_field(step.field, self);
                self.next = None;
            }
        }
        if trie.extras {
            self.unknown(node.unknown());
        }
    }

    /// Records the personal value of an added field: its text inside the element (XML), or
    /// the string's content or the number (JSON), so redaction rewrites exactly that.
    fn personal(&mut self, class: Privacy, u: &Unknown<'_>, overlay: &FieldOverlay, value: &str) {
        let (start, end) = (u.span.start as usize, u.span.end as usize);
        let raw = &*u.raw;
        let (span, number) = if self.json {
            match raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
                Some(_) => (Span::new(start + 1, end - 1), false),
                None => (u.span, true),
            }
        } else {
            let (Some(open), Some(close)) = (raw.find('>'), raw.rfind("</")) else {
                return;
            };
            (Span::new(start + open + 1, start + close), false)
        };
        self.out.personal.push(Found {
            class,
            path: self.path.render(Some((&u.name, 0))),
            span,
            value: value.to_string(),
            number,
            max_chars: match overlay.extra {
                Some(ExtraKind::Str(max)) => max,
                _ => None,
            },
        });
    }

    /// Fields the profile adds and requires that a present block lacks.
    fn missing_extras(&mut self, trie: &Trie, unknown: &[Unknown<'_>], at: Span) {
        if !trie.required_extras {
            return;
        }
        for Child {
            name, trie: child, ..
        } in &trie.children
        {
            let Some(overlay) = &child.overlay else {
                continue;
            };
            if overlay.extra.is_none() || overlay.required != Some(true) {
                continue;
            }
            let there = unknown.iter().any(|u| {
                u.kind == UnknownKind::Element
                    && u.name == name.as_str()
                    && inner_value(&u.raw, self.json).is_some_and(|v| !v.trim().is_empty())
            });
            if !there {
                let message = Msg::new(
                    format!(
                        "expected {}: this counterparty requires it, found none",
                        self.tag(name)
                    ),
                    format!("缺少 {}：该对接方要求必填", self.tag(name)),
                );
                self.add(
                    crate::rules::REQUIRED,
                    overlay,
                    Some((name, 0)),
                    at,
                    message,
                );
            }
        }
    }
}

/// `value` without leading and trailing white space; most values start and end with a visible
/// ASCII character and are returned without a look at their characters.
#[inline]
fn trim(value: &str) -> &str {
    let visible = |b: &u8| *b > b' ' && *b < 0x80;
    let b = value.as_bytes();
    match (b.first(), b.last()) {
        (Some(first), Some(last)) if visible(first) && visible(last) => value,
        _ => value.trim(),
    }
}

/// The value of an element kept verbatim (XML: its text with entities and CDATA resolved;
/// JSON: a string's content or a number), or `None` when it holds elements, an object or an
/// array.
fn inner_value(raw: &str, json: bool) -> Option<String> {
    if json {
        let raw = raw.trim();
        if let Some(s) = raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
            return Some(crate::wire::json_escape::unescape(s));
        }
        return (!raw.starts_with(['{', '['])).then(|| {
            if raw == "null" {
                String::new()
            } else {
                raw.to_string()
            }
        });
    }
    crate::wire::text::element_text(raw)
}

/// Whether a block holds anything: a non-blank value, a list item, a map entry, an element
/// outside the contract. An empty block counts as absent, as the field rules have it.
struct Content(bool);

impl<'a> Visitor<'a> for Content {
    fn text(&mut self, _: &'static FieldSpec, value: Option<&Text<'a>>) {
        if !self.0 {
            self.0 = value.is_some_and(|t| !t.is_blank());
        }
    }
    fn node<T: Node<'a>>(&mut self, _: &'static FieldSpec, value: Option<&T>) {
        if let (false, Some(n)) = (self.0, value) {
            n.visit(self);
        }
    }
    fn list<T: Item<'a>>(&mut self, _: &'static FieldSpec, value: Option<&List<'a, T>>) {
        self.0 |= value.is_some_and(|l| !l.items.is_empty() || !l.unknown.is_empty());
    }
    fn map(&mut self, _: &'static FieldSpec, value: Option<&Map<'a>>) {
        self.0 |= value.is_some_and(|m| !m.entries.is_empty() || !m.unknown.is_empty());
    }
    fn unknown(&mut self, unknown: &[Unknown<'a>]) {
        self.0 |= !unknown.is_empty();
    }
}

/// Which of some fields of a block hold something.
struct Present<'n> {
    names: &'n [String],
    found: Vec<bool>,
}

impl Present<'_> {
    fn mark(&mut self, name: &str, holds: bool) {
        if holds {
            if let Some(i) = self.names.iter().position(|n| n == name) {
                self.found[i] = true;
            }
        }
    }
}

impl<'a> Visitor<'a> for Present<'_> {
    fn text(&mut self, field: &'static FieldSpec, value: Option<&Text<'a>>) {
        self.mark(field.name, value.is_some_and(|t| !t.is_blank()));
    }
    fn node<T: Node<'a>>(&mut self, field: &'static FieldSpec, value: Option<&T>) {
        let holds = value.is_some_and(|n| {
            let mut c = Content(false);
            n.visit(&mut c);
            c.0
        });
        self.mark(field.name, holds);
    }
    fn list<T: Item<'a>>(&mut self, field: &'static FieldSpec, value: Option<&List<'a, T>>) {
        self.mark(field.name, value.is_some_and(|l| !l.items.is_empty()));
    }
    fn map(&mut self, field: &'static FieldSpec, value: Option<&Map<'a>>) {
        self.mark(field.name, value.is_some_and(|m| !m.entries.is_empty()));
    }
    fn unknown(&mut self, _: &[Unknown<'a>]) {}
}

impl<'a> Visitor<'a> for Pass<'_> {
    fn root<T: Node<'a>>(&mut self, node: &T) {
        self.parent = node.span();
        self.depth = 1;
        let trie = self.here();
        self.walk(trie, node);
        if trie.required_extras {
            self.missing_extras(trie, node.unknown(), node.span());
        }
    }

    fn text(&mut self, field: &'static FieldSpec, value: Option<&Text<'a>>) {
        let index = std::mem::take(&mut self.item_index);
        let Some(node) = self.child(field).filter(|t| t.overlay.is_some()) else {
            return;
        };
        match value {
            Some(text) if text.has_children() => {}
            // An overlay that only makes the field required or optional needs no value.
            Some(text) if !node.checks_value => {
                if text.is_blank() {
                    self.absent(field, index, node);
                }
            }
            Some(text) => {
                let value = text.value();
                match trim(&value) {
                    "" => self.absent(field, index, node),
                    value => self.value(field, index, node, text, value),
                }
            }
            None => self.absent(field, index, node),
        }
    }

    fn node<T: Node<'a>>(&mut self, field: &'static FieldSpec, value: Option<&T>) {
        let index = std::mem::take(&mut self.item_index);
        // wdt list items have no name of their own: they stay at the list's place in the tree.
        let trie = if field.name.is_empty() {
            Some(self.here())
        } else {
            self.child(field)
        };
        let Some(trie) = trie else { return };
        // A block with nothing in it counts as absent. Only an overlay on the block itself
        // needs to know that before its fields are walked; otherwise the block is walked and,
        // should that find anything, what it found is taken back if the block is empty.
        let holds = |n: &T| {
            let mut c = Content(false);
            n.visit(&mut c);
            c.0
        };
        let present = match (&trie.overlay, value) {
            (Some(_), Some(n)) if index == 0 && !holds(n) => None,
            (_, present) => present,
        };
        let Some(node) = present else {
            self.absent(field, index, trie);
            return;
        };
        if let Some(overlay) = trie.overlay.as_ref().filter(|o| !o.any_of.is_empty()) {
            for group in &overlay.any_of {
                let mut present = Present {
                    names: group,
                    found: vec![false; group.len()],
                };
                node.visit(&mut present);
                if !present.found.contains(&true) {
                    let message = Msg::new(
                        rules::any_of::missing(
                            group.iter().map(String::as_str),
                            "this counterparty takes any one of them",
                            self.json,
                        ),
                        rules::any_of::missing_zh(
                            group.iter().map(String::as_str),
                            Some("该对接方接受其中任何一个"),
                            self.json,
                        ),
                    );
                    self.add(
                        crate::rules::ANY_OF,
                        overlay,
                        Some((field.name, index)),
                        node.span(),
                        message,
                    );
                }
            }
        }
        if trie.children.is_empty() {
            return;
        }
        let saved = self.parent;
        let mark = self.out.mark();
        self.parent = node.span();
        self.path.push(field.name, index);
        let outer = std::mem::replace(&mut self.here, trie);
        self.depth += 1;
        self.walk(trie, node);
        if trie.required_extras {
            self.missing_extras(trie, node.unknown(), node.span());
        }
        self.depth -= 1;
        self.here = outer;
        self.path.pop();
        self.parent = saved;
        if trie.overlay.is_none() && index == 0 && self.out.mark() != mark && !holds(node) {
            self.out.rollback(mark);
        }
    }

    fn list<T: Item<'a>>(&mut self, field: &'static FieldSpec, value: Option<&List<'a, T>>) {
        let index = std::mem::take(&mut self.item_index);
        let Some(trie) = self.child(field) else {
            return;
        };
        let Some(list) = value.filter(|l| !l.items.is_empty() || !l.unknown.is_empty()) else {
            self.absent(field, index, trie);
            return;
        };
        let FieldKind::List(item) = field.kind else {
            return;
        };
        if trie.children.is_empty() {
            return;
        }
        let bare = self.depth == 1 && self.bare == Some(field.name);
        let name = if bare { "" } else { field.name };
        let saved = self.parent;
        self.parent = list.span;
        self.path.push(name, index);
        let outer = std::mem::replace(&mut self.here, trie);
        self.depth += 1;
        for (i, it) in list.items.iter().enumerate() {
            self.item_index = i as u32 + 1;
            it.accept(item, self);
        }
        self.item_index = 0;
        self.depth -= 1;
        self.here = outer;
        self.path.pop();
        self.parent = saved;
    }

    fn map(&mut self, field: &'static FieldSpec, value: Option<&Map<'a>>) {
        let index = std::mem::take(&mut self.item_index);
        let Some(node) = self.child(field) else {
            return;
        };
        if value.is_none_or(|m| m.entries.is_empty()) {
            self.absent(field, index, node);
        }
    }

    fn unknown(&mut self, unknown: &[Unknown<'a>]) {
        let here = self.here();
        if here.children.is_empty() {
            return;
        }
        for u in unknown {
            if u.kind != UnknownKind::Element {
                continue;
            }
            if let Some(trie) = here.extra(&u.name) {
                self.extra(trie, u);
            }
        }
    }
}

#[cfg(test)]
mod depth_tests {
    use super::PASS_DEPTH;
    use crate::model::{FieldKind, StructSpec};

    /// How many segments a walk pushes below a block of `spec`, at most.
    fn pushes(spec: &StructSpec) -> usize {
        spec.fields
            .iter()
            .map(|f| match f.kind {
                FieldKind::Struct(s) => 1 + pushes(s),
                FieldKind::List(item) => match item.kind {
                    FieldKind::Struct(s) => 2 + pushes(s),
                    _ => 2,
                },
                _ => 0,
            })
            .max()
            .unwrap_or(0)
    }

    #[test]
    fn the_walkers_path_holds_the_deepest_contract() {
        let qimen = crate::model::qimen::METHODS
            .iter()
            .flat_map(|m| [m.request.spec(), m.response.spec()]);
        let wdt = crate::model::wdt::WDT_METHODS
            .iter()
            .flat_map(|m| [m.request.spec(), m.response.spec()]);
        let deepest = qimen.chain(wdt).map(pushes).max().expect("methods");
        // The root, the deepest block's segments, and one more for an element a profile adds.
        assert!(deepest + 2 <= PASS_DEPTH, "{deepest}");
        assert!(deepest >= 3, "the walk measured nothing: {deepest}");
    }
}

#[cfg(test)]
mod tree_tests {
    use super::Trie;
    use crate::profile::Profile;

    /// The node at `path` (segments) below `trie`.
    fn node<'t>(trie: &'t Trie, path: &[&str]) -> &'t Trie {
        path.iter().fold(trie, |t, seg| {
            &t.children
                .iter()
                .find(|c| c.name == *seg)
                .unwrap_or_else(|| panic!("no node {seg}"))
                .trie
        })
    }

    #[test]
    fn the_walk_skips_what_cannot_fire_and_knows_the_paths_without_indexes() {
        let mut profile = Profile::open("jxwms").unwrap();
        profile.set_var("owner_id", "OW01").unwrap();
        let (_, m) = profile
            .methods
            .iter()
            .find(|(name, _)| name.ends_with("deliveryorder.create"))
            .expect("jxwms overlays deliveryorder.create");
        let trie = &m.request.trie;
        let order = node(trie, &["deliveryOrder"]);
        let walked: Vec<&str> = order
            .walked
            .iter()
            .map(|s| order.block[s.field].name)
            .collect();
        // `operateTime` is required by the contract already, `placeOrderTime` has a doc only.
        assert!(walked.contains(&"sourcePlatformCode"), "{walked:?}");
        assert!(walked.contains(&"ownerCode"), "{walked:?}");
        assert!(!walked.contains(&"operateTime"), "{walked:?}");
        assert!(!walked.contains(&"placeOrderTime"), "{walked:?}");
        // `itemName` is optional in the contract: its `required = true` is walked.
        let line = node(trie, &["orderLines", "orderLine"]);
        assert!(line
            .walked
            .iter()
            .any(|s| line.block[s.field].name == "itemName"));
        let owner = node(trie, &["deliveryOrder", "ownerCode"]);
        assert_eq!(owner.path.as_deref(), Some("/deliveryOrder/ownerCode"));
        let texts = owner.texts.as_ref().expect("ownerCode's findings");
        assert!(texts.bound.is_some() && texts.recommended.is_none());
        let area = node(trie, &["deliveryOrder", "receiverInfo", "area"]);
        assert_eq!(
            area.path.as_deref(),
            Some("/deliveryOrder/receiverInfo/area")
        );
        assert!(area.texts.as_ref().is_some_and(|t| t.required.is_some()));
        // Below a list the path has indexes: it is rendered when a finding needs it.
        assert_eq!(
            node(trie, &["orderLines"]).path.as_deref(),
            Some("/orderLines")
        );
        assert_eq!(
            node(trie, &["orderLines", "orderLine", "ownerCode"]).path,
            None
        );
    }
}
