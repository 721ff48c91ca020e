//! Static descriptions of messages, generated from `codec/spec`: the data every generic pass
//! (validation, encoding, masking, routing) reads instead of hand-written per-field code.

use crate::model::privacy::Privacy;

/// What kind of value a field holds on the wire.
#[derive(Debug, Clone, Copy)]
pub enum FieldKind {
    /// Free text.
    Str,
    /// An integer (optional sign and digits).
    Integer,
    /// A plain decimal with at most `scale` digits after the point.
    Decimal {
        /// Largest number of fractional digits allowed.
        scale: u32,
        /// Largest number of digits in all (SQL `decimal(p,s)`), when the contract bounds it.
        precision: Option<u32>,
    },
    /// `yyyy-MM-dd HH:mm:ss`.
    DateTime,
    /// `yyyy-MM-dd HH:mm:ss`, or `0000-00-00 00:00:00` for "not yet" (wdt `pay_time` of an
    /// unpaid trade; whether the zero value fits is a cross-field rule).
    ZeroableDateTime,
    /// `yyyy-MM-dd`.
    Date,
    /// `HH:mm:ss`.
    Time,
    /// `Y` or `N`.
    Flag,
    /// Free key/value children (`extendProps`).
    Map,
    /// A nested element with its own fields.
    Struct(&'static StructSpec),
    /// A wrapper element holding repeated items; the spec describes one item.
    List(&'static FieldSpec),
}

/// One field of a struct, in wire order.
#[derive(Debug)]
pub struct FieldSpec {
    /// Element name on the wire.
    pub name: &'static str,
    /// Short description.
    pub doc: &'static str,
    /// Chinese label, from the vendor's field tables (`收件人手机`); `None` where they give
    /// none (see [`FieldSpec::label_in`]).
    pub zh: Option<&'static str>,
    /// Value kind.
    pub kind: FieldKind,
    /// Must be present and non-empty.
    pub required: bool,
    /// Longest allowed value, in characters.
    pub max_chars: Option<u32>,
    /// Code table the value must come from.
    pub enumeration: Option<&'static EnumSpec>,
    /// Smallest allowed integer.
    pub min: Option<i64>,
    /// Fewest list items.
    pub min_items: Option<u32>,
    /// Personal-data class; such values are never printed.
    pub privacy: Option<Privacy>,
}

impl FieldSpec {
    /// A blank field: no name or doc, free text, optional, and no bound, code table or privacy
    /// class. Generated tables name only what differs from it: `FieldSpec { name: "ownerCode",
    /// doc: "owner", max_chars: Some(50), ..FieldSpec::NONE }`.
    pub const NONE: FieldSpec = FieldSpec {
        name: "",
        doc: "",
        zh: None,
        kind: FieldKind::Str,
        required: false,
        max_chars: None,
        enumeration: None,
        min: None,
        min_items: None,
        privacy: None,
    };

    /// The field's label in `lang`: the Chinese label, or the English one where the sources
    /// give no Chinese name.
    pub fn label_in(&self, lang: crate::report::Lang) -> &'static str {
        match (lang, self.zh) {
            (crate::report::Lang::Zh, Some(zh)) => zh,
            _ => self.doc,
        }
    }
}

/// A struct: an element whose children are fields.
#[derive(Debug)]
pub struct StructSpec {
    /// Rust type name.
    pub name: &'static str,
    /// Short description.
    pub doc: &'static str,
    /// Fields in wire order.
    pub fields: &'static [FieldSpec],
    /// Groups of alternative keys, each needing at least one field that holds a value.
    pub any_of: &'static [AnyOf],
}

/// An any-of group: the contract accepts one key or another, and one of them must be there.
#[derive(Debug)]
pub struct AnyOf {
    /// The alternative fields, by wire name.
    pub fields: &'static [&'static str],
    /// Why one of them is needed.
    pub doc: &'static str,
    /// The rule id reported when none of them holds a value.
    pub rule: &'static str,
}

