//! Request timestamps and their freshness windows.
//!
//! - Qimen / TOP: `timestamp=yyyy-MM-dd HH:mm:ss`, wall time in GMT+8 (`Constants.DATE_TIMEZONE`).
//!   TOP allows ±10 minutes ([`QIMEN_WINDOW`], configurable: `SpiUtils` receivers check 5).
//! - wdt 企业版: Unix seconds, ±5 minutes ([`WDT_WINDOW`]).
//! - wdt 旗舰版: Unix seconds − 1325347200 (seconds since 2012-01-01 00:00:00 GMT+8), ±120 s
//!   ([`WDT_ULTIMATE_WINDOW`]).
//!
//! Every check takes `now` (Unix seconds) instead of reading the clock, so results are
//! deterministic. The calendar arithmetic is done here (proleptic Gregorian, no time zone
//! database): GMT+8 has had no daylight saving time since 1991.
//!
//! ```
//! use qmwire::wire::timestamp::{check_qimen, Check, QIMEN_WINDOW};
//!
//! let now = qmwire::wire::timestamp::parse_qimen("2024-05-01 10:00:00").unwrap();
//! assert_eq!(now, 1714528800);
//! // a sender that wrote UTC wall time is 8 hours behind
//! let c = check_qimen("2024-05-01 02:00:00", now, QIMEN_WINDOW).unwrap();
//! assert!(matches!(c, Check::Outside { offset: -28800, timezone: true, .. }));
//! ```

use crate::wire::calendar;
use std::fmt;

/// GMT+8 (Beijing time), in seconds east of UTC.
pub const GMT8_OFFSET: i64 = 8 * 3600;
/// The TOP / Qimen client tolerance: ±10 minutes.
pub const QIMEN_WINDOW: i64 = 600;
/// The wdt 企业版 tolerance: ±5 minutes.
pub const WDT_WINDOW: i64 = 300;
/// The wdt 旗舰版 tolerance: ±120 seconds.
pub const WDT_ULTIMATE_WINDOW: i64 = 120;
/// The wdt 旗舰版 epoch, 2012-01-01 00:00:00 GMT+8, in Unix seconds.
pub const WDT_ULTIMATE_EPOCH: i64 = 1_325_347_200;

/// Days from 1970-01-01 to the given proleptic Gregorian date (negative before it).
/// `month` is 1–12, `day` 1–31; the date is not checked.
pub fn days_from_civil(year: i64, month: u32, day: u32) -> i64 {
    // Howard Hinnant's algorithm: years start in March, so the leap day is last.
    let y = if month <= 2 { year - 1 } else { year };
    let era = y.div_euclid(400);
    let yoe = y - era * 400; // [0, 399]
    let m = i64::from(month);
    let mp = (m + 9) % 12; // March = 0
    let doy = (153 * mp + 2) / 5 + i64::from(day) - 1; // [0, 365]
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy; // [0, 146096]
    era * 146_097 + doe - 719_468
}

/// Parses a Qimen timestamp, `yyyy-MM-dd HH:mm:ss` in GMT+8, into Unix seconds.
pub fn parse_qimen(s: &str) -> Result<i64, TimestampError> {
    if !calendar::is_datetime(s) {
        return Err(TimestampError {
            found: s.to_string(),
            expected: "`yyyy-MM-dd HH:mm:ss` (GMT+8)",
            hint: calendar::hint(s),
        });
    }
    let n = |r: std::ops::Range<usize>| -> i64 { s[r].parse().unwrap_or(0) };
    let days = days_from_civil(n(0..4), n(5..7) as u32, n(8..10) as u32);
    let secs = days * 86_400 + n(11..13) * 3600 + n(14..16) * 60 + n(17..19);
    Ok(secs - GMT8_OFFSET)
}

/// Formats Unix seconds as a Qimen timestamp (GMT+8 wall time).
pub fn format_qimen(unix: i64) -> String {
    let local = unix + GMT8_OFFSET;
    let (days, secs) = (local.div_euclid(86_400), local.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02}:{:02}",
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// The date of a day count from 1970-01-01 (inverse of [`days_from_civil`]).
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// A timestamp that is not in the expected format.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TimestampError {
    /// The value found.
    pub found: String,
    /// The format expected.
    pub expected: &'static str,
    /// A hint about the usual mistake (may be empty), with a leading space.
    pub hint: &'static str,
}

impl fmt::Display for TimestampError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "expected {}, found `{}`{}",
            self.expected, self.found, self.hint
        )
    }
}

impl std::error::Error for TimestampError {}

impl TimestampError {
    /// The error in Chinese.
    pub fn zh(&self) -> String {
        let expected = match self.expected {
            "unix seconds" => "Unix 秒数",
            "unix seconds − 1325347200" => "Unix 秒数 − 1325347200",
            _ => "`yyyy-MM-dd HH:mm:ss`（北京时间）",
        };
        let hint = match self.hint {
            " (a formatted date-time; send seconds)" => "（这是格式化的日期时间，应发秒数）",
            other => super::calendar::hint_zh_of(other),
        };
        format!("应为 {expected}，实际为 `{}`{hint}", self.found)
    }
}

