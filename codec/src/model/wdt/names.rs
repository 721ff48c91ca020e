//! The 54 wdt (旺店通) 企业版 APIs that wdt also offers as Qimen (奇门) custom APIs, and the
//! name of each on both sides.
//!
//! The standard openapi2 name is a PHP script (`trade_push.php`); the Qimen custom name is a
//! dotted method (`wdt.trade.push`). The usual rule: drop `.php`, turn every `_` into `.`, and
//! put `wdt.` in front. 52 of the 54 entries follow it; the two that do not are
//! [`EXCEPTIONS`]: `shop.php` ⇔ `wdt.shop.query` and `logistics.php` ⇔ `wdt.logistics.query`.
//! The rule applied to those scripts would give `wdt.shop` and `wdt.logistics`, and applied
//! backwards to their methods it would give `shop_query.php` and `logistics_query.php`, neither
//! of which exists, so lookups always go through [`METHODS`], never through the rule alone.
//!
//! [`lookup`] accepts either side in any of its usual spellings: `trade_push.php`,
//! `trade_push`, `wdt.trade.push`, and the namespaced `hu3cgwt0tc.wdt.trade.push` that the
//! generated TOP SDK classes send. A name that is not in the table is an error that lists the
//! closest names.
//!
//! ```
//! use qmwire::model::wdt::names::lookup;
//! let m = lookup("hu3cgwt0tc.wdt.trade.push").unwrap();
//! assert_eq!(m.php, "trade_push.php");
//! assert_eq!(lookup("shop.php").unwrap().qimen, "wdt.shop.query");
//! let e = lookup("trade_pushh.php").unwrap_err();
//! assert_eq!(e.suggestions[0].php, "trade_push.php");
//! ```

use crate::wire::suggest::distance;
use std::fmt;

/// The Qimen custom namespace (host prefix) of wdt 企业版: `hu3cgwt0tc.api.taobao.com`.
pub const QIMEN_NAMESPACE: &str = "hu3cgwt0tc";

/// The group an API belongs to in wdt's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Category {
    /// Shops, warehouses, logistics, suppliers (基础类).
    Basic,
    /// Goods and platform goods (货品类).
    Goods,
    /// Orders, stock sync, logistics sync (订单类).
    Order,
    /// Refunds and returns (售后类).
    AfterSale,
    /// Purchasing (采购类).
    Purchase,
    /// Stock, stock-taking, transfers (库存类).
    Stock,
}

/// One API known on both sides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Method {
    /// The standard openapi2 script, e.g. `trade_push.php`.
    pub php: &'static str,
    /// The Qimen custom method, without namespace, e.g. `wdt.trade.push`.
    pub qimen: &'static str,
    /// What the API does, in a few words.
    pub summary: &'static str,
    /// The same in Chinese.
    pub summary_zh: &'static str,
    /// wdt's group for it.
    pub category: Category,
}

impl Method {
    /// The script name without `.php`, as in `trade_push`.
    pub fn php_stem(&self) -> &'static str {
        self.php.strip_suffix(".php").unwrap_or(self.php)
    }

    /// The namespaced Qimen method, `hu3cgwt0tc.wdt.trade.push`.
    pub fn qimen_namespaced(&self) -> String {
        format!("{QIMEN_NAMESPACE}.{}", self.qimen)
    }

    /// Whether the two names follow [`rule_qimen_name`]; false for the [`EXCEPTIONS`].
    pub fn follows_rule(&self) -> bool {
        rule_qimen_name(self.php).as_deref() == Some(self.qimen)
    }
}

const fn m(
    php: &'static str,
    qimen: &'static str,
    summary: &'static str,
    summary_zh: &'static str,
    c: Category,
) -> Method {
    Method {
        php,
        qimen,
        summary,
        summary_zh,
        category: c,
    }
}

use Category::{AfterSale, Basic, Goods, Order, Purchase, Stock};

