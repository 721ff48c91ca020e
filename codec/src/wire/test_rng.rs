//! Deterministic pseudo-random numbers for the property tests (xorshift64*), so they need no
//! crate and every run sees the same inputs.

/// The generator; its state is the seed to start from (any value but 0).
pub(crate) struct Rng(pub(crate) u64);

impl Rng {
    /// The next 64 bits.
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Heads or tails.
    pub(crate) fn coin(&mut self) -> bool {
        self.next() % 2 == 0
    }

    /// A number below `n` (which must not be 0).
    pub(crate) fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }

    /// One of `items` (which must not be empty).
    pub(crate) fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len() as u64) as usize]
    }
}
