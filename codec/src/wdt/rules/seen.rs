//! The maps the cross-field rules use to find a value seen before in the same push (`tid`,
//! `oid`, `buyer_nick`).
//!
//! Their keys come from the input, so an unkeyed hash would let a sender choose values that
//! all land in one bucket and turn every lookup into a scan of the ones before: quadratic
//! time on a large push. The maps are therefore keyed with a secret drawn once per process.
//! The hash is foldhash (already compiled in: the JSON object maps of `serde_json` use it
//! through `hashbrown`), which mixes a short id in a few multiplications where the standard
//! library's SipHash runs several rounds per word. foldhash's own process seed comes from
//! addresses and the clock only, so the secret is taken from the standard library's randomly
//! keyed hasher instead, whose keys the operating system supplies.

use foldhash::fast::SeedableRandomState;
use foldhash::SharedSeed;
use std::collections::HashMap;
use std::hash::{BuildHasher, Hasher, RandomState};
use std::sync::OnceLock;

/// A map keyed by values of the input.
pub(crate) type SeenMap<K, V> = HashMap<K, V, SeedableRandomState>;

/// The process's secret: the per-map seed and the seed shared by every map.
static SECRET: OnceLock<(u64, SharedSeed)> = OnceLock::new();

/// An empty map with room for `capacity` entries, keyed with the process's secret.
pub(crate) fn map<K, V>(capacity: usize) -> SeenMap<K, V> {
    let (per_map, shared) =
        SECRET.get_or_init(|| (random_u64(), SharedSeed::from_u64(random_u64())));
    HashMap::with_capacity_and_hasher(capacity, SeedableRandomState::with_seed(*per_map, shared))
}

/// 64 random bits: what a SipHash keyed by the operating system makes of no input at all.
/// Each standard `RandomState` has keys of its own, so two calls differ.
fn random_u64() -> u64 {
    RandomState::new().build_hasher().finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    #[test]
    fn maps_share_one_secret_drawn_once() {
        let a: SeenMap<&str, ()> = map(0);
        let b: SeenMap<&str, ()> = map(0);
        assert_eq!(a.hasher().hash_one("T-1"), b.hasher().hash_one("T-1"));
        assert_ne!(a.hasher().hash_one("T-1"), a.hasher().hash_one("T-2"));
        assert_ne!(random_u64(), random_u64());
    }

    #[test]
    fn the_secret_is_not_foldhash_fixed_seed() {
        let keyed: SeenMap<&str, ()> = map(0);
        let fixed = foldhash::fast::FixedState::default();
        assert_ne!(keyed.hasher().hash_one("T-1"), fixed.hash_one("T-1"));
    }
}