/// The outcome of a window check. `offset` is timestamp − now in seconds (positive: in the
/// future).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Check {
    /// Within ±`window` of now.
    Within {
        /// Timestamp − now, in seconds.
        offset: i64,
    },
    /// Outside the window.
    Outside {
        /// Timestamp − now, in seconds.
        offset: i64,
        /// The allowed skew, in seconds.
        window: i64,
        /// The offset is about ±8 hours: the sender probably used UTC or its local time.
        timezone: bool,
    },
}

impl Check {
    /// Timestamp − now, in seconds.
    pub fn offset(self) -> i64 {
        match self {
            Check::Within { offset } | Check::Outside { offset, .. } => offset,
        }
    }

    /// True when within the window.
    pub fn is_within(self) -> bool {
        matches!(self, Check::Within { .. })
    }
}

impl fmt::Display for Check {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            Check::Within { offset } => write!(f, "within the window ({} off)", duration(offset)),
            Check::Outside {
                offset,
                window,
                timezone,
            } => {
                let side = if offset < 0 { "behind" } else { "ahead of" };
                write!(
                    f,
                    "expected within ±{} of now, found {} {side} now",
                    duration(window),
                    duration(offset.abs())
                )?;
                if timezone {
                    f.write_str(
                        "; probable timezone bug: the timestamp looks like UTC (or local time) \
                         instead of GMT+8",
                    )?;
                }
                Ok(())
            }
        }
    }
}

impl Check {
    /// The outcome in Chinese, as [`Check`]'s `Display` words it in English.
    pub fn zh(&self) -> String {
        match *self {
            Check::Within { offset } => format!("在允许范围内（相差 {}）", duration(offset)),
            Check::Outside {
                offset,
                window,
                timezone,
            } => {
                let side = if offset < 0 { "慢" } else { "快" };
                let tz = if timezone {
                    "；很可能是时区错误：时间戳像是 UTC（或本地时间），而不是北京时间"
                } else {
                    ""
                };
                format!(
                    "应在当前时间 ±{} 之内，实际比当前时间{side} {}{tz}",
                    duration(window),
                    duration(offset.abs())
                )
            }
        }
    }
}

/// `1h 2m 3s`, `10m`, `45s` (of the absolute value).
fn duration(secs: i64) -> String {
    let s = secs.unsigned_abs();
    let (h, m, s) = (s / 3600, s / 60 % 60, s % 60);
    let mut parts = Vec::new();
    if h > 0 {
        parts.push(format!("{h}h"));
    }
    if m > 0 {
        parts.push(format!("{m}m"));
    }
    if s > 0 || parts.is_empty() {
        parts.push(format!("{s}s"));
    }
    parts.join(" ")
}

/// Checks `timestamp` (Unix seconds) against `now` ± `window` seconds. Outside the window, an
/// offset within `max(window, 60)` seconds of ±8 hours is flagged as a time zone mistake.
pub fn check(timestamp: i64, now: i64, window: i64) -> Check {
    let offset = timestamp.saturating_sub(now);
    let window = window.max(0);
    if offset.abs() <= window {
        return Check::Within { offset };
    }
    let timezone = (offset.abs() - GMT8_OFFSET).abs() <= window.max(60);
    Check::Outside {
        offset,
        window,
        timezone,
    }
}

/// Checks a Qimen `timestamp` (`yyyy-MM-dd HH:mm:ss`, GMT+8) against `now` ± `window`.
pub fn check_qimen(value: &str, now: i64, window: i64) -> Result<Check, TimestampError> {
    Ok(check(parse_qimen(value)?, now, window))
}

fn parse_seconds(value: &str, expected: &'static str) -> Result<i64, TimestampError> {
    let ok = !value.is_empty() && value.len() <= 12 && value.bytes().all(|b| b.is_ascii_digit());
    match value.parse::<i64>() {
        Ok(n) if ok => Ok(n),
        _ => Err(TimestampError {
            found: value.to_string(),
            expected,
            hint: if calendar::is_datetime(value) {
                " (a formatted date-time; send seconds)"
            } else {
                ""
            },
        }),
    }
}

/// Checks a wdt 企业版 `timestamp` (Unix seconds) against `now` ± `window` seconds (the
/// documented window is [`WDT_WINDOW`], 5 minutes).
pub fn check_wdt(value: &str, now: i64, window: i64) -> Result<Check, TimestampError> {
    let ts = parse_seconds(value, "unix seconds")?;
    Ok(check(ts, now, window))
}

