//! Reading a profile: TOML into [`super::format::File`], then every name checked against what
//! qmwire knows (rule ids, methods, field paths, variables) and merged over the profiles it
//! extends, later over earlier.

use super::format::{self, File, LevelName, PlaintextName};
use super::paths::{self, Target};
use super::{
    Expected, ExtraKind, FieldOverlay, Level, Override, Profile, ProfileError, SideOverlay,
    VarDecl, BASES, BUILTINS,
};
use crate::privacy::PrivacyCheck;
use crate::wire::span::LineIndex;
use crate::wire::suggest::closest;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// How deep `extends` may chain: far more than any real profile needs, and a bound on a cycle
/// that goes through differently spelt paths.
const MAX_CHAIN: usize = 16;

/// What a problem says: in English, and in Chinese.
pub(super) type Said = (String, String);

/// One file being read: its text (for line:column) and name.
struct Source<'t> {
    origin: String,
    text: &'t str,
    base: Option<PathBuf>,
}

impl Source<'_> {
    fn error_at(&self, offset: usize, (message, message_zh): Said) -> ProfileError {
        let at = LineIndex::new(self.text).line_col(offset.min(self.text.len()));
        ProfileError {
            origin: self.origin.clone(),
            line: at.line,
            column: at.column,
            message,
            message_zh,
        }
    }

    fn error<T>(&self, at: &Spanned<T>, said: Said) -> ProfileError {
        self.error_at(at.span().start, said)
    }
}

/// The built-in profile `name`.
pub(super) fn builtin(name: &str) -> Result<Profile, ProfileError> {
    let mut profile = Profile::default();
    read_builtin(name, &mut profile, &mut Vec::new())?;
    profile.bind();
    Ok(profile)
}

/// The profile in the file at `path`.
pub(super) fn file(path: &Path) -> Result<Profile, ProfileError> {
    let mut profile = Profile::default();
    read_file(path, &mut profile, &mut Vec::new())?;
    profile.bind();
    Ok(profile)
}

/// The profile written in `text`.
pub(super) fn text(text: &str, origin: &str, base: Option<&Path>) -> Result<Profile, ProfileError> {
    let mut profile = Profile::default();
    let source = Source {
        origin: origin.to_string(),
        text,
        base: base.map(Path::to_path_buf),
    };
    read(&source, &mut profile, &mut vec![origin.to_string()])?;
    profile.bind();
    Ok(profile)
}

fn read_builtin(
    name: &str,
    profile: &mut Profile,
    stack: &mut Vec<String>,
) -> Result<(), ProfileError> {
    let (_, text) = BUILTINS
        .iter()
        .find(|(n, _)| *n == name)
        .expect("callers look the name up first");
    let source = Source {
        origin: format!("built-in {name}"),
        text,
        base: None,
    };
    stack.push(source.origin.clone());
    read(&source, profile, stack)?;
    stack.pop();
    Ok(())
}

