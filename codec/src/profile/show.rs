//! A profile for people: a short summary, and the merged profile written back as TOML
//! (`qmwire profile show --resolved`), which loads again as the same profile.

use super::format::{DirectionName, Endpoints, MethodName, SignPolicy};
use super::{Expected, ExtraKind, FieldOverlay, Profile, SideOverlay};
use crate::privacy::PrivacyCheck;
use std::fmt::Write;

/// A TOML string literal.
fn quote(s: &str) -> String {
    toml::Value::String(s.to_string()).to_string()
}

fn list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| quote(s)).collect();
    format!("[{}]", quoted.join(", "))
}

fn expected(e: &Expected) -> String {
    match e {
        Expected::Literal(v) => quote(v),
        Expected::Var(name) => quote(&format!("${{{name}}}")),
    }
}

/// Id, title, source and what the profile extends, labelled in `lang`.
pub(super) fn summary(p: &Profile, lang: crate::report::Lang) -> String {
    let say = |en, zh| lang.pick(en, zh);
    let title = p
        .title
        .as_deref()
        .unwrap_or(say("(no title)", "（没有标题）"));
    let mut out = format!("{}{}{title}", p.id, say(": ", "："));
    if let Some(source) = &p.source {
        let _ = write!(out, "\n  {}{source}", say("source: ", "来源："));
    }
    if p.chain.len() > 1 {
        let _ = write!(
            out,
            "\n  {}{}",
            say("extends: ", "继承："),
            p.chain[..p.chain.len() - 1].join(" -> ")
        );
    }
    if let Some(offered) = &p.offered {
        let _ = write!(
            out,
            "\n  {}{}",
            say("methods: ", "方法："),
            offered.join(say(", ", "、"))
        );
    }
    out
}

/// The merged profile as TOML.
pub(super) fn resolved(p: &Profile) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {} as merged from: {}", p.id, p.chain.join(" -> "));
    let _ = writeln!(out, "schema = {}", super::format::SCHEMA);
    let _ = writeln!(out, "\n[profile]\nid = {}", quote(&p.id));
    if let Some(t) = &p.title {
        let _ = writeln!(out, "title = {}", quote(t));
    }
    if let Some(s) = &p.source {
        let _ = writeln!(out, "source = {}", quote(s));
    }
    if let Some(offered) = &p.offered {
        let names: Vec<String> = offered.iter().map(|s| s.to_string()).collect();
        let _ = writeln!(out, "methods = {}", list(&names));
    }
    if let Some(l) = p.unlisted {
        let _ = writeln!(out, "unlisted-method = {}", quote(l.as_str()));
    }
    if !p.vars.is_empty() {
        out.push_str("\n[vars]\n");
        for (name, v) in &p.vars {
            let mut parts = Vec::new();
            if let Some(env) = &v.env {
                parts.push(format!("env = {}", quote(env)));
            }
            if let Some(doc) = &v.doc {
                parts.push(format!("doc = {}", quote(doc)));
            }
            let _ = writeln!(out, "{} = {{ {} }}", quote(name), parts.join(", "));
        }
    }
    transport(p, &mut out);
    if !p.rules.is_empty() {
        out.push_str("\n[rules]\n");
        for (rule, level) in &p.rules {
            let _ = writeln!(out, "{} = {}", quote(rule), quote(level.as_str()));
        }
    }
    for o in &p.overrides {
        out.push_str("\n[[overrides]]\n");
        let _ = writeln!(out, "paths = {}", list(&o.paths));
        if let Some(ms) = &o.methods {
            let names: Vec<String> = ms.iter().map(|s| s.to_string()).collect();
            let _ = writeln!(out, "methods = {}", list(&names));
        }
        let rules: Vec<String> = o
            .rules
            .iter()
            .map(|(r, l)| format!("{} = {}", quote(r), quote(l.as_str())))
            .collect();
        let _ = writeln!(out, "rules = {{ {} }}", rules.join(", "));
    }
    for (method, m) in &p.methods {
        let _ = writeln!(out, "\n[methods.{}]", quote(method));
        if let Some(d) = m.direction {
            let d = match d {
                DirectionName::Inbound => "inbound",
                DirectionName::Outbound => "outbound",
            };
            let _ = writeln!(out, "direction = {}", quote(d));
        }
        if let Some(doc) = &m.doc {
            let _ = writeln!(out, "doc = {}", quote(doc));
        }
        if let Some(r) = &m.rate {
            let doc = r
                .doc
                .as_deref()
                .map(|d| format!(", doc = {}", quote(d)))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "rate = {{ max = {}, per = {}{doc} }}",
                r.max,
                quote(&r.per)
            );
        }
        side(&m.request, &mut out, &format!("methods.{}", quote(method)));
        if !m.response.is_empty() {
            let _ = writeln!(out, "\n[methods.{}.response]", quote(method));
            side(
                &m.response,
                &mut out,
                &format!("methods.{}.response", quote(method)),
            );
        }
    }
    if let Some(level) = p.privacy {
        let name = match level {
            PrivacyCheck::Warn => "warn",
            PrivacyCheck::Forbid => "forbid",
            _ => "oaid",
        };
        let _ = writeln!(out, "\n[privacy]\nplaintext = {}", quote(name));
    }
    out
}

