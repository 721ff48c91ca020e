//! The money formulas of rules `wdt.paid` and `wdt.cod-amount`, evaluated exactly, one term at
//! a time: Σ(price×num + adjust_amount − discount − share_discount) over the order lines, then
//! the trade's own terms. Every product and every partial sum must fit a `decimal(19,4)`, as
//! wdt stores them: one that does not is reported as a `decimal` error at the value that took
//! it out of range, and the formula's own rule stays silent (it has nothing exact to compare).

use super::{amount, At, Ctx};
use crate::model::wdt::Trade;
use crate::wire::money::Amount;
use crate::wire::span::Span;
use crate::wire::text::Text;

/// Why a formula has no value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NoValue {
    /// A value the field rules reject (they report it).
    Invalid,
    /// A product or partial sum beyond `decimal(19,4)`, reported here as a `decimal` error.
    OutOfRange,
}

/// A trade-level term of a formula: the field's name, value and amount, and whether it is
/// subtracted.
pub(crate) struct Term<'t, 'a> {
    /// The field name, for paths and messages.
    pub name: &'static str,
    /// The field.
    pub field: &'t Option<Text<'a>>,
    /// The field's amount (absent counts as 0), read by the caller.
    pub value: Amount,
    /// Whether the term is subtracted.
    pub minus: bool,
}

/// The sums a rule prints: the order lines' part, and the whole formula.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Totals {
    /// Σ(price×num + adjust_amount − discount − share_discount).
    pub lines: Amount,
    /// The whole formula, not rounded.
    pub total: Amount,
}

/// One step of the evaluation: `± value`, or `+ price × num`.
struct Step {
    /// The order line, or `None` for a trade field.
    line: Option<usize>,
    /// The field an overflow is reported at.
    name: &'static str,
    span: Span,
    value: Amount,
    /// For `price × num`: the num (`value` is the price).
    times: Option<Amount>,
    minus: bool,
}

/// A formula being summed up, one step at a time; the first step that leaves decimal(19,4) is
/// kept with its message, and the later steps are not summed.
struct Sum<'f> {
    formula: &'f str,
    total: Amount,
    overflow: Option<(Step, crate::report::Msg)>,
}

impl Sum<'_> {
    fn add(&mut self, step: Step) {
        if self.overflow.is_some() {
            return;
        }
        let value = match step.times {
            Some(num) => match step.value.checked_times(num) {
                Some(product) => product,
                None => {
                    let message = self.product_beyond(&step, num);
                    self.overflow = Some((step, message));
                    return;
                }
            },
            None => step.value,
        };
        let next = if step.minus {
            self.total.checked_sub(value)
        } else {
            self.total.checked_add(value)
        };
        match next {
            Some(next) => self.total = next,
            None => {
                let message = self.sum_beyond(&step, value);
                self.overflow = Some((step, message));
            }
        }
    }

    #[cold]
    fn product_beyond(&self, step: &Step, num: Amount) -> crate::report::Msg {
        let formula = self.formula;
        crate::report::Msg::new(
            format!(
                "expected `price` × `num` to fit decimal(19,4) (at most {} either way), found {} × {}, beyond it: {formula} cannot be checked",
                Amount::MAX, step.value, num
            ),
            format!(
                "`price` × `num` 应在 decimal(19,4) 范围内（绝对值最多 {}），实际 {} × {} 超出：{} 无法核对",
                Amount::MAX, step.value, num, formula_zh(formula)
            ),
        )
    }

    #[cold]
    fn sum_beyond(&self, step: &Step, value: Amount) -> crate::report::Msg {
        let (formula, total) = (self.formula, self.total);
        let what = match step.times {
            Some(_) => "price` × `num",
            None => step.name,
        };
        let (verb, sign) = if step.minus {
            ("subtracting", '−')
        } else {
            ("adding", '+')
        };
        let verb_zh = if step.minus { "减去" } else { "加上" };
        crate::report::Msg::new(
            format!(
                "expected every partial sum of {formula} to fit decimal(19,4) (at most {} either way), found {total} {sign} {value} after {verb} `{what}`: {formula} cannot be checked",
                Amount::MAX
            ),
            format!(
                "{} 的每个部分和都应在 decimal(19,4) 范围内（绝对值最多 {}），{verb_zh} `{what}` 后得到 {total} {sign} {value}，超出：无法核对",
                formula_zh(formula),
                Amount::MAX
            ),
        )
    }
}

