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

/// The masked form of `value` (already trimmed) for `class`.
pub fn mask(class: Privacy, value: &str) -> String {
    // Room for every character at once (a byte each at most), instead of growing as CJK text
    // (3 bytes a character) is read.
    let mut chars: Vec<char> = Vec::with_capacity(value.len());
    chars.extend(value.chars());
    match class {
        Privacy::Name => keep_ends(&chars, 1, 0),
        Privacy::Phone => phone(&chars),
        Privacy::IdNumber => keep_ends(&chars, 1, 2),
        Privacy::Address => address(&chars),
        Privacy::Email => email(&chars),
        Privacy::Account => account(&chars),
        Privacy::Nick => match chars.len() {
            0..=2 => keep_ends(&chars, 1, 0),
            _ => keep_ends(&chars, 1, 1),
        },
        Privacy::Plate => keep_ends(&chars, 2, 1),
    }
}

/// Keeps `head` characters at the start and `tail` at the end; hides everything when that
/// would hide nothing.
fn keep_ends(chars: &[char], head: usize, tail: usize) -> String {
    let n = chars.len();
    if n <= head + tail {
        return "*".repeat(n);
    }
    let mut out = String::with_capacity(
        utf8_len(&chars[..head]) + n - head - tail + utf8_len(&chars[n - tail..]),
    );
    out.extend(&chars[..head]);
    out.extend(std::iter::repeat_n('*', n - head - tail));
    out.extend(&chars[n - tail..]);
    out
}

/// Characters a phone number may be written with besides its digits; they are kept in place.
fn is_phone_separator(c: char) -> bool {
    matches!(
        c,
        '-' | ' ' | '(' | ')' | '+' | '.' | '/' | '（' | '）' | '－'
    )
}

/// Phone numbers: every character that is not a separator is a "unit" (normally a digit; a
/// `*` from an earlier masking counts as one too, and so does any stray letter, which is hidden
/// like a digit). The decision between mobile and fixed line looks only at the number of units,
/// the separators and the first unit, all of which masking keeps.
fn phone(chars: &[char]) -> String {
    let all: Vec<usize> = (0..chars.len())
        .filter(|&i| !is_phone_separator(chars[i]))
        .collect();
    let group_end = |units: &[usize]| {
        units
            .windows(2)
            .position(|w| w[1] != w[0] + 1)
            .map(|i| i + 1)
    };
    // An international prefix (`+86 …`) is kept as written; the rules apply to the rest.
    let country = match (chars.first(), group_end(&all)) {
        (Some('+'), Some(g)) => g,
        _ => 0,
    };
    let units = &all[country..];
    let n = units.len();
    let kept: Box<dyn Fn(usize) -> bool> = if n == 11 && chars[units[0]] == '1' {
        // Mobile: 3 + 4.
        Box::new(move |k| k < 3 || k >= n - 4)
    } else if let Some(area) = group_end(units).filter(|&a| (2..=5).contains(&a) && a + 2 < n) {
        // Fixed line written with an area code group: `010-12345678`, `(0571) 8888 0000`.
        Box::new(move |k| k < area || k >= n - 2)
    } else if n > 6 {
        Box::new(move |k| k < 4 || k >= n - 2)
    } else {
        Box::new(|_| false)
    };
    let mut out: Vec<char> = chars.to_vec();
    for (k, &i) in units.iter().enumerate() {
        if !kept(k) {
            out[i] = '*';
        }
    }
    let mut text = String::with_capacity(utf8_len(&out));
    text.extend(out);
    text
}

/// How many bytes `chars` take in UTF-8.
fn utf8_len(chars: &[char]) -> usize {
    chars.iter().map(|c| c.len_utf8()).sum()
}

/// E-mail: the first character of the local part and everything from the last `@` on.
fn email(chars: &[char]) -> String {
    match chars.iter().rposition(|&c| c == '@') {
        Some(at) if at > 0 => {
            let mut out = keep_ends(&chars[..at], 1, 0);
            out.extend(&chars[at..]);
            out
        }
        _ => keep_ends(chars, 1, 0),
    }
}

/// Payment accounts: an e-mail address like `email`, a long number like a bank card.
fn account(chars: &[char]) -> String {
    if chars.contains(&'@') {
        email(chars)
    } else if chars.len() > 10 {
        keep_ends(chars, 3, 4)
    } else {
        keep_ends(chars, 1, 1)
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

/// How many leading characters of an address are its province / city / district names.
///
/// The prefix is made of up to three segments, each tried in turn at the current position:
/// 1. province: a name ending in `省`, `自治区`, `特别行政区`, or `市` (a municipality);
/// 2. city: ending in `市`, `自治州`, `州`, `地区` or `盟`;
/// 3. district: ending in `区`, `县`, `旗` or `市`, and only after a province or city segment
///    (so that a bare `阳光小区` is not taken for a district).
///
/// A segment is the shortest run of 2 to 12 CJK characters that ends in one of its suffixes; a
/// digit, letter, punctuation or `*` ends the search. A level that does not match is skipped.
pub fn address_prefix(chars: &[char]) -> usize {
    let mut at = 0;
    let mut segments = Vec::new();
    for (level, suffixes) in [PROVINCE, CITY, DISTRICT].into_iter().enumerate() {
        if level == 2 && segments.is_empty() {
            break;
        }
        if let Some(len) = segment(&chars[at..], suffixes) {
            at += len;
            segments.push(at);
        }
    }
    // Something must stay hidden: give up segments from the end until it does.
    while at == chars.len() && at > 0 {
        segments.pop();
        at = segments.last().copied().unwrap_or(0);
    }
    at
}

fn segment(chars: &[char], suffixes: &[&str]) -> Option<usize> {
    let run = chars
        .iter()
        .take(MAX_SEGMENT)
        .take_while(|&&c| is_name_char(c))
        .count();
    (2..=run).find(|&len| suffixes.iter().any(|s| ends_with(&chars[..len], s)))
}

/// Whether `chars` ends with the characters of `suffix`.
fn ends_with(chars: &[char], suffix: &str) -> bool {
    let mut at = chars.len();
    for c in suffix.chars().rev() {
        match at.checked_sub(1) {
            Some(i) if chars[i] == c => at = i,
            _ => return false,
        }
    }
    true
}

/// Addresses: the division prefix is kept, every later character hidden.
fn address(chars: &[char]) -> String {
    let keep = address_prefix(chars);
    let mut out = String::with_capacity(utf8_len(&chars[..keep]) + chars.len() - keep);
    out.extend(&chars[..keep]);
    out.extend(std::iter::repeat_n('*', chars.len() - keep));
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