/// Every API of the list, in wdt's order.
pub const METHODS: [Method; 54] = [
    m(
        "shop.php",
        "wdt.shop.query",
        "shop details",
        "店铺信息",
        Basic,
    ),
    m(
        "warehouse_query.php",
        "wdt.warehouse.query",
        "warehouse details",
        "仓库信息",
        Basic,
    ),
    m(
        "logistics.php",
        "wdt.logistics.query",
        "logistics (carrier) records",
        "物流公司（承运商）资料",
        Basic,
    ),
    m(
        "purchase_provider_query.php",
        "wdt.purchase.provider.query",
        "query suppliers",
        "查询供应商",
        Basic,
    ),
    m(
        "purchase_provider_create.php",
        "wdt.purchase.provider.create",
        "create a supplier",
        "创建供应商",
        Basic,
    ),
    m(
        "goods_push.php",
        "wdt.goods.push",
        "create or update goods records",
        "创建或更新货品档案",
        Goods,
    ),
    m(
        "goods_query.php",
        "wdt.goods.query",
        "query goods records",
        "查询货品档案",
        Goods,
    ),
    m(
        "api_goodsspec_push.php",
        "wdt.api.goodsspec.push",
        "push platform goods",
        "推送平台货品",
        Goods,
    ),
    m(
        "vip_api_goods_query.php",
        "wdt.vip.api.goods.query",
        "query platform goods",
        "查询平台货品",
        Goods,
    ),
    m(
        "suites_query.php",
        "wdt.suites.query",
        "query bundle (suite) goods",
        "查询组合装货品",
        Goods,
    ),
    m(
        "goods_brand_query.php",
        "wdt.goods.brand.query",
        "query goods brands",
        "查询货品品牌",
        Goods,
    ),
    m(
        "goods_class_query.php",
        "wdt.goods.class.query",
        "query goods categories",
        "查询货品分类",
        Goods,
    ),
    m(
        "trade_push.php",
        "wdt.trade.push",
        "push raw (platform) orders",
        "推送原始订单（平台订单）",
        Order,
    ),
    m(
        "trade_query.php",
        "wdt.trade.query",
        "query managed orders",
        "查询系统订单",
        Order,
    ),
    m(
        "stockout_order_query_trade.php",
        "wdt.stockout.order.query.trade",
        "query sales stock-out orders",
        "查询销售出库单",
        Order,
    ),
    m(
        "logistics_sync_query.php",
        "wdt.logistics.sync.query",
        "query pending logistics syncs",
        "查询待同步的物流信息",
        Order,
    ),
    m(
        "logistics_sync_ack.php",
        "wdt.logistics.sync.ack",
        "acknowledge logistics syncs",
        "回写物流同步结果",
        Order,
    ),
    m(
        "api_goods_stock_change_query.php",
        "wdt.api.goods.stock.change.query",
        "query pending stock syncs",
        "查询待同步的库存",
        Order,
    ),
    m(
        "api_goods_stock_change_ack.php",
        "wdt.api.goods.stock.change.ack",
        "acknowledge platform stock syncs",
        "回写平台库存同步结果",
        Order,
    ),
    m(
        "vip_trade_modify.php",
        "wdt.vip.trade.modify",
        "change order flags",
        "修改订单标记",
        Order,
    ),
    m(
        "vip_stat_sales_by_spec_shop_warehouse_query.php",
        "wdt.vip.stat.sales.by.spec.shop.warehouse.query",
        "sales totals by spec, shop and warehouse",
        "按规格、店铺、仓库统计销量",
        Order,
    ),
    m(
        "fa_api_account_detail_query.php",
        "wdt.fa.api.account.detail.query",
        "query platform account statements",
        "查询平台账款明细",
        Order,
    ),
    m(
        "vip_api_trade_query.php",
        "wdt.vip.api.trade.query",
        "query raw (platform) orders",
        "查询原始订单（平台订单）",
        Order,
    ),
    m(
        "sales_refund_push.php",
        "wdt.sales.refund.push",
        "push raw refunds",
        "推送原始退款单",
        AfterSale,
    ),
    m(
        "stockin_refund_push.php",
        "wdt.stockin.refund.push",
        "create return stock-ins",
        "创建退货入库单",
        AfterSale,
    ),
    m(
        "refund_query.php",
        "wdt.refund.query",
        "query managed refunds and exchanges",
        "查询系统退换单",
        AfterSale,
    ),
    m(
        "stockin_order_query_refund.php",
        "wdt.stockin.order.query.refund",
        "query return stock-in orders",
        "查询退货入库单",
        AfterSale,
    ),
    m(
        "vip_stat_refund_by_spec_shop_warehouse_query.php",
        "wdt.vip.stat.refund.by.spec.shop.warehouse.query",
        "sales return totals by spec, shop and warehouse",
        "按规格、店铺、仓库统计销售退货",
        AfterSale,
    ),
    m(
        "vip_api_refund_query.php",
        "wdt.vip.api.refund.query",
        "query raw refunds",
        "查询原始退款单",
        AfterSale,
    ),
    m(
        "purchase_order_push.php",
        "wdt.purchase.order.push",
        "create purchase orders",
        "创建采购单",
        Purchase,
    ),
    m(
        "stockin_purchase_push.php",
        "wdt.stockin.purchase.push",
        "create purchase stock-ins",
        "创建采购入库单",
        Purchase,
    ),
    m(
        "purchase_order_query.php",
        "wdt.purchase.order.query",
        "query purchase orders",
        "查询采购单",
        Purchase,
    ),
    m(
        "purchase_apply_query.php",
        "wdt.purchase.apply.query",
        "query purchase requests",
        "查询采购申请单",
        Purchase,
    ),
    m(
        "stockin_order_query_purchase.php",
        "wdt.stockin.order.query.purchase",
        "query purchase stock-in orders",
        "查询采购入库单",
        Purchase,
    ),
    m(
        "purchase_return_push.php",
        "wdt.purchase.return.push",
        "create purchase returns",
        "创建采购退货单",
        Purchase,
    ),
    m(
        "purchase_return_order_push.php",
        "wdt.purchase.return.order.push",
        "create purchase-return stock-outs",
        "创建采购退货出库单",
        Purchase,
    ),
    m(
        "purchase_return_query.php",
        "wdt.purchase.return.query",
        "query purchase returns",
        "查询采购退货单",
        Purchase,
    ),
    m(
        "stockout_order_query_return.php",
        "wdt.stockout.order.query.return",
        "query purchase-return stock-outs",
        "查询采购退货出库单",
        Purchase,
    ),
    m(
        "stock_query.php",
        "wdt.stock.query",
        "query stock changes (incremental)",
        "查询库存变化（增量）",
        Stock,
    ),
    m(
        "stock_sync_by_pd.php",
        "wdt.stock.sync.by.pd",
        "create stock-taking orders",
        "创建盘点单",
        Stock,
    ),
    m(
        "stock_pd_order_query.php",
        "wdt.stock.pd.order.query",
        "query stock-taking orders",
        "查询盘点单",
        Stock,
    ),
    m(
        "stockin_order_push.php",
        "wdt.stockin.order.push",
        "create other stock-ins",
        "创建其他入库单",
        Stock,
    ),
    m(
        "stockin_order_query.php",
        "wdt.stockin.order.query",
        "query stock-in orders",
        "查询入库单",
        Stock,
    ),
    m(
        "stockout_order_push.php",
        "wdt.stockout.order.push",
        "create other stock-outs",
        "创建其他出库单",
        Stock,
    ),
    m(
        "stockout_order_query.php",
        "wdt.stockout.order.query",
        "query stock-out orders",
        "查询出库单",
        Stock,
    ),
    m(
        "stock_transfer_push.php",
        "wdt.stock.transfer.push",
        "create transfer orders",
        "创建调拨单",
        Stock,
    ),
    m(
        "stockout_transfer_push.php",
        "wdt.stockout.transfer.push",
        "create transfer stock-outs",
        "创建调拨出库单",
        Stock,
    ),
    m(
        "stockin_transfer_push.php",
        "wdt.stockin.transfer.push",
        "create transfer stock-ins",
        "创建调拨入库单",
        Stock,
    ),
    m(
        "stat_stock_pd_detail_query.php",
        "wdt.stat.stock.pd.detail.query",
        "stock-taking gain and loss totals",
        "盘点盈亏统计",
        Stock,
    ),
    m(
        "stock_transfer_query.php",
        "wdt.stock.transfer.query",
        "query transfer orders",
        "查询调拨单",
        Stock,
    ),
    m(
        "vip_stock_query_all.php",
        "wdt.vip.stock.query.all",
        "query all stock (full)",
        "查询全量库存",
        Stock,
    ),
    m(
        "vip_stock_outside_wms_query.php",
        "wdt.vip.stock.outside.wms.query",
        "query outsourced-warehouse stock-ins and stock-outs",
        "查询委外仓的出入库单",
        Stock,
    ),
    m(
        "vip_jit_return_stockin_order_query.php",
        "wdt.vip.jit.return.stockin.order.query",
        "query JIT return stock-ins",
        "查询 JIT 退货入库单",
        Stock,
    ),
    m(
        "vip_jit_stockout_order_query.php",
        "wdt.vip.jit.stockout.order.query",
        "query JIT stock-outs",
        "查询 JIT 出库单",
        Stock,
    ),
];