fn transport(p: &Profile, out: &mut String) {
    let t = &p.transport;
    let mut lines = Vec::new();
    match &t.endpoints {
        Some(Endpoints::List(l)) => lines.push(format!("endpoints = {}", list(l))),
        Some(Endpoints::ByEnvironment(m)) => {
            let parts: Vec<String> = m
                .iter()
                .map(|(k, v)| format!("{} = {}", quote(k), quote(v)))
                .collect();
            lines.push(format!("endpoints = {{ {} }}", parts.join(", ")));
        }
        None => {}
    }
    if let Some(g) = t.gateway {
        lines.push(format!("gateway = {g}"));
    }
    if let Some(m) = t.method_name {
        let m = match m {
            MethodName::Full => "full",
            MethodName::Short => "short",
            MethodName::Either => "either",
        };
        lines.push(format!("method-name = {}", quote(m)));
    }
    if let Some(v) = &t.v {
        lines.push(format!("v = {}", quote(v)));
    }
    if let Some(f) = &t.format {
        lines.push(format!("format = {}", quote(f)));
    }
    if let Some(m) = &t.sign_methods {
        lines.push(format!("sign-method = {}", list(m)));
    }
    if let Some(s) = t.sign {
        let s = match s {
            SignPolicy::Verified => "verified",
            SignPolicy::Present => "present",
            SignPolicy::NotChecked => "not-checked",
        };
        lines.push(format!("sign = {}", quote(s)));
    }
    if t.customer_param.is_some() || t.customer_equals.is_some() {
        let mut parts = Vec::new();
        if let Some(name) = &t.customer_param {
            parts.push(format!("param = {}", quote(name)));
        }
        if let Some(e) = &t.customer_equals {
            parts.push(format!("equals = {}", expected(e)));
        }
        lines.push(format!("customer-id = {{ {} }}", parts.join(", ")));
    }
    if let Some(c) = &t.content_type {
        lines.push(format!("content-type = {}", quote(c)));
    }
    if let Some(w) = t.timestamp_window {
        lines.push(format!("timestamp-window = {w}"));
    }
    if !lines.is_empty() {
        out.push_str("\n[transport]\n");
        for l in lines {
            out.push_str(&l);
            out.push('\n');
        }
    }
}

fn side(s: &SideOverlay, out: &mut String, table: &str) {
    if !s.allow.is_empty() {
        let _ = writeln!(out, "allow-fields = {}", list(&s.allow));
    }
    if s.fields.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n[{table}.fields]");
    for (path, f) in &s.fields {
        let _ = writeln!(out, "{} = {{ {} }}", quote(path), field(f).join(", "));
    }
}

fn field(f: &FieldOverlay) -> Vec<String> {
    let mut parts = Vec::new();
    if let Some(kind) = f.extra {
        let kind = match kind {
            ExtraKind::Str(None) => "string".to_string(),
            ExtraKind::Str(Some(n)) => format!("string({n})"),
            ExtraKind::Integer => "integer".into(),
            ExtraKind::Decimal(s) => format!("decimal({s})"),
            ExtraKind::DateTime => "datetime".into(),
            ExtraKind::Date => "date".into(),
            ExtraKind::Time => "time".into(),
            ExtraKind::Flag => "flag".into(),
        };
        parts.push(format!("type = {}", quote(&kind)));
    }
    if let Some(r) = f.required {
        parts.push(format!("required = {r}"));
    }
    if let Some(l) = f.severity {
        parts.push(format!("severity = {}", quote(l.as_str())));
    }
    if !f.any_of.is_empty() {
        let groups: Vec<String> = f.any_of.iter().map(|g| list(g)).collect();
        parts.push(format!("any-of = [{}]", groups.join(", ")));
    }
    if let Some(m) = f.max_chars {
        parts.push(format!("max-chars = {m}"));
    }
    if !f.enum_add.is_empty() {
        parts.push(format!("enum-add = {}", list(&f.enum_add)));
    }
    if let Some(only) = &f.enum_only {
        parts.push(format!("enum-only = {}", list(only)));
    }
    if let Some(e) = &f.equals {
        parts.push(format!("equals = {}", expected(e)));
    }
    if let Some(r) = &f.recommended {
        parts.push(format!("recommended = {}", quote(r)));
    }
    if let Some(class) = f.privacy {
        parts.push(format!("privacy = {}", quote(class.as_str())));
    }
    if let Some(d) = &f.doc {
        parts.push(format!("doc = {}", quote(d)));
    }
    parts
}
