//! Rule `unknown-field`: an element the contract does not define. Suggests the closest known
//! field name, which catches most typos and case mistakes.

use crate::model::StructSpec;

/// The message for unknown element `name` inside an element described by `parent`.
pub(crate) fn message(name: &str, parent: &StructSpec, json: bool) -> String {
    let suggestion = parent
        .fields
        .iter()
        .map(|f| {
            (
                distance(&name.to_ascii_lowercase(), &f.name.to_ascii_lowercase()),
                f.name,
            )
        })
        .filter(|&(d, _)| d <= 2)
        .min_by_key(|&(d, _)| d)
        .map(|(_, n)| format!("; did you mean `{n}`?"))
        .unwrap_or_default();
    format!(
        "{} is not a field of {} ({}); it is kept, but a strict receiver may reject it{suggestion}",
        super::Tag { name, json },
        parent.name,
        parent.doc
    )
}

/// Levenshtein distance over bytes (names are ASCII).
fn distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, &ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur.push((prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::qimen::DELIVERY_ORDER_CREATE_ORDER_SPEC;

    #[test]
    fn suggests_close_names() {
        let m = message("shopNik", &DELIVERY_ORDER_CREATE_ORDER_SPEC, false);
        assert!(m.contains("did you mean `shopNick`"), "{m}");
        let m = message("ordertype", &DELIVERY_ORDER_CREATE_ORDER_SPEC, false);
        assert!(m.contains("did you mean `orderType`"), "{m}");
        let m = message("somethingElse", &DELIVERY_ORDER_CREATE_ORDER_SPEC, true);
        assert!(!m.contains("did you mean"), "{m}");
    }
}