/// Evaluates the lines of trade `t` (at JSON Pointer `at`) and then `terms`. `formula` names the
/// formula in messages (`the \`paid\` formula`). A value the field rules reject makes the
/// formula [`NoValue::Invalid`] wherever it is, before anything is reported.
pub(crate) fn evaluate(
    ctx: &mut Ctx<'_>,
    t: &Trade<'_>,
    at: &At<'_>,
    formula: &str,
    terms: &[Term<'_, '_>],
) -> Result<Totals, NoValue> {
    match sum_plainly(t, terms) {
        Some(totals) => Ok(totals),
        None => sum_by_steps(ctx, t, at, formula, terms),
    }
}

/// [`evaluate`] one step at a time, keeping the step that leaves decimal(19,4) to report it.
fn sum_by_steps(
    ctx: &mut Ctx<'_>,
    t: &Trade<'_>,
    at: &At<'_>,
    formula: &str,
    terms: &[Term<'_, '_>],
) -> Result<Totals, NoValue> {
    let span = |field: &Option<Text<'_>>| field.as_ref().map_or(Span::default(), Text::span);
    let read = |field: &Option<Text<'_>>| amount(field).map_err(|()| NoValue::Invalid);
    let mut sum = Sum {
        formula,
        total: Amount::ZERO,
        overflow: None,
    };
    for (j, o) in t.order_list.iter().flat_map(|l| l.items.iter().enumerate()) {
        let num = read(&o.num)?;
        let price = read(&o.price)?;
        let adjust = read(&o.adjust_amount)?;
        let discount = read(&o.discount)?;
        let share = read(&o.share_discount)?;
        let line = Some(j);
        let parts = [
            ("num", &o.num, price, Some(num), false),
            ("adjust_amount", &o.adjust_amount, adjust, None, false),
            ("discount", &o.discount, discount, None, true),
            ("share_discount", &o.share_discount, share, None, true),
        ];
        for (name, field, value, times, minus) in parts {
            sum.add(Step {
                line,
                name,
                span: span(field),
                value,
                times,
                minus,
            });
        }
    }
    let lines = sum.total;
    for term in terms {
        sum.add(Step {
            line: None,
            name: term.name,
            span: span(term.field),
            value: term.value,
            times: None,
            minus: term.minus,
        });
    }
    match sum.overflow {
        Some((step, message)) => Err(out_of_range(ctx, at, &step, message)),
        None => Ok(Totals {
            lines,
            total: sum.total,
        }),
    }
}

/// The usual case of [`evaluate`], in plain arithmetic: `None` as soon as a value is invalid or
/// a step leaves decimal(19,4), and [`evaluate`] then goes step by step to say which. The same
/// sums in the same order, so the same totals.
fn sum_plainly(t: &Trade<'_>, terms: &[Term<'_, '_>]) -> Option<Totals> {
    let mut total = Amount::ZERO;
    for o in t.order_list.iter().flat_map(|l| l.items.iter()) {
        let num = amount(&o.num).ok()?;
        let price = amount(&o.price).ok()?;
        let adjust = amount(&o.adjust_amount).ok()?;
        let discount = amount(&o.discount).ok()?;
        let share = amount(&o.share_discount).ok()?;
        total = total
            .checked_add(price.checked_times(num)?)?
            .checked_add(adjust)?
            .checked_sub(discount)?
            .checked_sub(share)?;
    }
    let lines = total;
    for term in terms {
        total = if term.minus {
            total.checked_sub(term.value)?
        } else {
            total.checked_add(term.value)?
        };
    }
    Some(Totals { lines, total })
}

