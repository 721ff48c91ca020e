//! Replay protection: the signs already accepted, each kept until its timestamp leaves the
//! window (after that the timestamp check refuses a replay by itself). Bounded: at most
//! `cap` signs are kept; when the cache is full of signs that are all still inside their
//! window, a new request is refused ([`Seen::Full`]) rather than an old sign forgotten, since a
//! forgotten sign could be replayed.

use std::collections::{BTreeSet, HashMap};

/// What the cache says about a request's sign.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Seen {
    /// First time: now recorded.
    New,
    /// Already accepted inside its window.
    Replay,
    /// Not seen, but the cache holds `cap` live signs: refused, not recorded.
    Full,
}

/// One sign: route, `app_key` and `sign`, NUL-separated (none of them holds a NUL: the route is
/// a configured path, the others are decoded query values checked to be without one by the
/// caller's sign check, and a stray NUL only makes a key more distinct).
type Key = String;

/// The signs accepted and when each may be forgotten.
#[derive(Debug)]
pub(crate) struct Cache {
    cap: usize,
    /// Key → the Unix second after which it may be forgotten.
    until: HashMap<Key, i64>,
    /// The same entries ordered by that second, to forget the oldest first.
    order: BTreeSet<(i64, Key)>,
}

impl Cache {
    /// A cache of at most `cap` signs.
    pub(crate) fn new(cap: usize) -> Cache {
        Cache {
            cap,
            until: HashMap::new(),
            order: BTreeSet::new(),
        }
    }

    /// Looks up and records the sign of a request whose timestamp is `ts` on a route with a
    /// window of `window` seconds, at Unix time `now`. The sign is kept until `ts + window`:
    /// after that, the timestamp check refuses the request anyway.
    pub(crate) fn check(
        &mut self,
        route: &str,
        app_key: &str,
        sign: &str,
        ts: i64,
        window: i64,
        now: i64,
    ) -> Seen {
        self.expire(now);
        let key = format!("{route}\0{app_key}\0{sign}");
        if self.until.contains_key(&key) {
            return Seen::Replay;
        }
        if self.until.len() >= self.cap {
            return Seen::Full;
        }
        let until = ts.saturating_add(window);
        self.order.insert((until, key.clone()));
        self.until.insert(key, until);
        Seen::New
    }

    /// Forgets a sign recorded by [`Cache::check`]: for a request that certainly never reached
    /// the upstream (it could not be connected), so that the sender's retry with the same sign
    /// is not refused as a replay.
    pub(crate) fn forget(&mut self, route: &str, app_key: &str, sign: &str) {
        let key = format!("{route}\0{app_key}\0{sign}");
        if let Some(until) = self.until.remove(&key) {
            self.order.remove(&(until, key));
        }
    }

    /// The number of signs kept.
    pub(crate) fn len(&self) -> usize {
        self.until.len()
    }

    fn expire(&mut self, now: i64) {
        while let Some((until, _)) = self.order.first() {
            if *until >= now {
                break;
            }
            if let Some((_, key)) = self.order.pop_first() {
                self.until.remove(&key);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Cache, Seen};

    #[test]
    fn a_sign_is_refused_a_second_time_until_its_window_ends() {
        let mut c = Cache::new(10);
        assert_eq!(c.check("/q", "k", "S1", 1000, 300, 1000), Seen::New);
        assert_eq!(c.check("/q", "k", "S1", 1000, 300, 1200), Seen::Replay);
        assert_eq!(c.check("/q", "k2", "S1", 1000, 300, 1200), Seen::New);
        assert_eq!(c.check("/r", "k", "S1", 1000, 300, 1200), Seen::New);
        assert_eq!(c.check("/q", "k", "S1", 1000, 300, 1300), Seen::Replay);
        // At 1301 the timestamp 1000 is out of a 300 s window: the entry is gone.
        assert_eq!(c.check("/q", "k", "S2", 1301, 300, 1301), Seen::New);
        assert_eq!(c.len(), 1);
    }

    #[test]
    fn a_full_cache_refuses_new_signs_and_frees_room_as_they_expire() {
        let mut c = Cache::new(2);
        assert_eq!(c.check("/q", "k", "A", 100, 10, 100), Seen::New);
        assert_eq!(c.check("/q", "k", "B", 105, 10, 100), Seen::New);
        assert_eq!(c.check("/q", "k", "C", 100, 10, 101), Seen::Full);
        // A is never forgotten to make room: it is still refused as a replay.
        assert_eq!(c.check("/q", "k", "A", 100, 10, 101), Seen::Replay);
        assert_eq!(c.check("/q", "k", "C", 111, 10, 111), Seen::New);
        assert_eq!(c.len(), 2);
        c.forget("/q", "k", "C");
        assert_eq!(c.len(), 1);
        assert_eq!(c.check("/q", "k", "C", 111, 10, 111), Seen::New);
    }
}
