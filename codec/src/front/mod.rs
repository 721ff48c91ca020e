//! The front door's machinery: linting and redacting any input shape.

pub(crate) mod lint;
pub(crate) mod redact;

use crate::error::{DecodeError, DecodeErrorKind};
use crate::options::Limits;

/// The error for an input larger than [`Limits::max_bytes`], whatever its shape: the limit is on
/// the input as given (a whole `.http` file, a form as posted), checked before anything is
/// decoded, by [`crate::lint`] and [`crate::redact()`] alike.
fn over_limit(input: &[u8], limits: &Limits) -> Option<DecodeError> {
    let max = limits.max_bytes.min(crate::wire::text::MAX_INPUT_BYTES);
    (input.len() > max).then(|| {
        DecodeError::new(
            DecodeErrorKind::Limit,
            max,
            format!("input is over the limit of {max} bytes (--max-bytes)"),
        )
        .with_zh(format!("输入超过 {max} 字节的上限（--max-bytes）"))
    })
}
