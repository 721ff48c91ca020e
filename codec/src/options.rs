//! What a caller can tune: the limits of one document, and (see [`Options`]) everything the
//! front door passes to every input shape.

/// Hard limits that bound the time and memory one document can cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted input, in bytes (default 16 MiB; never more than
    /// [`crate::wire::text::MAX_INPUT_BYTES`], 64 MiB).
    pub max_bytes: usize,
    /// Deepest element nesting, counting the root as 1 (default 64).
    pub max_depth: u32,
    /// Most children in one list wrapper, items and unknown elements together (default 20,000).
    pub max_list_items: u32,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_bytes: 16 * 1024 * 1024,
            max_depth: 64,
            max_list_items: 20_000,
        }
    }
}
