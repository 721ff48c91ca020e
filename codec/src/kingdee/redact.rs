//! Redacting 金蝶 WebAPI bodies with the shared collector and rewrite engine: every non-blank
//! value of a field the 金蝶 spec classifies as personal is rewritten in place, as in wdt JSON.
//! The sales-return bill's spec classifies none (its references are numbers of base data and
//! its remarks are free text, which no spec classifies), so a bill passes through unchanged
//! once it decodes; input that does not decode is refused.

use super::document::decode_kingdee;
use crate::model::kingdee;
use crate::options::Options;
use crate::redact::{finish, json_edit, Apply, RedactError, Redacted};

/// Redacts one 金蝶 body.
pub(crate) fn redact_json(
    input: &[u8],
    method: Option<&str>,
    apply: Apply<'_>,
    options: &Options,
) -> Result<Redacted, RedactError> {
    let spec = match method {
        None => None,
        Some(m) => Some(kingdee::method(m).ok_or_else(|| RedactError::UnknownMethod(m.into()))?),
    };
    let doc = decode_kingdee(input, spec, &options.limits).map_err(RedactError::Decode)?;
    let collected = crate::privacy::kingdee_found(&doc.body);
    if let Some(p) = collected.problem {
        return Err(p.into());
    }
    let edits = collected
        .found
        .iter()
        .map(|f| json_edit(f, apply))
        .collect();
    finish(
        input,
        Some(doc.input),
        edits,
        Some(doc.body.kind().method()),
        "kingdee",
        Vec::new(),
        None,
    )
}