/// The entries whose names do not follow [`rule_qimen_name`], as (script, method).
pub const EXCEPTIONS: [(&str, &str); 2] = [
    ("shop.php", "wdt.shop.query"),
    ("logistics.php", "wdt.logistics.query"),
];

/// The naming rule alone: `xxx_yyy.php` (or `xxx_yyy`) → `wdt.xxx.yyy`. `None` when the name
/// is not a lowercase script name (letters, digits and single `_` between words).
pub fn rule_qimen_name(php: &str) -> Option<String> {
    let stem = php.strip_suffix(".php").unwrap_or(php);
    let valid = !stem.is_empty()
        && stem.split('_').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        });
    valid.then(|| format!("wdt.{}", stem.replace('_', ".")))
}

/// The naming rule backwards: `wdt.xxx.yyy` → `xxx_yyy.php`. `None` when the name does not
/// start with `wdt.` followed by lowercase words.
pub fn rule_php_name(qimen: &str) -> Option<String> {
    let rest = qimen.strip_prefix("wdt.")?;
    let valid = !rest.is_empty()
        && rest.split('.').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        });
    valid.then(|| format!("{}.php", rest.replace('.', "_")))
}

/// Which side a name was written for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    /// The standard openapi2 script name (`trade_push.php`, `trade_push`).
    Standard,
    /// The Qimen custom method (`wdt.trade.push`, `hu3cgwt0tc.wdt.trade.push`).
    QimenCustom,
}

