//! Strict parsing of the fixed-width date and time shapes Qimen uses.

fn digits(s: &[u8]) -> Option<u32> {
    if s.is_empty() || !s.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(s.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
}

fn days_in_month(year: u32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

/// Whether `s` is exactly `yyyy-MM-dd` naming a real calendar day.
pub fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return false;
    }
    match (digits(&b[..4]), digits(&b[5..7]), digits(&b[8..])) {
        (Some(y), Some(m), Some(d)) => {
            y >= 1 && (1..=12).contains(&m) && d >= 1 && d <= days_in_month(y, m)
        }
        _ => false,
    }
}

/// Whether `s` is exactly `HH:mm:ss` with hour 00–23.
pub fn is_time(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() != 8 || b[2] != b':' || b[5] != b':' {
        return false;
    }
    matches!(
        (digits(&b[..2]), digits(&b[3..5]), digits(&b[6..])),
        (Some(h), Some(m), Some(s)) if h < 24 && m < 60 && s < 60
    )
}

/// Whether `s` is exactly `yyyy-MM-dd HH:mm:ss` naming a real moment.
pub fn is_datetime(s: &str) -> bool {
    s.len() == 19 && s.as_bytes()[10] == b' ' && is_date(&s[..10]) && is_time(&s[11..])
}

/// Whether `s` has the digit-and-separator shape of `yyyy-MM-dd` (or of `yyyy-MM-dd HH:mm:ss`),
/// whatever the numbers.
fn well_shaped(s: &str) -> bool {
    let shape = |pattern: &str| {
        s.len() == pattern.len()
            && s.bytes().zip(pattern.bytes()).all(|(c, p)| match p {
                b'9' => c.is_ascii_digit(),
                p => c == p,
            })
    };
    shape("9999-99-99") || shape("9999-99-99 99:99:99") || shape("99:99:99")
}

/// A hint about the usual ways a date-time goes wrong, for the diagnostic.
pub fn hint(s: &str) -> &'static str {
    let b = s.as_bytes();
    if well_shaped(s) {
        " (no such day or time)"
    } else if s.contains('T') && s.len() >= 19 {
        " (ISO `T` separator; use a space)"
    } else if s.contains('/') {
        " (`/` separators; use `-`)"
    } else if s.len() == 13 && b.iter().all(u8::is_ascii_digit) {
        " (looks like Unix milliseconds, as the TOP Python SDK sends; write the GMT+8 date and time)"
    } else if s.len() >= 10 && b.iter().all(u8::is_ascii_digit) {
        " (looks like a Unix timestamp)"
    } else if s.len() > 19 && s.as_bytes().get(19) == Some(&b'.') {
        " (fractional seconds are not allowed)"
    } else if (s.len() == 10 && s.contains('-')) || s.len() < 19 {
        " (parts missing or not zero-padded)"
    } else {
        ""
    }
}

/// [`hint`] in Chinese.
pub fn hint_zh(s: &str) -> &'static str {
    hint_zh_of(hint(s))
}

/// The Chinese of one of [`hint`]'s answers.
pub fn hint_zh_of(hint: &str) -> &'static str {
    match hint {
        " (no such day or time)" => "（没有这一天或这个时刻）",
        " (ISO `T` separator; use a space)" => "（用了 ISO 的 `T` 分隔，应为空格）",
        " (`/` separators; use `-`)" => "（用了 `/` 分隔，应为 `-`）",
        " (looks like Unix milliseconds, as the TOP Python SDK sends; write the GMT+8 date and time)" => {
            "（像是 Unix 毫秒数，TOP 的 Python SDK 就这么发；应写北京时间的日期时间）"
        }
        " (looks like a Unix timestamp)" => "（像是 Unix 时间戳）",
        " (fractional seconds are not allowed)" => "（秒不能带小数）",
        " (parts missing or not zero-padded)" => "（缺少部分，或没有补零）",
        " (a formatted date-time: is this a Qimen request?)" => {
            "（这是格式化的日期时间：是不是奇门的请求？）"
        }
        _ => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calendar_rules() {
        assert!(is_date("2024-02-29"));
        assert!(!is_date("2023-02-29"));
        assert!(!is_date("2020-9-26"));
        assert!(!is_date("2020-13-01"));
        assert!(is_time("23:59:59"));
        assert!(!is_time("24:00:00"));
        assert!(is_datetime("2020-09-26 13:53:08"));
        assert!(!is_datetime("2020-09-26T13:53:08"));
        assert!(!is_datetime("2020-09-26 13:53"));
        assert_eq!(hint("2024-02-30"), " (no such day or time)");
        assert_eq!(hint("2024-02-30 25:00:00"), " (no such day or time)");
        assert_eq!(hint("2020-9-26"), " (parts missing or not zero-padded)");
        assert!(hint("1714528800000").contains("milliseconds"));
        assert_eq!(hint("1714528800"), " (looks like a Unix timestamp)");
    }
}
