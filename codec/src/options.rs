//! What a caller can tune: the limits of one document, and (see [`Options`]) everything the
//! front door passes to every input shape.

pub use crate::privacy::PrivacyCheck;
pub use crate::wire::limits::Limits;

/// Which shape an input has. [`crate::lint`] and [`crate::redact()`] work it out from the bytes
/// (see [`crate::input::sniff`]); a caller that knows better (a file's extension) says so with
/// [`Options::with_shape`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Shape {
    /// A Qimen XML body.
    Xml,
    /// wdt business JSON: a bare `trade_list` array or an object of business parameters.
    Json,
    /// A form body as posted to wdt (`key=value&…`), JSON-valued parameters inside.
    Form,
    /// One HTTP request as captured, or a `.http` file holding one or more (`###` separators).
    Http,
}

impl Shape {
    /// The shape a file extension stands for: `xml`, `json`, `form`, `http` (any case).
    pub fn from_extension(ext: &str) -> Option<Shape> {
        [
            ("xml", Shape::Xml),
            ("json", Shape::Json),
            ("form", Shape::Form),
            ("http", Shape::Http),
        ]
        .into_iter()
        .find(|(e, _)| ext.eq_ignore_ascii_case(e))
        .map(|(_, s)| s)
    }
}

/// An app secret. Its bytes are never printed, not even by `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(Vec<u8>);

impl Secret {
    /// Wraps the secret's bytes.
    pub fn new(bytes: impl Into<Vec<u8>>) -> Secret {
        Secret(bytes.into())
    }

    /// The secret's bytes.
    pub fn expose(&self) -> &[u8] {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(***)")
    }
}

/// Everything a caller can say about how to lint or redact an input, built once and applied to
/// every input shape alike: a body given on its own, inside an HTTP request, inside a `.http`
/// file of several requests, through the library or the command line.
///
/// ```
/// use qmwire::{Options, PrivacyCheck};
/// let options = Options::new()
///     .with_method("deliveryorder.create")
///     .with_privacy(PrivacyCheck::Forbid);
/// assert_eq!(options.method.as_deref(), Some("deliveryorder.create"));
/// ```
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct Options {
    /// The message, by any of its names (`taobao.qimen.deliveryorder.create`,
    /// `deliveryorder.create`, `trade_push`, `wdt.trade.push`). Without it the document's
    /// shape (or a request's `method` parameter) decides. For a request whose query names its
    /// method, the query wins; this one is used when the query has none.
    pub method: Option<String>,
    /// The input's shape when the caller knows it; otherwise it is sniffed from the bytes.
    pub shape: Option<Shape>,
    /// Limits for every document decoded, wherever it sits in the input.
    pub limits: Limits,
    /// Strictness of rule `privacy.plaintext`.
    pub privacy: PrivacyCheck,
    /// The app secret; when given, the `sign` of every request is verified.
    pub secret: Option<Secret>,
    /// Now, in Unix seconds; when given, every request's `timestamp` is checked against it.
    pub now: Option<i64>,
    /// The allowed timestamp skew in seconds, either way; `None` (the default) takes each
    /// protocol's own: 600 for Qimen and Qimen custom requests (TOP's 10 minutes), 300 for wdt
    /// openapi2 requests ([`Options::window_for`]).
    pub timestamp_window: Option<i64>,
    /// Lint an XML body as the body of a request to this URL: its query (system parameters,
    /// timestamp, sign) is checked too. Inputs that are requests carry their own query.
    pub url: Option<String>,
    /// The most issues [`crate::lint`] lists for one input (default 1,000): the first ones in
    /// document order are kept and the rest only counted ([`crate::Report::omitted`]), so a
    /// document of a million unknown elements does not turn into a report of a million
    /// warnings. `usize::MAX` lists them all; 0 lists none and still counts them.
    pub max_issues: usize,
    /// The counterparty profile every input is linted under (see [`crate::profile`]).
    pub profile: Option<std::sync::Arc<crate::profile::Profile>>,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            method: None,
            shape: None,
            limits: Limits::default(),
            privacy: PrivacyCheck::default(),
            secret: None,
            now: None,
            timestamp_window: None,
            url: None,
            max_issues: DEFAULT_MAX_ISSUES,
            profile: None,
        }
    }
}

/// The default of [`Options::max_issues`].
pub const DEFAULT_MAX_ISSUES: usize = 1000;

impl Options {
    /// The defaults: method and shape from the input, default limits, privacy check
    /// [`PrivacyCheck::Oaid`], no secret, no clock, a 600-second window, no URL, at most 1,000
    /// issues listed.
    pub fn new() -> Options {
        Options::default()
    }

    /// Sets [`Options::method`].
    pub fn with_method(mut self, method: impl Into<String>) -> Options {
        self.method = Some(method.into());
        self
    }

    /// Sets [`Options::shape`].
    pub fn with_shape(mut self, shape: Shape) -> Options {
        self.shape = Some(shape);
        self
    }

    /// Sets [`Options::limits`].
    pub fn with_limits(mut self, limits: Limits) -> Options {
        self.limits = limits;
        self
    }

    /// Sets [`Options::privacy`].
    pub fn with_privacy(mut self, privacy: PrivacyCheck) -> Options {
        self.privacy = privacy;
        self
    }

    /// Sets [`Options::secret`].
    pub fn with_secret(mut self, secret: impl Into<Vec<u8>>) -> Options {
        self.secret = Some(Secret::new(secret));
        self
    }

    /// Sets [`Options::now`] (Unix seconds).
    pub fn with_now(mut self, now: i64) -> Options {
        self.now = Some(now);
        self
    }

    /// Sets [`Options::timestamp_window`] (seconds), for every protocol.
    pub fn with_timestamp_window(mut self, seconds: i64) -> Options {
        self.timestamp_window = Some(seconds);
        self
    }

    /// The timestamp window a request is checked with: the one set, else `default`, the
    /// protocol's own.
    pub fn window_for(&self, default: i64) -> i64 {
        self.timestamp_window.unwrap_or(default)
    }

    /// Sets [`Options::url`].
    pub fn with_url(mut self, url: impl Into<String>) -> Options {
        self.url = Some(url.into());
        self
    }

    /// Sets [`Options::max_issues`].
    pub fn with_max_issues(mut self, max: usize) -> Options {
        self.max_issues = max;
        self
    }

    /// Sets [`Options::profile`], and with it the privacy level and timestamp window the
    /// profile states (a later [`Options::with_privacy`] or [`Options::with_timestamp_window`]
    /// overrides them).
    pub fn with_profile(mut self, profile: crate::profile::Profile) -> Options {
        if let Some(privacy) = profile.privacy() {
            self.privacy = privacy;
        }
        if let Some(window) = profile.timestamp_window() {
            self.timestamp_window = Some(window);
        }
        self.profile = Some(std::sync::Arc::new(profile));
        self
    }

    /// How many issues a body linter keeps while it collects (the rest it only counts): the
    /// cap, or all of them under a profile, which may drop or re-level what the rules find (the
    /// front door re-levels, then cuts), so that what is listed and counted stays exact.
    pub(crate) fn collection_cap(&self) -> usize {
        match self.profile {
            Some(_) => usize::MAX,
            None => self.max_issues,
        }
    }

    /// The secret's bytes, if any.
    pub(crate) fn secret_bytes(&self) -> Option<&[u8]> {
        self.secret.as_ref().map(Secret::expose)
    }
}