/// Which side `name` is written for, judging by its shape: dotted names starting with `wdt.`
/// (after an optional namespace) are Qimen custom methods, anything else is a script name.
pub fn side_of(name: &str) -> Side {
    let n = name.trim();
    if n.starts_with("wdt.") || n.contains(".wdt.") {
        Side::QimenCustom
    } else {
        Side::Standard
    }
}

/// The Qimen method without its namespace: `hu3cgwt0tc.wdt.trade.push` → `wdt.trade.push`.
/// Any `<namespace>.` in front of `wdt.` is dropped.
pub fn strip_namespace(method: &str) -> &str {
    if method.starts_with("wdt.") {
        return method;
    }
    match method.find(".wdt.") {
        Some(i) => &method[i + 1..],
        None => method,
    }
}

/// Finds the entry for a name from either side (see the module docs for the spellings);
/// surrounding whitespace is ignored, and so is ASCII case.
pub fn lookup(name: &str) -> Result<&'static Method, UnknownMethod> {
    find(name).ok_or_else(|| UnknownMethod::new(name))
}

/// [`lookup`] without the suggestions for a name that is not found (which cost a distance
/// computation against every entry).
pub fn find(name: &str) -> Option<&'static Method> {
    let normal = name.trim().to_ascii_lowercase();
    if foreign_namespace(&normal).is_some() {
        return None;
    }
    match side_of(&normal) {
        Side::QimenCustom => {
            let plain = strip_namespace(&normal);
            METHODS.iter().find(|m| m.qimen == plain)
        }
        Side::Standard => METHODS
            .iter()
            .find(|m| m.php == normal || m.php_stem() == normal),
    }
}

/// The namespace in front of `wdt.` when it is not wdt 企业版's (`hu3cgwt0tc`): another API
/// family (`3ldsmu02o9` is 旗舰版's) whose methods share names but not contracts.
fn foreign_namespace(normal: &str) -> Option<&str> {
    if normal.starts_with("wdt.") {
        return None;
    }
    let at = normal.find(".wdt.")?;
    let namespace = &normal[..at];
    (namespace != QIMEN_NAMESPACE).then_some(namespace)
}

/// A name that is not one of the 54, with the closest ones.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownMethod {
    /// The name as given.
    pub name: String,
    /// Up to three entries whose names are closest to it, closest first.
    pub suggestions: Vec<&'static Method>,
    /// What the naming rule would give for it on the other side, when it has the right shape.
    pub by_rule: Option<String>,
    /// The namespace in front of `wdt.` when it is not 企业版's `hu3cgwt0tc` (the reason the
    /// name is refused even if the rest matches).
    pub namespace: Option<String>,
}

