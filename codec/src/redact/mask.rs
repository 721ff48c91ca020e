//! The `mask` policy: hide part of a value with one `*` per hidden character (counted in Unicode
//! characters, never bytes), keeping what the usual Chinese conventions keep.
//!
//! | class | kept | example |
//! |---|---|---|
//! | `name` | the first character | `李四光` → `李**` |
//! | `phone`, mobile (11 digits starting with `1`) | first 3 and last 4 digits | `13912345678` → `139****5678` |
//! | `phone`, fixed line with separators | the area code group and the last 2 digits | `010-12345678` → `010-******78` |
//! | `phone`, fixed line without separators | first 4 and last 2 digits | `09157518479` → `0915*****79` |
//! | `id-number` | first 1 and last 2 characters | `51343620000320711X` → `5***************1X` |
//! | `address` | the leading province / city / district names (see [`address_prefix`]) | `浙江省杭州市余杭区文一路1号` → `浙江省杭州市余杭区*****` |
//! | `email` | the first character of the local part, and `@domain` | `duan@example.com` → `d***@example.com` |
//! | `account` | an e-mail account as `email`; otherwise first 3 and last 4 (longer than 10), or first and last 1 | `6222020000001234` → `622*********1234` |
//! | `nick` | the first and last character (3 or more), the first (2) | `测试买家01` → `测****1` |
//! | `plate` | the first 2 and the last character | `京A12345` → `京A****5` |
//!
//! Two rules hold for every class:
//! - when the kept parts would cover the whole value, everything is hidden (`李` → `*`);
//! - what is kept depends only on the value's length, its separators and characters that are
//!   themselves kept, so masking a masked value changes nothing (idempotence).
//!
//! Leading and trailing whitespace is not part of the value being masked; the caller
//! ([`super::policy`]) keeps it as it was.

use crate::privacy::Privacy;

/// The masked form of `value` (already trimmed) for `class`. Works on the text itself: one
/// allocation, the result.
pub fn mask(class: Privacy, value: &str) -> String {
    match class {
        Privacy::Name => keep_ends(value, 1, 0),
        Privacy::Phone => phone(value),
        Privacy::IdNumber => keep_ends(value, 1, 2),
        Privacy::Address => address(value),
        Privacy::Email => email(value),
        Privacy::Account => account(value),
        Privacy::Nick => match value.chars().count() {
            n @ 0..=2 => keep_ends_of(value, n, 1, 0),
            n => keep_ends_of(value, n, 1, 1),
        },
        Privacy::Plate => keep_ends(value, 2, 1),
    }
}

/// Keeps `head` characters at the start and `tail` at the end; hides everything when that
/// would hide nothing.
fn keep_ends(value: &str, head: usize, tail: usize) -> String {
    keep_ends_of(value, value.chars().count(), head, tail)
}

/// [`keep_ends`] of a value of `n` characters.
fn keep_ends_of(value: &str, n: usize, head: usize, tail: usize) -> String {
    if n <= head + tail {
        return "*".repeat(n);
    }
    let from = value
        .char_indices()
        .nth(head)
        .map_or(value.len(), |(i, _)| i);
    let to = match tail {
        0 => value.len(),
        _ => value
            .char_indices()
            .nth_back(tail - 1)
            .map_or(0, |(i, _)| i),
    };
    let hidden = n - head - tail;
    let mut out = String::with_capacity(from + hidden + value.len() - to);
    out.push_str(&value[..from]);
    push_stars(&mut out, hidden);
    out.push_str(&value[to..]);
    out
}

/// Appends `count` stars.
fn push_stars(out: &mut String, mut count: usize) {
    const STARS: &str = "****************************************************************";
    while count > 0 {
        let step = count.min(STARS.len());
        out.push_str(&STARS[..step]);
        count -= step;
    }
}

/// Characters a phone number may be written with besides its digits; they are kept in place.
fn is_phone_separator(c: char) -> bool {
    matches!(
        c,
        '-' | ' ' | '(' | ')' | '+' | '.' | '/' | '（' | '）' | '－'
    )
}

/// The first two groups of a phone number's units (runs of units with no separator between
/// them), what [`phone`] decides from.
#[derive(Default)]
struct Groups {
    /// Every unit.
    units: usize,
    /// How many groups there are, counted up to 3.
    count: usize,
    /// The length and the first unit of the first two groups.
    len: [usize; 2],
    first: [char; 2],
}

