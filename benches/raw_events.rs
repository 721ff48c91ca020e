//! The XML baseline `decode.rs` and `redact.rs` share: a bare quick-xml event loop. Included
//! with `mod raw_events;`.

use quick_xml::events::Event;
use quick_xml::Reader;
use std::hint::black_box;

/// Every event of `input` read with quick-xml's borrowed slice reader, nothing else. Returns the
/// number of events so the loop cannot be optimised away.
pub(crate) fn raw_events(input: &str) -> usize {
    let mut reader = Reader::from_str(input);
    let mut events = 0usize;
    loop {
        match reader.read_event() {
            Ok(Event::Eof) => break,
            Ok(event) => {
                black_box(event);
                events += 1;
            }
            Err(e) => panic!("benchmark input is not well-formed XML: {e}"),
        }
    }
    events
}