impl UnknownMethod {
    fn new(name: &str) -> UnknownMethod {
        let normal = name.trim().to_ascii_lowercase();
        let side = side_of(&normal);
        // Compare on one spelling: the Qimen method without namespace.
        let key = match side {
            Side::QimenCustom => strip_namespace(&normal).to_string(),
            Side::Standard => {
                let stem = normal.strip_suffix(".php").unwrap_or(&normal);
                format!("wdt.{}", stem.replace('_', "."))
            }
        };
        let mut scored: Vec<(usize, &'static Method)> = METHODS
            .iter()
            .map(|m| (distance(&key, m.qimen), m))
            .collect();
        scored.sort_by_key(|(d, _)| *d);
        // Close: a few edits, relative to the length; or the name is a part of the entry's.
        let limit = (key.len() / 4).max(2);
        let mut suggestions: Vec<&'static Method> = scored
            .iter()
            .filter(|(d, _)| *d <= limit)
            .map(|(_, m)| *m)
            .take(3)
            .collect();
        if suggestions.is_empty() {
            let core = key.trim_start_matches("wdt.");
            if core.len() >= 3 {
                suggestions = METHODS
                    .iter()
                    .filter(|m| m.qimen.contains(core))
                    .take(3)
                    .collect();
            }
        }
        let by_rule = match side {
            Side::Standard => rule_qimen_name(&normal),
            Side::QimenCustom => rule_php_name(strip_namespace(&normal)),
        };
        UnknownMethod {
            name: name.to_string(),
            suggestions,
            by_rule,
            namespace: foreign_namespace(&normal).map(str::to_string),
        }
    }
}

impl fmt::Display for UnknownMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "expected one of the 54 wdt APIs offered through Qimen custom, found `{}`",
            self.name
        )?;
        if let Some(ns) = &self.namespace {
            return write!(
                f,
                "; `{ns}.` is not the namespace of wdt 企业版's Qimen custom APIs (`{QIMEN_NAMESPACE}.`, or none): \
                 another namespace is another API family (`3ldsmu02o9.` is 旗舰版's), whose \
                 contracts qmwire does not model"
            );
        }
        if !self.suggestions.is_empty() {
            let names: Vec<String> = self
                .suggestions
                .iter()
                .map(|m| format!("`{}` (`{}`)", m.php, m.qimen))
                .collect();
            write!(f, "; did you mean {}?", names.join(", "))?;
        } else if let Some(other) = &self.by_rule {
            write!(
                f,
                "; by the naming rule it would be `{other}`, but wdt does not list it as a \
                 Qimen custom API"
            )?;
        }
        Ok(())
    }
}

impl UnknownMethod {
    /// The message in Chinese.
    pub fn zh(&self) -> String {
        let mut out = format!(
            "应为经奇门自定义开放的 54 个旺店通接口之一，实际为 `{}`",
            self.name
        );
        if let Some(ns) = &self.namespace {
            out.push_str(&format!(
                "；`{ns}.` 不是旺店通企业版奇门自定义接口的命名空间（应为 `{QIMEN_NAMESPACE}.` 或不带）：\
                 别的命名空间是另一套接口（`3ldsmu02o9.` 属于旗舰版），qmwire 没有它们的契约"
            ));
            return out;
        }
        if !self.suggestions.is_empty() {
            let names: Vec<String> = self
                .suggestions
                .iter()
                .map(|m| format!("`{}`（`{}`）", m.php, m.qimen))
                .collect();
            out.push_str(&format!("；是不是 {}？", names.join("、")));
        } else if let Some(other) = &self.by_rule {
            out.push_str(&format!(
                "；按命名规则它应叫 `{other}`，但旺店通没有把它列为奇门自定义接口"
            ));
        }
        out
    }
}