/// Checks a wdt 旗舰版 `timestamp` (Unix seconds − 1325347200) against `now` ± 120 seconds.
pub fn check_wdt_ultimate(value: &str, now: i64) -> Result<Check, TimestampError> {
    let ts = parse_seconds(value, "unix seconds − 1325347200")?;
    Ok(check(ts + WDT_ULTIMATE_EPOCH, now, WDT_ULTIMATE_WINDOW))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_from_civil_known_dates() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(1969, 12, 31), -1);
        assert_eq!(days_from_civil(2000, 1, 1), 10_957);
        assert_eq!(days_from_civil(2000, 2, 29), 11_016); // 2000 is a leap year
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(
            days_from_civil(1900, 3, 1) - days_from_civil(1900, 2, 28),
            1
        ); // 1900 is not
        assert_eq!(
            days_from_civil(2024, 3, 1) - days_from_civil(2024, 2, 28),
            2
        );
        assert_eq!(
            days_from_civil(2023, 3, 1) - days_from_civil(2023, 2, 28),
            1
        );
        assert_eq!(parse_qimen("2012-01-01 00:00:00"), Ok(WDT_ULTIMATE_EPOCH));
        for z in [-800_000, -1, 0, 1, 11_016, 19_783, 2_932_896] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z, "{y}-{m}-{d}");
        }
    }

    #[test]
    fn qimen_timestamps_are_gmt8() {
        // 2016-01-01 12:00:00 in Beijing is 04:00:00 UTC.
        assert_eq!(parse_qimen("2016-01-01 12:00:00"), Ok(1_451_620_800));
        assert_eq!(parse_qimen("1970-01-01 08:00:00"), Ok(0));
        assert_eq!(parse_qimen("2024-02-29 23:59:59"), Ok(1_709_222_399));
        assert_eq!(format_qimen(1_709_222_399), "2024-02-29 23:59:59");
        assert_eq!(format_qimen(0), "1970-01-01 08:00:00");
        let e = parse_qimen("2023-02-29 00:00:00").unwrap_err();
        assert_eq!(
            e.to_string(),
            "expected `yyyy-MM-dd HH:mm:ss` (GMT+8), found `2023-02-29 00:00:00` (no such day or time)"
        );
        assert!(parse_qimen("2016-01-01T12:00:00").is_err());
        assert!(parse_qimen("1451620800").is_err());
    }

    #[test]
    fn windows_and_eight_hour_detection() {
        let now = parse_qimen("2024-05-01 10:00:00").unwrap();
        assert_eq!(
            check_qimen("2024-05-01 10:09:59", now, QIMEN_WINDOW),
            Ok(Check::Within { offset: 599 })
        );
        let c = check_qimen("2024-05-01 09:49:00", now, QIMEN_WINDOW).unwrap();
        assert_eq!(
            c,
            Check::Outside {
                offset: -660,
                window: 600,
                timezone: false
            }
        );
        assert_eq!(
            c.to_string(),
            "expected within ±10m of now, found 11m behind now"
        );
        // UTC wall time: 8 hours behind, and a few minutes of transit.
        let c = check_qimen("2024-05-01 02:03:00", now, QIMEN_WINDOW).unwrap();
        assert!(matches!(
            c,
            Check::Outside {
                offset: -28_620,
                timezone: true,
                ..
            }
        ));
        assert!(c.to_string().ends_with(
            "probable timezone bug: the timestamp looks like UTC (or local time) instead of GMT+8"
        ));
        // 8 hours ahead (converted twice) is flagged too; 7 hours is not.
        assert!(matches!(
            check(now + GMT8_OFFSET + 30, now, 0),
            Check::Outside { timezone: true, .. }
        ));
        assert!(matches!(
            check(now - 7 * 3600, now, QIMEN_WINDOW),
            Check::Outside {
                timezone: false,
                ..
            }
        ));
    }

    #[test]
    fn wdt_windows() {
        let now = 1_470_042_310;
        assert_eq!(
            check_wdt("1470042010", now, WDT_WINDOW),
            Ok(Check::Within { offset: -300 })
        );
        assert!(!check_wdt("1470042009", now, WDT_WINDOW)
            .unwrap()
            .is_within());
        assert!(matches!(
            check_wdt("1470013510", now, WDT_WINDOW),
            Ok(Check::Outside { timezone: true, .. })
        ));
        assert!(check_wdt("2016-08-01 17:05:10", now, WDT_WINDOW)
            .unwrap_err()
            .to_string()
            .contains("send seconds"));
        assert!(check_wdt("-5", now, WDT_WINDOW).is_err());
        let ultimate = (now - WDT_ULTIMATE_EPOCH).to_string();
        assert!(check_wdt_ultimate(&ultimate, now).unwrap().is_within());
        assert_eq!(
            check_wdt_ultimate(&(now - WDT_ULTIMATE_EPOCH - 121).to_string(), now)
                .unwrap()
                .offset(),
            -121
        );
        // a plain unix timestamp sent to 旗舰版 is ~12 years ahead
        assert!(!check_wdt_ultimate(&now.to_string(), now)
            .unwrap()
            .is_within());
    }
}
