//! "Did you mean": the closest of some known names to a misspelt one.

/// Levenshtein distance over bytes (the names compared are ASCII).
pub(crate) fn distance(a: &str, b: &str) -> usize {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut row = vec![0; b.len() + 1];
    for (i, &ca) in a.iter().enumerate() {
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            row[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(row[j] + 1);
        }
        std::mem::swap(&mut prev, &mut row);
    }
    prev[b.len()]
}

/// The candidate closest to `name`, ignoring ASCII case, when it is at most `max` edits away
/// (the first of equally close ones).
pub(crate) fn closest<'c>(
    name: &str,
    candidates: impl IntoIterator<Item = &'c str>,
    max: usize,
) -> Option<&'c str> {
    // Called for every unknown element a document holds: a candidate whose length alone puts
    // it out of reach is skipped, and a comparison stops once every path through its table
    // costs more than the best so far; two rows serve all candidates.
    let name = name.as_bytes();
    let mut rows = (Vec::new(), Vec::new());
    let mut best: Option<(usize, &'c str)> = None;
    for c in candidates {
        let limit = best.map_or(max, |(d, _)| d.saturating_sub(1));
        if name.len().abs_diff(c.len()) > limit {
            continue;
        }
        if let Some(d) = within(name, c.as_bytes(), limit, &mut rows) {
            best = Some((d, c));
            if d == 0 {
                break;
            }
        }
    }
    best.map(|(_, c)| c)
}

/// The ASCII-case-insensitive distance between `a` and `b` when it is at most `max`. Only the
/// cells within `max` of the diagonal can lie on such a path, so only those are computed; the
/// others count as `max + 1` (the band moves right row by row, so a cell right of it still
/// holds the `max + 1` it started with; the one left of it is set).
fn within(a: &[u8], b: &[u8], max: usize, rows: &mut (Vec<usize>, Vec<usize>)) -> Option<usize> {
    let out = max + 1;
    let (prev, row) = rows;
    prev.clear();
    prev.extend((0..=b.len()).map(|j| j.min(out)));
    row.clear();
    row.resize(b.len() + 1, out);
    for (i, ca) in (1usize..).zip(a.iter().map(u8::to_ascii_lowercase)) {
        let lo = i.saturating_sub(max).max(1);
        let hi = (i + max).min(b.len());
        row[0] = i.min(out);
        row[lo - 1] = if lo == 1 { row[0] } else { out };
        let mut least = row[lo - 1];
        for j in lo..=hi {
            let cost = usize::from(ca != b[j - 1].to_ascii_lowercase());
            let d = (prev[j - 1] + cost).min(prev[j] + 1).min(row[j - 1] + 1);
            row[j] = d.min(out);
            least = least.min(row[j]);
        }
        if least > max {
            return None;
        }
        std::mem::swap(prev, row);
    }
    let d = prev[b.len()];
    (d <= max).then_some(d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distances_and_suggestions() {
        assert_eq!(distance("kitten", "sitting"), 3);
        assert_eq!(distance("", "abc"), 3);
        assert_eq!(distance("same", "same"), 0);
        let names = ["orderType", "ownerCode", "shopNick"];
        assert_eq!(closest("ordertpye", names, 2), Some("orderType"));
        assert_eq!(closest("OWNERCODE", names, 2), Some("ownerCode"));
        assert_eq!(closest("somethingelse", names, 2), None);
    }

    #[test]
    fn the_bounded_search_agrees_with_the_full_distance() {
        // The first of the closest within `max`, by the plain distance of lowercased names.
        let reference = |name: &str, names: &[&'static str], max: usize| {
            names
                .iter()
                .map(|c| {
                    (
                        distance(&name.to_ascii_lowercase(), &c.to_ascii_lowercase()),
                        *c,
                    )
                })
                .filter(|&(d, _)| d <= max)
                .min_by_key(|&(d, _)| d)
                .map(|(_, c)| c)
        };
        let names = [
            "orderType",
            "ownerCode",
            "shopNick",
            "ordertype",
            "owner",
            "ownerCod",
            "a",
            "",
            "sellerNick",
            "buyerNick",
            "buyerMessage",
            "sellerMessage",
            "remark",
            "ORDERTYPE",
        ];
        let words = [
            "ordertpye",
            "OWNERCODE",
            "ownercode",
            "owner",
            "ownr",
            "",
            "a",
            "b",
            "buyerMessagX",
            "sellerMesage",
            "shopnick",
            "xyz",
            "remarks",
            "orderTypeX",
            "seller",
            "bUyErNiCk",
        ];
        for word in words {
            for max in 0..5 {
                assert_eq!(
                    closest(word, names, max),
                    reference(word, &names, max),
                    "{word} {max}"
                );
            }
        }
        // Generated words over a small alphabet (so that many are close), against each other.
        let mut seed = 7u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) as usize
        };
        let generated: Vec<&'static str> = (0..300)
            .map(|_| {
                let len = next() % 9;
                let w: String = (0..len).map(|_| ['a', 'b', 'C', 'c'][next() % 4]).collect();
                &*Box::leak(w.into_boxed_str())
            })
            .collect();
        for (k, word) in generated.iter().enumerate() {
            let pool = &generated[(k * 7) % 250..(k * 7) % 250 + 40];
            for max in 0..4 {
                assert_eq!(
                    closest(word, pool.iter().copied(), max),
                    reference(word, pool, max),
                    "{word} {max}"
                );
            }
        }
    }
}