impl std::error::Error for UnknownMethod {}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn every_row_round_trips_in_every_spelling() {
        assert_eq!(METHODS.len(), 54);
        for m in &METHODS {
            for name in [
                m.php.to_string(),
                m.php_stem().to_string(),
                m.qimen.to_string(),
                m.qimen_namespaced(),
                format!("  {}\n", m.php.to_ascii_uppercase()),
            ] {
                assert_eq!(lookup(&name), Ok(m), "{name}");
            }
            let there = lookup(m.php).unwrap().qimen;
            assert_eq!(lookup(there).unwrap().php, m.php);
            assert!(m.php.ends_with(".php") && m.qimen.starts_with("wdt."));
            assert!(!m.summary.is_empty() && m.summary.is_ascii());
            assert!(m.summary_zh.chars().any(|c| c > '\u{2e80}'), "{}", m.php);
        }
        let php: HashSet<_> = METHODS.iter().map(|m| m.php).collect();
        let qimen: HashSet<_> = METHODS.iter().map(|m| m.qimen).collect();
        assert_eq!((php.len(), qimen.len()), (54, 54), "names are unique");
    }

    #[test]
    fn the_rule_holds_except_for_the_two_listed_rows() {
        let breaking: Vec<(&str, &str)> = METHODS
            .iter()
            .filter(|m| !m.follows_rule())
            .map(|m| (m.php, m.qimen))
            .collect();
        assert_eq!(breaking, EXCEPTIONS.to_vec());
        for m in METHODS.iter().filter(|m| m.follows_rule()) {
            assert_eq!(rule_php_name(m.qimen).as_deref(), Some(m.php));
        }
        // What the rule alone would wrongly give for the exceptions.
        assert_eq!(rule_qimen_name("shop.php").as_deref(), Some("wdt.shop"));
        assert_eq!(
            rule_php_name("wdt.logistics.query").as_deref(),
            Some("logistics_query.php")
        );
        assert!(lookup("logistics_query.php").is_err());
        assert!(lookup("wdt.shop").is_err());
        assert_eq!(rule_qimen_name("Trade_push.php"), None);
        assert_eq!(rule_qimen_name("trade__push.php"), None);
        assert_eq!(rule_php_name("taobao.trade.push"), None);
    }

    #[test]
    fn counts_per_category_match_the_list() {
        let count = |c| METHODS.iter().filter(|m| m.category == c).count();
        assert_eq!(
            [Basic, Goods, Order, AfterSale, Purchase, Stock].map(count),
            [5, 7, 11, 6, 9, 16]
        );
    }

    #[test]
    fn unknown_names_suggest_close_ones() {
        let e = lookup("trade_pushh.php").unwrap_err();
        assert_eq!(e.suggestions[0].qimen, "wdt.trade.push");
        assert!(e.to_string().starts_with(
            "expected one of the 54 wdt APIs offered through Qimen custom, found `trade_pushh.php`; \
             did you mean `trade_push.php` (`wdt.trade.push`)"
        ));
        let e = lookup("wdt.refund.qurey").unwrap_err();
        assert_eq!(e.suggestions[0].php, "refund_query.php");
        let e = lookup("hu3cgwt0tc.wdt.stockout.order.query.trad").unwrap_err();
        assert_eq!(e.suggestions[0].php, "stockout_order_query_trade.php");
        // Listed elsewhere but not as a Qimen custom API: the rule's answer is shown.
        let e = lookup("purchase_order_end.php").unwrap_err();
        assert_eq!(e.by_rule.as_deref(), Some("wdt.purchase.order.end"));
        assert!(e
            .suggestions
            .iter()
            .any(|m| m.php == "purchase_order_push.php"));
        let e = lookup("zzzzzzzzzzzzzzzzzzzz").unwrap_err();
        assert!(e.suggestions.is_empty());
        assert!(e.to_string().contains("does not list it"), "{e}");
        for foreign in ["3ldsmu02o9.wdt.trade.push", "foo.wdt.trade.push"] {
            let e = lookup(foreign).unwrap_err();
            assert!(e.namespace.is_some(), "{foreign}");
            assert!(e.to_string().contains("is not the namespace"), "{e}");
        }
        assert!(lookup("HU3CGWT0TC.wdt.trade.push").is_ok());
        let e = lookup("").unwrap_err();
        assert!(e.suggestions.is_empty() && e.by_rule.is_none());
    }

    #[test]
    fn sides_and_namespaces() {
        assert_eq!(side_of("trade_push"), Side::Standard);
        assert_eq!(side_of("wdt.trade.push"), Side::QimenCustom);
        assert_eq!(
            side_of("3ldsmu02o9.wdt.sales.rawtrade.search"),
            Side::QimenCustom
        );
        assert_eq!(
            strip_namespace("hu3cgwt0tc.wdt.trade.push"),
            "wdt.trade.push"
        );
        assert_eq!(strip_namespace("wdt.trade.push"), "wdt.trade.push");
        assert_eq!(METHODS[12].qimen_namespaced(), "hu3cgwt0tc.wdt.trade.push");
    }
}