/// Reports a `decimal` error at the field of `step`.
/// `the `paid` formula` in Chinese.
fn formula_zh(formula: &str) -> String {
    let field = formula.split('`').nth(1).unwrap_or(formula);
    format!("`{field}` 的公式")
}

fn out_of_range(
    ctx: &mut Ctx<'_>,
    at: &At<'_>,
    step: &Step,
    message: crate::report::Msg,
) -> NoValue {
    let path = match step.line {
        Some(j) => format!("{at}/order_list/{j}/{}", step.name),
        None => format!("{at}/{}", step.name),
    };
    ctx.error(crate::rules::DECIMAL, path, step.span, message);
    NoValue::OutOfRange
}

#[cfg(test)]
mod tests {
    use crate::options::Options;
    use crate::report::Issue;
    use crate::wire::test_rng::Rng;

    /// A trade: `(delivery_term, paid, cod_amount, post_amount, lines)`, each line
    /// `(price, num)` (adjustments and discounts 0).
    type TestTrade<'s> = (u8, &'s str, &'s str, &'s str, &'s [(&'s str, &'s str)]);

    /// A bare trade list of these trades.
    fn trades(trades: &[TestTrade<'_>]) -> String {
        let trades: Vec<String> = trades
            .iter()
            .enumerate()
            .map(|(i, (term, paid, cod, post, lines))| {
                let lines: Vec<String> = lines
                    .iter()
                    .enumerate()
                    .map(|(j, (price, num))| {
                        format!(r#"{{"oid":"O{i}-{j}","goods_no":"G","price":"{price}","num":"{num}"}}"#)
                    })
                    .collect();
                format!(
                    r#"{{"tid":"T{i}","delivery_term":{term},"pay_status":2,"paid":"{paid}","cod_amount":"{cod}","post_amount":"{post}","order_list":[{}]}}"#,
                    lines.join(",")
                )
            })
            .collect();
        format!("[{}]", trades.join(","))
    }

    /// The issues of the money rules (and `decimal`), as (rule, path, message).
    fn money_issues(json: &str) -> Vec<Issue> {
        let report =
            crate::wdt::lint::lint_json(json.as_bytes(), Some("trade_push"), &Options::default());
        report
            .issues
            .into_iter()
            .filter(|i| {
                [
                    crate::rules::DECIMAL,
                    crate::rules::WDT_PAID,
                    crate::rules::WDT_COD_AMOUNT,
                ]
                .contains(&i.rule)
            })
            .collect()
    }

    fn only(json: &str) -> Issue {
        let issues = money_issues(json);
        assert_eq!(issues.len(), 1, "{issues:#?}");
        issues.into_iter().next().unwrap()
    }

    /// The plain sum and the step-by-step one agree: the same totals when both have them, and
    /// the plain one gives up exactly when a value is invalid or a step leaves the range.
    #[test]
    fn plain_and_step_by_step_sums_agree() {
        use super::*;
        let usual = ["0", "1", "-1", "0.0001", "12.5", "-3.25", "", " 7 ", "3"];
        // One pick in 16: a value that leaves the range or is not a number.
        let edge = [
            "999999999999999.9999",
            "500000000000000",
            "99999999.9999",
            "x",
            "1e3",
        ];
        let mut rng = Rng(0x853C_49E6_748F_EA9B);
        let mut pick = || {
            let pool: &[&str] = if rng.below(16) == 0 { &edge } else { &usual };
            rng.pick(pool)
        };
        let (mut plain, mut given_up) = (0, 0);
        for _ in 0..3_000 {
            let lines: Vec<String> = (0..3)
                .map(|j| {
                    format!(
                        r#"{{"oid":"O{j}","goods_no":"G","price":"{}","num":"{}","adjust_amount":"{}","discount":"{}","share_discount":"{}"}}"#,
                        pick(), pick(), pick(), pick(), pick()
                    )
                })
                .collect();
            let json = format!(r#"[{{"tid":"T","order_list":[{}]}}]"#, lines.join(","));
            let options = Options::default();
            let doc = crate::wdt::document::decode_wdt(
                json.as_bytes(),
                crate::model::wdt::method("trade_push"),
                &options.limits,
            )
            .unwrap();
            let crate::model::wdt::WdtBody::TradePushParams(p) = &doc.body else {
                panic!("a trade push");
            };
            let trade = &p.trade_list.as_ref().unwrap().items[0];
            let post = Amount::parse(pick()).unwrap_or(Amount::ZERO);
            let field = None;
            let terms = [Term {
                name: "post_amount",
                field: &field,
                value: post,
                minus: false,
            }];
            let mut out = Vec::new();
            let mut ctx = Ctx { out: &mut out };
            let at = At {
                prefix: "",
                index: 0,
            };
            let steps = sum_by_steps(&mut ctx, trade, &at, "the `paid` formula", &terms);
            match sum_plainly(trade, &terms) {
                Some(totals) => {
                    plain += 1;
                    assert_eq!(steps, Ok(totals), "{json}");
                }
                None => {
                    given_up += 1;
                    assert!(steps.is_err(), "{json}");
                }
            }
        }
        assert!(plain > 100 && given_up > 100, "{plain} {given_up}");
    }

    const HUGE: &str = "115292150460684.6976";
    const MAX: &str = "999999999999999.9999";

    #[test]
    fn a_product_that_wrapped_to_zero_is_a_decimal_error_not_a_pass() {
        // price × num ≈ 1.3 × 10^28 wrapped to exactly 0 in i128, so paid 0 passed.
        let json = trades(&[(1, "0", "0", "0", &[(HUGE, HUGE)])]);
        let issue = only(&json);
        assert_eq!(
            (issue.rule, issue.path.as_str()),
            ("decimal", "/0/order_list/0/num")
        );
        assert_eq!(&json[issue.span.range()], HUGE);
        assert!(
            issue.message.starts_with(&format!(
                "expected `price` × `num` to fit decimal(19,4) (at most {MAX} either way), found {HUGE} × {HUGE}"
            )),
            "{}",
            issue.message
        );
        assert!(issue
            .message
            .ends_with("the `paid` formula cannot be checked"));
        // The same for cash on delivery.
        let issue = only(&trades(&[(2, "0", "0", "0", &[(HUGE, HUGE)])]));
        assert_eq!(
            (issue.rule, issue.path.as_str()),
            ("decimal", "/0/order_list/0/num")
        );
        assert!(
            issue.message.contains("the `cod_amount` formula"),
            "{}",
            issue.message
        );
    }

    #[test]
    fn the_largest_amount_squared_is_a_decimal_error_not_a_negative_total() {
        let json = trades(&[(1, "1", "0", "0", &[(MAX, MAX)])]);
        let issue = only(&json);
        assert_eq!(
            (issue.rule, issue.path.as_str()),
            ("decimal", "/0/order_list/0/num")
        );
        assert!(!issue.message.contains("= -"), "{}", issue.message);
        // A line that fits, then one that does not: the error is at the second.
        let json = trades(&[(1, "1", "0", "0", &[("1", "1"), (MAX, "2")])]);
        let issue = only(&json);
        assert_eq!(issue.path, "/0/order_list/1/num");
    }

    #[test]
    fn a_partial_sum_beyond_decimal_19_4_is_reported_at_the_value_that_took_it_there() {
        // The line fits exactly; adding the postage does not.
        let json = trades(&[(1, MAX, "0", "0.0001", &[(MAX, "1")])]);
        let issue = only(&json);
        assert_eq!(
            (issue.rule, issue.path.as_str()),
            ("decimal", "/0/post_amount")
        );
        assert_eq!(&json[issue.span.range()], "0.0001");
        assert!(
            issue
                .message
                .contains(&format!("found {MAX} + 0.0001 after adding `post_amount`")),
            "{}",
            issue.message
        );
        // Two lines that each fit, but not their sum.
        let json = trades(&[(1, MAX, "0", "0", &[(MAX, "1"), ("1", "1")])]);
        assert_eq!(only(&json).path, "/0/order_list/1/num");
        // Cash on delivery: subtracting a negative `paid`.
        let json = trades(&[(2, "-1", "0", "0", &[(MAX, "1")])]);
        let issue = only(&json);
        assert_eq!((issue.rule, issue.path.as_str()), ("decimal", "/0/paid"));
        assert!(
            issue.message.contains("after subtracting `paid`"),
            "{}",
            issue.message
        );
        // Negative totals are bounded the same way.
        let json = trades(&[(1, "0", "0", "-1", &[(MAX, "-1")])]);
        assert_eq!(only(&json).path, "/0/post_amount");
    }

    #[test]
    fn right_at_the_edge_the_formula_is_still_checked() {
        assert!(money_issues(&trades(&[(1, MAX, "0", "0", &[(MAX, "1")])])).is_empty());
        let issue = only(&trades(&[(1, "0", "0", "0", &[(MAX, "1")])]));
        assert_eq!(issue.rule, "wdt.paid");
        assert!(
            issue.message.contains(&format!("off by -{MAX}")),
            "{}",
            issue.message
        );
        // `paid` and the expected total at opposite ends: the difference is said, not wrapped.
        let issue = only(&trades(&[(1, MAX, "0", "0", &[(MAX, "-1")])]));
        assert_eq!(issue.rule, "wdt.paid");
        assert!(
            issue.message.contains("off by more than"),
            "{}",
            issue.message
        );
        // A value with a leading zero is read, not skipped.
        let issue = only(&trades(&[(1, "1", "0", "0", &[("0999999999999999", "1")])]));
        assert_eq!(issue.rule, "wdt.paid");
    }

    /// An amount as (text, value at 4 fractional digits): edges of decimal(19,4) and of
    /// i128 products, or random ones, `big` ones up to the largest; some negative, some
    /// with a leading zero.
    fn random_amount(rng: &mut Rng, big: bool) -> (String, i128) {
        let max4: i128 = 10i128.pow(19) - 1;
        let edges: [i128; 8] = [
            0,
            1,
            10_000,
            1_152_921_504_606_846_976,
            max4,
            max4 - 1,
            5_000_000_000_000_000_000,
            99_999_999,
        ];
        let r = rng.next();
        let mut v = match r % 4 {
            0 => edges[(r >> 8) as usize % edges.len()],
            1 if big => i128::from(r >> 4) % (max4 + 1),
            _ => i128::from((r >> 4) % 100_000_000),
        };
        if r % 7 == 0 {
            v = -v;
        }
        let text = format!(
            "{}{}{}.{:04}",
            if v < 0 { "-" } else { "" },
            if r % 11 == 0 { "0" } else { "" },
            v.abs() / 10_000,
            v.abs() % 10_000
        );
        (text, v)
    }

    /// Deterministic pseudo-random trades with extreme amounts through the whole lint: never a
    /// panic, and each trade gets exactly the verdict an independent evaluation of the formula
    /// gives (i128 at 8 fractional digits, each factor read from its text at 4): a `decimal`
    /// error at the value where a product or partial sum leaves decimal(19,4); otherwise the
    /// formula's rule exactly when the amount sent differs from the rounded total.
    #[test]
    fn random_extreme_amounts_get_the_right_verdict() {
        let max8: i128 = 10i128.pow(23) - 10i128.pow(4);
        let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
        let round4 = |v: i128| {
            let r = if v >= 0 {
                (v + 5_000) / 10_000
            } else {
                (v - 5_000) / 10_000
            };
            r * 10_000
        };
        let text8 = |v: i128| {
            format!(
                "{}{}.{:04}",
                if v < 0 { "-" } else { "" },
                v.abs() / 100_000_000,
                (v.abs() % 100_000_000) / 10_000
            )
        };
        let mut seen = [0usize; 3];
        for _ in 0..300 {
            let mut json = Vec::new();
            let mut want = Vec::new();
            for i in 0..10 {
                let cod = rng.coin();
                // Every step of the formula in order: (path, value at 8 digits).
                let mut steps: Vec<(String, i128)> = Vec::new();
                let mut order_list = Vec::new();
                for j in 0..1 + rng.next() % 3 {
                    let (price, pv) = random_amount(&mut rng, true);
                    let big = rng.coin();
                    let (num, nv) = random_amount(&mut rng, big);
                    let (adjust, av) = random_amount(&mut rng, false);
                    let (discount, dv) = random_amount(&mut rng, false);
                    let (share, sv) = random_amount(&mut rng, false);
                    order_list.push(format!(
                        r#"{{"oid":"O{i}-{j}","goods_no":"G","price":"{price}","num":"{num}","adjust_amount":"{adjust}","discount":"{discount}","share_discount":"{share}"}}"#
                    ));
                    let at = format!("/{i}/order_list/{j}");
                    // |pv|, |nv| < 10^19: the product fits i128.
                    steps.push((format!("{at}/num"), pv * nv));
                    steps.push((format!("{at}/adjust_amount"), av * 10_000));
                    steps.push((format!("{at}/discount"), -dv * 10_000));
                    steps.push((format!("{at}/share_discount"), -sv * 10_000));
                }
                let (post, postv) = random_amount(&mut rng, false);
                let big = rng.next() % 4 == 0;
                let (extra, extrav) = random_amount(&mut rng, big);
                let extra_name = if cod { "ext_cod_fee" } else { "other_amount" };
                steps.push((format!("/{i}/post_amount"), postv * 10_000));
                steps.push((format!("/{i}/{extra_name}"), extrav * 10_000));
                let big = rng.coin();
                let (paid, paidv) = random_amount(&mut rng, big);
                // `paid` is a term of the cash-on-delivery formula only.
                if cod {
                    steps.push((format!("/{i}/paid"), -paidv * 10_000));
                }
                let mut total: i128 = 0;
                let mut overflow = None;
                for (path, value) in &steps {
                    // |total| ≤ max8 and |value| < 10^38: no i128 overflow here.
                    if value.abs() > max8 || (total + value).abs() > max8 {
                        overflow = Some(path.clone());
                        break;
                    }
                    total += value;
                }
                // Half the time, send exactly the rounded total.
                let sent = match overflow {
                    None if rng.coin() => text8(round4(total)),
                    _ => {
                        let big = rng.coin();
                        random_amount(&mut rng, big).0
                    }
                };
                let (sent_field, rule) = if cod {
                    ("cod_amount", "wdt.cod-amount")
                } else {
                    ("paid", "wdt.paid")
                };
                let paid = if cod {
                    format!(r#","paid":"{paid}""#)
                } else {
                    String::new()
                };
                json.push(format!(
                    r#"{{"tid":"T{i}","pay_status":2,"delivery_term":{},"post_amount":"{post}","{extra_name}":"{extra}"{paid},"{sent_field}":"{sent}","order_list":[{}]}}"#,
                    if cod { 2 } else { 1 },
                    order_list.join(",")
                ));
                let verdict = match overflow {
                    Some(path) => Some(("decimal", path)),
                    None => {
                        let amount = crate::wire::money::Amount::parse;
                        (amount(&sent) != amount(&text8(round4(total))))
                            .then(|| (rule, format!("/{i}/{sent_field}")))
                    }
                };
                seen[match &verdict {
                    None => 0,
                    Some(("decimal", _)) => 1,
                    Some(_) => 2,
                }] += 1;
                want.extend(verdict);
            }
            let json = format!("[{}]", json.join(","));
            let got: Vec<(&str, String)> = money_issues(&json)
                .into_iter()
                .map(|i| (i.rule, i.path))
                .collect();
            assert_eq!(got, want, "{json}");
        }
        // Every verdict was reached often.
        assert!(seen.iter().all(|&n| n > 300), "{seen:?}");
    }
}