fn read_file(
    path: &Path,
    profile: &mut Profile,
    stack: &mut Vec<String>,
) -> Result<(), ProfileError> {
    let origin = path.display().to_string();
    let fail = |(message, message_zh): Said| ProfileError {
        origin: origin.clone(),
        line: 0,
        column: 0,
        message,
        message_zh,
    };
    // A profile is a few kilobytes; a bound keeps `--profile /dev/zero` from eating memory.
    const MAX_BYTES: u64 = 1 << 20;
    let cannot = |e: std::io::Error| {
        fail((
            format!("cannot read: {e}"),
            format!("无法读取：{}", io_zh(&e)),
        ))
    };
    let file = std::fs::File::open(path).map_err(cannot)?;
    let mut bytes = Vec::new();
    use std::io::Read;
    file.take(MAX_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(cannot)?;
    if bytes.len() as u64 > MAX_BYTES {
        return Err(fail((
            format!("larger than {MAX_BYTES} bytes; not a profile"),
            format!("超过 {MAX_BYTES} 字节，不是对接方配置"),
        )));
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| fail(("not UTF-8 text".into(), "不是 UTF-8 文本".into())))?;
    let key = std::fs::canonicalize(path)
        .map(|p| p.display().to_string())
        .unwrap_or_else(|_| origin.clone());
    if stack.contains(&key) {
        return Err(fail((
            format!(
                "`extends` goes round in a circle: {} -> {key}",
                stack.join(" -> ")
            ),
            format!("`extends` 绕成了一个圈：{} -> {key}", stack.join(" -> ")),
        )));
    }
    let source = Source {
        origin,
        text: &text,
        base: path.parent().map(Path::to_path_buf),
    };
    stack.push(key);
    read(&source, profile, stack)?;
    stack.pop();
    Ok(())
}

/// Parses one file, reads what it extends into `profile`, then lays the file over it.
fn read(
    source: &Source<'_>,
    profile: &mut Profile,
    stack: &mut Vec<String>,
) -> Result<(), ProfileError> {
    let file: File = toml::from_str(source.text).map_err(|e| {
        let at = e.span().map_or(0, |s| s.start);
        source.error_at(at, suggest(e.message()))
    })?;
    if *file.schema.get_ref() != format::SCHEMA {
        return Err(source.error(
            &file.schema,
            (
                format!(
                    "expected `schema = {}` (the profile format this qmwire reads), found {}",
                    format::SCHEMA,
                    file.schema.get_ref()
                ),
                format!(
                    "应为 `schema = {}`（这个 qmwire 读的配置格式），实际为 {}",
                    format::SCHEMA,
                    file.schema.get_ref()
                ),
            ),
        ));
    }
    if stack.len() > MAX_CHAIN {
        return Err(source.error_at(
            0,
            (
                format!("`extends` chains more than {MAX_CHAIN} profiles"),
                format!("`extends` 串起来的配置超过 {MAX_CHAIN} 个"),
            ),
        ));
    }
    for parent in &file.profile.extends {
        let name = parent.get_ref();
        if BASES.contains(&name.as_str()) {
            continue;
        }
        if BUILTINS.iter().any(|(n, _)| n == name) {
            let origin = format!("built-in {name}");
            if stack.contains(&origin) {
                return Err(source.error(
                    parent,
                    (
                        format!("`extends` goes round in a circle through `{name}`"),
                        format!("`extends` 经过 `{name}` 绕成了一个圈"),
                    ),
                ));
            }
            read_builtin(name, profile, stack)?;
        } else if super::looks_like_path(name) {
            let path = match &source.base {
                Some(base) => base.join(name),
                None => PathBuf::from(name),
            };
            read_file(&path, profile, stack).map_err(|mut e| {
                if e.line == 0 && !path.exists() {
                    let at = source.error(parent, (String::new(), String::new()));
                    e = ProfileError {
                        message: format!(
                            "`extends` names a file that does not exist: {}",
                            path.display()
                        ),
                        message_zh: format!("`extends` 指向的文件不存在：{}", path.display()),
                        ..at
                    };
                }
                e
            })?;
        } else {
            let known = BASES
                .iter()
                .copied()
                .chain(BUILTINS.iter().map(|(n, _)| *n));
            return Err(source.error(
                parent,
                {
                    let near = closest(name, known, 2);
                    let builtins = BUILTINS.iter().map(|(n, _)| *n).collect::<Vec<_>>();
                    (
                        format!(
                            "`extends` names no known profile `{name}` (qimen, wdt, {}; or a path ending in `.toml`){}",
                            builtins.join(", "),
                            did_you_mean(near)
                        ),
                        format!(
                            "`extends` 里的 `{name}` 不是已知的配置（qimen、wdt、{}；或以 `.toml` 结尾的路径）{}",
                            builtins.join("、"),
                            did_you_mean_zh(near)
                        ),
                    )
                },
            ));
        }
    }
    overlay(source, file, profile)
}

/// "; did you mean `x`?" or nothing.
fn did_you_mean(name: Option<&str>) -> String {
    name.map(|n| format!("; did you mean `{n}`?"))
        .unwrap_or_default()
}

/// [`did_you_mean`] in Chinese.
pub(super) fn did_you_mean_zh(name: Option<&str>) -> String {
    name.map(|n| format!("；是不是 `{n}`？"))
        .unwrap_or_default()
}

/// An I/O error in Chinese, for the kinds a profile file meets.
fn io_zh(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "文件不存在".into(),
        std::io::ErrorKind::PermissionDenied => "没有权限".into(),
        std::io::ErrorKind::IsADirectory => "这是一个目录，不是文件".into(),
        _ => format!("读写出错（{e}）"),
    }
}