impl Groups {
    fn of(value: &str) -> Groups {
        let mut groups = Groups::default();
        let mut in_group = false;
        for c in value.chars() {
            if is_phone_separator(c) {
                in_group = false;
                continue;
            }
            if !in_group {
                if groups.count < 2 {
                    groups.first[groups.count] = c;
                }
                groups.count = (groups.count + 1).min(3);
                in_group = true;
            }
            if groups.count <= 2 {
                groups.len[groups.count - 1] += 1;
            }
            groups.units += 1;
        }
        groups
    }
}

/// Phone numbers: every character that is not a separator is a "unit" (normally a digit; a
/// `*` from an earlier masking counts as one too, and so does any stray letter, which is hidden
/// like a digit). The decision between mobile and fixed line looks only at the number of units,
/// the separators and the first unit, all of which masking keeps.
fn phone(value: &str) -> String {
    let groups = Groups::of(value);
    // An international prefix (`+86 …`) is kept as written; the rules apply to the rest.
    let country = match groups.count {
        2.. if value.starts_with('+') => groups.len[0],
        _ => 0,
    };
    // The groups after the prefix: the first one's start and length, and whether more follow.
    let skip = usize::from(country > 0);
    let n = groups.units - country;
    let first = groups.first[skip];
    let area = (groups.count > 1 + skip).then(|| groups.len[skip]);
    // Units (after the prefix) kept at the start and at the end; `None` hides them all.
    let kept = if n == 11 && first == '1' {
        // Mobile: 3 + 4.
        Some((3, 4))
    } else if let Some(area) = area.filter(|&a| (2..=5).contains(&a) && a + 2 < n) {
        // Fixed line written with an area code group: `010-12345678`, `(0571) 8888 0000`.
        Some((area, 2))
    } else if n > 6 {
        Some((4, 2))
    } else {
        None
    };
    let mut out = String::with_capacity(value.len());
    let mut unit = 0usize;
    for c in value.chars() {
        if is_phone_separator(c) {
            out.push(c);
            continue;
        }
        let keep = match (unit.checked_sub(country), kept) {
            (None, _) => true,
            (Some(k), Some((head, tail))) => k < head || k >= n - tail,
            (Some(_), None) => false,
        };
        out.push(if keep { c } else { '*' });
        unit += 1;
    }
    out
}

/// E-mail: the first character of the local part and everything from the last `@` on.
fn email(value: &str) -> String {
    match value.rfind('@') {
        Some(at) if at > 0 => {
            let mut out = keep_ends(&value[..at], 1, 0);
            out.push_str(&value[at..]);
            out
        }
        _ => keep_ends(value, 1, 0),
    }
}

/// Payment accounts: an e-mail address like `email`, a long number like a bank card.
fn account(value: &str) -> String {
    if value.contains('@') {
        email(value)
    } else {
        match value.chars().count() {
            n @ 11.. => keep_ends_of(value, n, 3, 4),
            n => keep_ends_of(value, n, 1, 1),
        }
    }
}

/// Administrative division suffixes, per level of the address prefix.
const PROVINCE: &[&str] = &["特别行政区", "自治区", "省", "市"];
const CITY: &[&str] = &["自治州", "地区", "市", "州", "盟"];
const DISTRICT: &[&str] = &["区", "县", "旗", "市"];
/// Longest division name accepted, in characters.
const MAX_SEGMENT: usize = 12;

