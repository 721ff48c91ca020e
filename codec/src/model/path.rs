//! The wire path of the element being validated, kept as a fixed-size stack so that walking a
//! model allocates nothing; the string is built only when an issue is reported.

use std::fmt::Write;

const MAX_DEPTH: usize = 64;

/// A stack of `(element name, 1-based index)` segments, at most `N` of them (deeper ones are
/// counted, not kept).
pub(crate) struct PathStack<const N: usize = MAX_DEPTH> {
    segments: [(&'static str, u32); N],
    len: usize,
    overflow: usize,
    json: bool,
}

impl<const N: usize> PathStack<N> {
    pub(crate) fn new() -> PathStack<N> {
        PathStack {
            segments: [("", 0); N],
            len: 0,
            overflow: 0,
            json: false,
        }
    }

    /// A stack that renders JSON Pointers (wdt): `/trade_list/1/paid`, 0-based, and segments
    /// with an empty name contribute only their index.
    pub(crate) fn json() -> PathStack<N> {
        PathStack {
            json: true,
            ..PathStack::new()
        }
    }

    /// Enters element `name`; `index` is its 1-based position among repeated items, or 0.
    pub(crate) fn push(&mut self, name: &'static str, index: u32) {
        if self.len < N {
            self.segments[self.len] = (name, index);
            self.len += 1;
        } else {
            self.overflow += 1;
        }
    }

    pub(crate) fn pop(&mut self) {
        if self.overflow > 0 {
            self.overflow -= 1;
        } else {
            self.len = self.len.saturating_sub(1);
        }
    }

    /// The path, with `tail` (a child name) appended when given.
    pub(crate) fn render(&self, tail: Option<(&str, u32)>) -> String {
        let mut out = String::with_capacity(64);
        let tail = tail.into_iter();
        for (name, index) in self.segments[..self.len].iter().copied().chain(tail) {
            if self.json {
                if !name.is_empty() {
                    out.push('/');
                    // JSON Pointer escapes (RFC 6901).
                    if name.contains(['~', '/']) {
                        out.push_str(&name.replace('~', "~0").replace('/', "~1"));
                    } else {
                        out.push_str(name);
                    }
                }
                if index > 0 {
                    let _ = write!(out, "/{}", index - 1);
                }
                continue;
            }
            out.push('/');
            out.push_str(name);
            if index > 0 {
                let _ = write!(out, "[{index}]");
            }
        }
        if out.is_empty() {
            out.push('/');
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_indexes_one_based() {
        let mut p: PathStack = PathStack::new();
        p.push("request", 0);
        p.push("orderLines", 0);
        p.push("orderLine", 2);
        assert_eq!(
            p.render(Some(("planQty", 0))),
            "/request/orderLines/orderLine[2]/planQty"
        );
        p.pop();
        assert_eq!(p.render(None), "/request/orderLines");
    }

    #[test]
    fn renders_json_pointers_zero_based() {
        let mut p: PathStack = PathStack::json();
        assert_eq!(p.render(None), "/");
        p.push("trade_list", 0);
        p.push("", 2);
        assert_eq!(p.render(Some(("paid", 0))), "/trade_list/1/paid");
        let mut bare: PathStack = PathStack::json();
        bare.push("", 0);
        bare.push("", 1);
        assert_eq!(bare.render(Some(("a/b", 0))), "/0/a~1b");
    }
}