impl StructSpec {
    /// The field with wire name `name`.
    pub fn field(&self, name: &str) -> Option<&'static FieldSpec> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// A code table.
#[derive(Debug)]
pub struct EnumSpec {
    /// Table name.
    pub name: &'static str,
    /// Short description.
    pub doc: &'static str,
    /// Known to be incomplete: unknown codes are accepted.
    pub open: bool,
    /// The codes.
    pub values: &'static [EnumValue],
}

impl EnumSpec {
    /// Whether `code` is listed (exact, case-sensitive match).
    pub fn contains(&self, code: &str) -> bool {
        self.values.iter().any(|v| v.code == code)
    }
}

/// One code of a table.
#[derive(Debug)]
pub struct EnumValue {
    /// The code as sent on the wire.
    pub code: &'static str,
    /// What it means.
    pub doc: &'static str,
    /// What it means, in Chinese (after the vendor's code table).
    pub zh: &'static str,
}

impl EnumValue {
    /// What the code means in `lang`.
    pub fn doc_in(&self, lang: crate::report::Lang) -> &'static str {
        lang.pick(self.doc, self.zh)
    }
}

/// Which side of an integration sends a method's request (and so which side receives it and
/// answers with the response).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Flow {
    /// Qimen: the ERP (or OMS) sends the request and the WMS serves it: orders, item masters,
    /// cancellations, queries.
    ErpToWms,
    /// Qimen: the WMS sends the request and the ERP serves it: confirmations and reports.
    WmsToErp,
    /// Qimen: the WMS sends the request and the platform (Taobao) serves it: OAID decryption.
    WmsToPlatform,
    /// wdt: a shop system or OMS calls the wdt ERP.
    ToErp,
    /// 金蝶云星空: an integration saves bills into 金蝶 through its WebAPI.
    ToKingdee,
}

impl Flow {
    /// Every flow, in the order listings use.
    pub const ALL: [Flow; 5] = [
        Flow::ErpToWms,
        Flow::WmsToErp,
        Flow::WmsToPlatform,
        Flow::ToErp,
        Flow::ToKingdee,
    ];

    /// A heading for listings: who sends, who receives.
    pub fn heading(self) -> &'static str {
        match self {
            Flow::ErpToWms => "ERP -> WMS: requests the ERP sends and the WMS receives",
            Flow::WmsToErp => "WMS -> ERP: requests the WMS sends and the ERP receives",
            Flow::WmsToPlatform => "WMS -> platform: requests the WMS sends and Taobao receives",
            Flow::ToErp => "-> wdt ERP: requests a shop system or OMS sends to wdt",
            Flow::ToKingdee => "-> 金蝶云星空: WebAPI calls an integration sends to 金蝶",
        }
    }

    /// [`Flow::heading`] in `lang`.
    pub fn heading_in(self, lang: crate::report::Lang) -> &'static str {
        match (lang, self) {
            (crate::report::Lang::Zh, Flow::ErpToWms) => "ERP -> WMS：ERP 发出、WMS 接收的请求",
            (crate::report::Lang::Zh, Flow::WmsToErp) => "WMS -> ERP：WMS 发出、ERP 接收的请求",
            (crate::report::Lang::Zh, Flow::ToErp) => {
                "-> 旺店通 ERP：商城系统或 OMS 发给旺店通的请求"
            }
            (crate::report::Lang::Zh, Flow::WmsToPlatform) => {
                "WMS -> 平台：WMS 发出、淘宝平台接收的请求"
            }
            (crate::report::Lang::Zh, Flow::ToKingdee) => {
                "-> 金蝶云星空：集成方通过 WebAPI 发给金蝶的调用"
            }
            (crate::report::Lang::En, _) => self.heading(),
        }
    }
}

/// Whether a body is sent by the caller or returned to it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Sent to the other side (root `<request>`).
    Request,
    /// Returned by the other side (root `<response>` or `<error_response>`).
    Response,
}