/// Whether `c` may be part of a division name: a CJK ideograph.
fn is_name_char(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

/// How many leading characters of an address are its province / city / district names, and
/// how many bytes they take.
///
/// The prefix is made of up to three segments, each tried in turn at the current position:
/// 1. province: a name ending in `省`, `自治区`, `特别行政区`, or `市` (a municipality);
/// 2. city: ending in `市`, `自治州`, `州`, `地区` or `盟`;
/// 3. district: ending in `区`, `县`, `旗` or `市`, and only after a province or city segment
///    (so that a bare `阳光小区` is not taken for a district).
///
/// A segment is the shortest run of 2 to 12 CJK characters that ends in one of its suffixes; a
/// digit, letter, punctuation or `*` ends the search. A level that does not match is skipped.
pub fn address_prefix(value: &str) -> (usize, usize) {
    // The end of each segment found, in characters and in bytes.
    let mut ends = [(0, 0); 3];
    let mut found = 0;
    let (mut chars, mut bytes) = (0, 0);
    for (level, suffixes) in [PROVINCE, CITY, DISTRICT].into_iter().enumerate() {
        if level == 2 && found == 0 {
            break;
        }
        if let Some((c, b)) = segment(&value[bytes..], suffixes) {
            chars += c;
            bytes += b;
            ends[found] = (chars, bytes);
            found += 1;
        }
    }
    // Something must stay hidden: give up segments from the end until it does.
    while bytes == value.len() && bytes > 0 {
        found -= 1;
        (chars, bytes) = found.checked_sub(1).map_or((0, 0), |i| ends[i]);
    }
    (chars, bytes)
}

/// The shortest segment at the start of `text` ending in one of `suffixes`: its length in
/// characters and in bytes.
fn segment(text: &str, suffixes: &[&str]) -> Option<(usize, usize)> {
    let mut len = 0;
    for (i, c) in text.char_indices().take(MAX_SEGMENT) {
        if !is_name_char(c) {
            break;
        }
        len += 1;
        let end = i + c.len_utf8();
        // A suffix can only match when it ends in `c`: that test needs no string compare.
        let ends = |s: &&str| s.ends_with(c) && text[..end].ends_with(*s);
        if len >= 2 && suffixes.iter().any(ends) {
            return Some((len, end));
        }
    }
    None
}

/// Addresses: the division prefix is kept, every later character hidden.
fn address(value: &str) -> String {
    let (chars, bytes) = address_prefix(value);
    let hidden = value.chars().count() - chars;
    let mut out = String::with_capacity(bytes + hidden);
    out.push_str(&value[..bytes]);
    push_stars(&mut out, hidden);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conventions_for_each_class() {
        let cases = [
            (Privacy::Name, "李四光", "李**"),
            (Privacy::Name, "李四", "李*"),
            (Privacy::Name, "李", "*"),
            (Privacy::Phone, "13912345678", "139****5678"),
            (Privacy::Phone, "139 1234 5678", "139 **** 5678"),
            (Privacy::Phone, "09157518479", "0915*****79"),
            (Privacy::Phone, "010-12345678", "010-******78"),
            (Privacy::Phone, "0571-88880000", "0571-******00"),
            (Privacy::Phone, "(0571) 8888 0000", "(0571) **** **00"),
            (Privacy::Phone, "+86 13912345678", "+86 139****5678"),
            (Privacy::Phone, "12345", "*****"),
            (
                Privacy::IdNumber,
                "51343620000320711X",
                "5***************1X",
            ),
            (Privacy::IdNumber, "12", "**"),
            (
                Privacy::Address,
                "北京市海淀区马连洼街道289号",
                "北京市海淀区*********",
            ),
            (
                Privacy::Address,
                "浙江省杭州市余杭区文一路1号",
                "浙江省杭州市余杭区*****",
            ),
            (
                Privacy::Address,
                "内蒙古自治区呼和浩特市新城区",
                "内蒙古自治区呼和浩特市***",
            ),
            (Privacy::Address, "阳光小区3栋", "******"),
            (Privacy::Address, "北京市", "***"),
            (
                Privacy::Email,
                "duandazhi-jack@gmail.com.cn",
                "d*************@gmail.com.cn",
            ),
            (Privacy::Email, "a@x.cn", "*@x.cn"),
            (Privacy::Email, "not-an-email", "n***********"),
            (Privacy::Account, "6222020000001234", "622*********1234"),
            (Privacy::Account, "buyer@example.com", "b****@example.com"),
            (Privacy::Account, "zhang3", "z****3"),
            (Privacy::Nick, "测试买家01", "测****1"),
            (Privacy::Nick, "tb", "t*"),
            (Privacy::Plate, "京A12345", "京A****5"),
            (Privacy::Plate, "京A1", "***"),
        ];
        for (class, input, expected) in cases {
            assert_eq!(mask(class, input), expected, "{} {input}", class.as_str());
        }
    }

    #[test]
    fn one_star_per_hidden_character_and_length_kept() {
        let masked = mask(Privacy::Address, "上海市浦东新区样例大道88弄6号1201室");
        assert_eq!(
            masked.chars().count(),
            "上海市浦东新区样例大道88弄6号1201室".chars().count()
        );
        assert!(masked.starts_with("上海市浦东新区*"), "{masked}");
    }
}