/// Adds a suggestion to serde's "unknown field `x`, expected one of `a`, `b`" (and "unknown
/// variant") messages; the Chinese says the same of those and of a missing key, and puts
/// the TOML reader's own words after a Chinese lead-in for the rest.
fn suggest(message: &str) -> Said {
    let message = message.trim_end();
    let unknown = message
        .split_once("unknown field `")
        .map(|(_, rest)| ("键", rest))
        .or_else(|| {
            message
                .split_once("unknown variant `")
                .map(|(_, rest)| ("取值", rest))
        })
        .and_then(|(what, rest)| rest.split_once('`').map(|(name, _)| (what, name)));
    let expected = message
        .split_once("expected one of ")
        .map(|(_, list)| list)
        .or_else(|| message.split_once("expected ").map(|(_, one)| one));
    let options: Vec<&str> = expected
        .map(|list| {
            list.split(", ")
                .map(|o| o.trim().trim_matches('`'))
                .collect()
        })
        .unwrap_or_default();
    if let Some((what, name)) = unknown {
        let near = closest(name, options.iter().copied(), 3);
        let listed: Vec<String> = options.iter().map(|o| format!("`{o}`")).collect();
        let en = if message.contains("expected one of ") {
            format!("{message}{}", did_you_mean(near))
        } else {
            message.to_string()
        };
        let zh = match listed.len() {
            0 => format!("未知的{what} `{name}`"),
            1 => format!("未知的{what} `{name}`，应为 {}", listed[0]),
            _ => format!("未知的{what} `{name}`，应为 {} 之一", listed.join("、")),
        };
        return (en, format!("{zh}{}", did_you_mean_zh(near)));
    }
    if let Some(rest) = message.split_once("missing field `") {
        if let Some((name, _)) = rest.1.split_once('`') {
            return (message.to_string(), format!("缺少 `{name}`"));
        }
    }
    (message.to_string(), format!("TOML 内容有误：{message}"))
}

fn level(name: LevelName) -> Level {
    match name {
        LevelName::Off => Level::Off,
        LevelName::Info => Level::Info,
        LevelName::Warn => Level::Warn,
        LevelName::Error => Level::Error,
    }
}

