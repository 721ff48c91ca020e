//! The limits that bound what one document may cost to decode.

/// Hard limits that bound the time and memory one document can cost.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted input, in bytes (default 16 MiB; never more than
    /// [`crate::wire::text::MAX_INPUT_BYTES`], 64 MiB).
    pub max_bytes: usize,
    /// Deepest element nesting (XML elements, JSON objects and arrays), counting the root as 1
    /// (default 64). Never more than [`Limits::MAX_DEPTH`], 512: a larger value counts as
    /// 512, so decoding the deepest document allowed fits in a thread's stack of 2 MiB.
    pub max_depth: u32,
    /// Most children in one list wrapper, items and unknown elements together (default 20,000).
    pub max_list_items: u32,
    /// Most list items, map entries and pieces kept outside the contract (unknown elements or
    /// keys, stray text) in one whole document, every list together (default 100,000). What a
    /// document costs in memory grows with these, not with its bytes: `{}` is three bytes in
    /// the input and a whole order line in the model, so without this bound a 15 MB push of
    /// empty lines decoded into gigabytes.
    pub max_items: u32,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_bytes: 16 * 1024 * 1024,
            max_depth: 64,
            max_list_items: 20_000,
            max_items: 100_000,
        }
    }
}

impl Limits {
    /// The hard ceiling on [`Limits::max_depth`]: the JSON reader takes a few stack frames per
    /// level, and a caller's `u32::MAX` must not turn a deeply nested input into a stack
    /// overflow.
    pub const MAX_DEPTH: u32 = 512;

    /// [`Limits::max_depth`], at most [`Limits::MAX_DEPTH`]: the nesting the decoders allow.
    pub fn depth(&self) -> u32 {
        self.max_depth.min(Limits::MAX_DEPTH)
    }
}