/// A rule id from the catalogue.
fn rule_id(source: &Source<'_>, id: &Spanned<String>) -> Result<&'static str, ProfileError> {
    crate::rules::rule(id.get_ref())
        .map(|r| r.id)
        .ok_or_else(|| {
            let near = closest(id.get_ref(), crate::rules::RULES.iter().map(|r| r.id), 3);
            source.error(
                id,
                (
                    format!(
                        "unknown rule id `{}` (`qmwire explain` lists them){}",
                        id.get_ref(),
                        did_you_mean(near)
                    ),
                    format!(
                        "未知的规则编号 `{}`（`qmwire explain` 会列出全部规则）{}",
                        id.get_ref(),
                        did_you_mean_zh(near)
                    ),
                ),
            )
        })
}

/// A method's full name, from any of its names.
fn method_name(source: &Source<'_>, name: &Spanned<String>) -> Result<&'static str, ProfileError> {
    paths::method(name.get_ref()).ok_or_else(|| {
        let near = closest(name.get_ref(), paths::method_names(), 3);
        source.error(
            name,
            (
                format!(
                    "unknown method `{}` (`qmwire methods` lists them){}",
                    name.get_ref(),
                    did_you_mean(near)
                ),
                format!(
                    "未知的方法 `{}`（`qmwire methods` 会列出全部方法）{}",
                    name.get_ref(),
                    did_you_mean_zh(near)
                ),
            ),
        )
    })
}

/// `${name}` or a literal; a variable must be declared.
fn expected(
    source: &Source<'_>,
    vars: &Vars,
    value: &Spanned<String>,
) -> Result<Expected, ProfileError> {
    let v = value.get_ref();
    let Some(name) = v.strip_prefix("${").and_then(|r| r.strip_suffix('}')) else {
        return Ok(Expected::Literal(v.clone()));
    };
    if vars.contains_key(name) {
        return Ok(Expected::Var(name.to_string()));
    }
    let near = closest(name, vars.keys().map(String::as_str), 2);
    Err(source.error(
        value,
        (
            format!(
                "`${{{name}}}` names no variable declared in `[vars]`{}",
                did_you_mean(near)
            ),
            format!(
                "`${{{name}}}` 不是 `[vars]` 里声明的变量{}",
                did_you_mean_zh(near)
            ),
        ),
    ))
}

/// Lays one parsed file over `profile` (which already holds what it extends).
fn overlay(source: &Source<'_>, file: File, profile: &mut Profile) -> Result<(), ProfileError> {
    let header = file.profile;
    profile.id = header.id.into_inner();
    profile.origin = source.origin.clone();
    profile.chain.push(profile.id.clone());
    if header.title.is_some() {
        profile.title = header.title;
    }
    if header.source.is_some() {
        profile.source = header.source;
    }
    if let Some(methods) = header.methods {
        let mut offered = Vec::new();
        for m in &methods {
            offered.push(method_name(source, m)?);
        }
        profile.offered = Some(offered);
    }
    if let Some(l) = header.unlisted_method {
        profile.unlisted = Some(level(l));
    }
    for (name, var) in file.vars {
        let decl = profile.vars.entry(name.get_ref().clone()).or_default();
        if var.env.is_some() {
            decl.env = var.env;
        }
        if var.doc.is_some() {
            decl.doc = var.doc;
        }
        if let Some(value) = var.value {
            profile.values.insert(name.into_inner(), value);
        }
    }
    if let Some(t) = file.transport {
        transport(source, t, profile)?;
    }
    for (id, l) in &file.rules {
        let id = rule_id(source, id)?;
        profile.rules.insert(id, level(*l.get_ref()));
    }
    for o in file.overrides {
        let methods = match &o.methods {
            Some(ms) => Some(
                ms.iter()
                    .map(|m| method_name(source, m))
                    .collect::<Result<Vec<_>, _>>()?,
            ),
            None => None,
        };
        let mut globs = Vec::new();
        for g in &o.paths {
            paths::check_glob(g.get_ref(), methods.as_deref()).map_err(|m| source.error(g, m))?;
            globs.push(g.get_ref().clone());
        }
        let mut rules = Vec::new();
        for (id, l) in &o.rules {
            rules.push((rule_id(source, id)?, level(*l.get_ref())));
        }
        profile.overrides.push(Override {
            paths: globs,
            methods,
            rules,
        });
    }
    for (name, m) in file.methods {
        let method = method_name(source, &name)?;
        let Profile { vars, methods, .. } = &mut *profile;
        let entry = methods.entry(method).or_default();
        if m.direction.is_some() {
            entry.direction = m.direction;
        }
        if m.rate.is_some() {
            entry.rate = m.rate;
        }
        if m.doc.is_some() {
            entry.doc = m.doc;
        }
        let request = format::Side {
            allow_fields: m.allow_fields,
            fields: m.fields,
        };
        side(source, method, false, request, &mut entry.request, vars)?;
        if let Some(response) = m.response {
            side(source, method, true, response, &mut entry.response, vars)?;
        }
    }
    if let Some(p) = file.privacy {
        profile.privacy = Some(match p.plaintext {
            PlaintextName::Oaid => PrivacyCheck::Oaid,
            PlaintextName::Warn => PrivacyCheck::Warn,
            PlaintextName::Forbid => PrivacyCheck::Forbid,
        });
    }
    Ok(())
}

/// The variables a profile declares, by name.
type Vars = std::collections::BTreeMap<String, VarDecl>;

fn transport(
    source: &Source<'_>,
    t: format::Transport,
    profile: &mut Profile,
) -> Result<(), ProfileError> {
    let out = &mut profile.transport;
    if t.endpoints.is_some() {
        out.endpoints = t.endpoints;
    }
    if t.gateway.is_some() {
        out.gateway = t.gateway;
    }
    if t.method_name.is_some() {
        out.method_name = t.method_name;
    }
    if t.v.is_some() {
        out.v = t.v;
    }
    if t.format.is_some() {
        out.format = t.format;
    }
    if let Some(methods) = t.sign_method {
        let mut names = Vec::new();
        for m in &methods {
            if crate::sign::qimen::SignMethod::from_wire(m.get_ref()).is_none() {
                let known = crate::sign::qimen::SignMethod::ALL.map(|m| m.as_str());
                let near = closest(m.get_ref(), known, 3);
                return Err(source.error(
                    m,
                    (
                        format!(
                            "unknown sign method `{}` (md5, hmac, hmac-sha256){}",
                            m.get_ref(),
                            did_you_mean(near)
                        ),
                        format!(
                            "未知的签名方法 `{}`（应为 md5、hmac、hmac-sha256）{}",
                            m.get_ref(),
                            did_you_mean_zh(near)
                        ),
                    ),
                ));
            }
            names.push(m.get_ref().clone());
        }
        out.sign_methods = Some(names);
    }
    if t.sign.is_some() {
        out.sign = t.sign;
    }
    if let Some(c) = t.customer_id {
        if let Some(param) = c.param {
            if !param.get_ref().eq_ignore_ascii_case("customerId") {
                return Err(source.error(
                    &param,
                    (
                        format!("expected a spelling of `customerId` (`customerId`, `customerid`), found `{}`", param.get_ref()),
                        format!("应为 `customerId` 的一种写法（`customerId`、`customerid`），实际为 `{}`", param.get_ref()),
                    ),
                ));
            }
            out.customer_param = Some(param.into_inner());
        }
        if let Some(e) = c.equals {
            profile.transport.customer_equals = Some(expected(source, &profile.vars, &e)?);
        }
    }
    let out = &mut profile.transport;
    if t.content_type.is_some() {
        out.content_type = t.content_type;
    }
    if let Some(ts) = t.timestamp {
        if ts.get_ref() != "yyyy-MM-dd HH:mm:ss" {
            return Err(source.error(
                &ts,
                (
                    format!("expected `yyyy-MM-dd HH:mm:ss` (the one timestamp format Qimen uses), found `{}`", ts.get_ref()),
                    format!("应为 `yyyy-MM-dd HH:mm:ss`（奇门唯一的时间戳格式），实际为 `{}`", ts.get_ref()),
                ),
            ));
        }
    }
    if let Some(w) = t.timestamp_window {
        if *w.get_ref() <= 0 {
            return Err(source.error(
                &w,
                (
                    format!(
                        "expected a window of at least 1 second, found {}",
                        w.get_ref()
                    ),
                    format!("时间窗口应至少 1 秒，实际为 {}", w.get_ref()),
                ),
            ));
        }
        out.timestamp_window = Some(*w.get_ref());
    }
    Ok(())
}

/// Lays one body's overlays (`fields`, `allow-fields`) over `out`, checking every path
/// against `method`'s request or reply.
fn side(
    source: &Source<'_>,
    method: &'static str,
    response: bool,
    raw: format::Side,
    out: &mut SideOverlay,
    vars: &Vars,
) -> Result<(), ProfileError> {
    let root = paths::Root::of(method, response).expect("method names are checked first");
    for path in &raw.allow_fields {
        match root.resolve(path.get_ref()) {
            Ok(Target::Absent { .. }) => out.allow.push(path.get_ref().clone()),
            Ok(Target::Field(_)) => {
                return Err(source.error(path, (
                    format!("`{}` is a field of the contract already; `allow-fields` is for elements it does not define", path.get_ref()),
                    format!("`{}` 已经是契约里的字段；`allow-fields` 是给契约没有定义的元素用的", path.get_ref()),
                )))
            }
            Err(m) => return Err(source.error(path, m)),
        }
    }
    for (path, f) in raw.fields {
        let target = root
            .resolve(path.get_ref())
            .map_err(|m| source.error(&path, m))?;
        let entry = out.fields.entry(path.get_ref().clone()).or_default();
        field(source, &path, target, f, entry, vars)?;
    }
    Ok(())
}

/// Lays one field overlay over `out`, checking it fits the field it names.
fn field(
    source: &Source<'_>,
    path: &Spanned<String>,
    target: Target,
    f: format::Field,
    out: &mut FieldOverlay,
    vars: &Vars,
) -> Result<(), ProfileError> {
    let spec = match &target {
        Target::Field(spec) => Some(*spec),
        Target::Absent { .. } => {
            let Some(kind) = &f.kind else {
                return Err(source.error(
                    path,
                    (
                        format!("`{}` is not a field of the contract: declare its `type` to add it, or list it in `allow-fields`{}", path.get_ref(), target.suggestion()),
                        format!("`{}` 不是契约里的字段：要添加它请声明 `type`，或把它列进 `allow-fields`{}", path.get_ref(), target.suggestion_zh()),
                    ),
                ));
            };
            out.extra = Some(extra_kind(kind.get_ref()).ok_or_else(|| {
                source.error(kind, (
                    format!("unknown type `{}` (string, string(N), integer, decimal(N), datetime, date, time, flag)", kind.get_ref()),
                    format!("未知的类型 `{}`（应为 string、string(N)、integer、decimal(N)、datetime、date、time、flag）", kind.get_ref()),
                ))
            })?);
            None
        }
    };
    if let (Some(_), Some(kind)) = (spec, &f.kind) {
        return Err(source.error(kind, (
            format!("`{}` is a field of the contract, whose type is fixed; `type` is for fields the profile adds", path.get_ref()),
            format!("`{}` 是契约里的字段，类型已定；`type` 是给配置添加的字段用的", path.get_ref()),
        )));
    }
    let scalar = spec.is_none_or(|s| {
        !matches!(
            s.kind,
            crate::model::FieldKind::Struct(_)
                | crate::model::FieldKind::List(_)
                | crate::model::FieldKind::Map
        )
    });
    if let Some(r) = f.required {
        out.required = Some(r);
    }
    if let Some(s) = f.severity {
        out.severity = Some(level(*s.get_ref()));
    }
    if let Some(groups) = f.any_of {
        let crate::model::FieldKind::Struct(block) =
            spec.map_or(crate::model::FieldKind::Str, |s| s.kind)
        else {
            return Err(source.error(
                path,
                (
                    format!(
                        "`any-of` belongs on a block (an element with fields); `{}` is not one",
                        path.get_ref()
                    ),
                    format!(
                        "`any-of` 只能写在块（带字段的元素）上；`{}` 不是块",
                        path.get_ref()
                    ),
                ),
            ));
        };
        out.any_of.clear();
        for group in groups {
            let mut names = Vec::new();
            for name in &group {
                if block.field(name.get_ref()).is_none() {
                    return Err(source.error(name, {
                        let near = closest(name.get_ref(), block.fields.iter().map(|f| f.name), 2);
                        (
                            format!(
                                "`{}` is not a field of `{}`{}",
                                name.get_ref(),
                                path.get_ref(),
                                did_you_mean(near)
                            ),
                            format!(
                                "`{}` 不是 `{}` 的字段{}",
                                name.get_ref(),
                                path.get_ref(),
                                did_you_mean_zh(near)
                            ),
                        )
                    }));
                }
                names.push(name.get_ref().clone());
            }
            if names.len() < 2 {
                return Err(source.error(
                    path,
                    (
                        "an `any-of` group names at least two fields".into(),
                        "一个 `any-of` 组至少要列出两个字段".into(),
                    ),
                ));
            }
            out.any_of.push(names);
        }
    }
    if let Some(max) = f.max_chars {
        if let Some(base) = spec.and_then(|s| s.max_chars) {
            if *max.get_ref() > base {
                return Err(source.error(&max, (
                    format!("the contract allows at most {base} characters here; a profile can only tighten it, found {}", max.get_ref()),
                    format!("契约在这里最多允许 {base} 个字符，配置只能收紧，实际为 {}", max.get_ref()),
                )));
            }
        }
        if !scalar {
            return Err(source.error(
                &max,
                (
                    "`max-chars` belongs on a text field".into(),
                    "`max-chars` 只能写在文本字段上".into(),
                ),
            ));
        }
        out.max_chars = Some(*max.get_ref());
    }
    let value_keys = f.enum_add.is_some()
        || f.enum_only.is_some()
        || f.equals.is_some()
        || f.recommended.is_some();
    if value_keys && !scalar {
        return Err(source.error(path, (
            format!("`{}` is a block; `enum-add`, `enum-only`, `equals` and `recommended` belong on a value", path.get_ref()),
            format!("`{}` 是块；`enum-add`、`enum-only`、`equals` 和 `recommended` 只能写在值上", path.get_ref()),
        )));
    }
    if let Some(codes) = f.enum_add {
        if spec.is_some_and(|s| s.enumeration.is_none()) {
            return Err(source.error(
                path,
                (
                    format!("`{}` has no code table to add to", path.get_ref()),
                    format!("`{}` 没有可以追加的代码表", path.get_ref()),
                ),
            ));
        }
        out.enum_add = codes;
    }
    if let Some(codes) = f.enum_only {
        out.enum_only = Some(codes);
    }
    if let Some(e) = &f.equals {
        out.equals = Some(expected(source, vars, e)?);
    }
    if f.recommended.is_some() {
        out.recommended = f.recommended;
    }
    if let Some(class) = &f.privacy {
        if spec.is_some() {
            return Err(source.error(class, (
                format!("`{}` is a field of the contract, whose personal-data class is fixed by the spec; `privacy` is for fields the profile adds", path.get_ref()),
                format!("`{}` 是契约里的字段，个人信息类别由规格定死；`privacy` 是给配置添加的字段用的", path.get_ref()),
            )));
        }
        let names = crate::model::privacy::Privacy::ALL.map(|c| c.as_str());
        out.privacy = Some(
            crate::model::privacy::Privacy::from_name(class.get_ref()).ok_or_else(|| {
                let near = closest(class.get_ref(), names, 3);
                source.error(
                    class,
                    (
                        format!(
                            "unknown personal-data class `{}` ({}){}",
                            class.get_ref(),
                            names.join(", "),
                            did_you_mean(near)
                        ),
                        format!(
                            "未知的个人信息类别 `{}`（应为 {}）{}",
                            class.get_ref(),
                            names.join("、"),
                            did_you_mean_zh(near)
                        ),
                    ),
                )
            })?,
        );
    }
    if f.doc.is_some() {
        out.doc = f.doc;
    }
    Ok(())
}

/// A type as a profile writes it for a field it adds.
fn extra_kind(name: &str) -> Option<ExtraKind> {
    let bounded = |prefix: &str| {
        name.strip_prefix(prefix)?
            .strip_suffix(')')?
            .parse::<u32>()
            .ok()
    };
    Some(match name {
        "string" => ExtraKind::Str(None),
        "integer" => ExtraKind::Integer,
        "datetime" => ExtraKind::DateTime,
        "date" => ExtraKind::Date,
        "time" => ExtraKind::Time,
        "flag" => ExtraKind::Flag,
        _ => match (bounded("string("), bounded("decimal(")) {
            (Some(n), _) if n > 0 => ExtraKind::Str(Some(n)),
            (_, Some(s)) => ExtraKind::Decimal(s),
            _ => return None,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Profile, ProfileError> {
        Profile::parse(text, "test.toml", None)
    }

    const HEAD: &str = "schema = 1\n[profile]\nid = \"t\"\nextends = [\"qimen\"]\n";

    #[test]
    fn every_builtin_loads() {
        for (name, _) in BUILTINS {
            let p = Profile::open(name).unwrap_or_else(|e| panic!("{e}"));
            assert_eq!(p.id(), *name);
        }
    }

    #[test]
    fn unknown_keys_rules_methods_and_paths_are_refused_where_they_are() {
        let e = parse(&format!("{HEAD}[rules]\n\"sign.mismatc\" = \"off\"\n")).unwrap_err();
        assert_eq!((e.line, e.column), (6, 1), "{e}");
        assert!(e.message.contains("did you mean `sign.mismatch`?"), "{e}");

        let e = parse(&format!("{HEAD}[transport]\nmethod-nme = \"short\"\n")).unwrap_err();
        assert_eq!(e.line, 6, "{e}");
        assert!(e.message.contains("did you mean `method-name`?"), "{e}");

        let e = parse(&format!("{HEAD}[rules]\nrequired = \"warning\"\n")).unwrap_err();
        assert!(e.message.contains("did you mean `warn`?"), "{e}");

        let e = parse(&format!("{HEAD}[methods.\"deliveryorder.creat\".fields]\n")).unwrap_err();
        assert!(e.message.contains("did you mean"), "{e}");

        let e = parse(&format!(
            "{HEAD}[methods.\"deliveryorder.create\".fields]\n\"deliveryOrder/reciverInfo/mobile\" = {{ required = false }}\n"
        ))
        .unwrap_err();
        assert_eq!((e.line, e.column), (6, 1), "{e}");
        assert!(e.message.contains("did you mean `receiverInfo`?"), "{e}");

        let e = parse(&format!(
            "{HEAD}[methods.\"deliveryorder.create\".fields]\n\"deliveryOrder/ownerCode\" = {{ equals = \"${{owner}}\" }}\n"
        ))
        .unwrap_err();
        assert!(e.message.contains("no variable"), "{e}");

        let e = parse("schema = 2\n[profile]\nid = \"t\"\n").unwrap_err();
        assert_eq!(e.line, 1, "{e}");
    }

    #[test]
    fn a_profile_only_tightens_lengths_and_types_only_what_it_adds() {
        let e = parse(&format!(
            "{HEAD}[methods.\"deliveryorder.create\".fields]\n\"deliveryOrder/receiverInfo/province\" = {{ max-chars = 500 }}\n"
        ))
        .unwrap_err();
        assert!(e.message.contains("only tighten"), "{e}");
        let e = parse(&format!(
            "{HEAD}[methods.\"deliveryorder.create\".fields]\n\"deliveryOrder/shopNick\" = {{ type = \"string\" }}\n"
        ))
        .unwrap_err();
        assert!(e.message.contains("type is fixed"), "{e}");
        let e = parse(&format!(
            "{HEAD}[methods.\"deliveryorder.create\".fields]\n\"deliveryOrder/expectEndTime\" = {{ doc = \"x\" }}\n"
        ))
        .unwrap_err();
        assert!(e.message.contains("declare its `type`"), "{e}");
        let p = parse(&format!(
            "{HEAD}[methods.\"deliveryorder.create\".fields]\n\"deliveryOrder/expectEndTime\" = {{ type = \"datetime\" }}\n"
        ))
        .unwrap();
        assert!(p.side("taobao.qimen.deliveryorder.create", false).is_some());
    }

    #[test]
    fn later_layers_win() {
        let dir = std::env::temp_dir().join(format!("qmwire-profile-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(
            dir.join("base.toml"),
            format!("{HEAD}[rules]\n\"sign.missing\" = \"off\"\n\"unknown-field\" = \"info\"\n"),
        )
        .unwrap();
        let child = "schema = 1\n[profile]\nid = \"child\"\nextends = [\"base.toml\"]\n[rules]\n\"unknown-field\" = \"error\"\n";
        std::fs::write(dir.join("child.toml"), child).unwrap();
        let p = Profile::from_file(&dir.join("child.toml")).unwrap();
        assert_eq!(p.level("sign.missing", "?sign", None), Some(Level::Off));
        assert_eq!(p.level("unknown-field", "x", None), Some(Level::Error));
        assert_eq!(p.chain, ["t", "child"]);
        // A circle is refused, not followed forever.
        std::fs::write(
            dir.join("loop.toml"),
            "schema = 1\n[profile]\nid = \"loop\"\nextends = [\"loop.toml\"]\n",
        )
        .unwrap();
        let e = Profile::from_file(&dir.join("loop.toml")).unwrap_err();
        assert!(e.message.contains("circle"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn types_of_added_fields() {
        assert_eq!(extra_kind("string(50)"), Some(ExtraKind::Str(Some(50))));
        assert_eq!(extra_kind("decimal(2)"), Some(ExtraKind::Decimal(2)));
        assert_eq!(extra_kind("datetime"), Some(ExtraKind::DateTime));
        assert_eq!(extra_kind("string(0)"), None);
        assert_eq!(extra_kind("text"), None);
    }
}
