//! Byte spans into the input and their conversion to line:column.

/// A byte range `start..end` into the original input.
///
/// Spans are what every decoded value and every issue carries, so a diagnostic can always point
/// at the exact bytes it is about.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    /// First byte (inclusive).
    pub start: u32,
    /// One past the last byte.
    pub end: u32,
}

impl Span {
    /// A span from byte offsets.
    pub fn new(start: usize, end: usize) -> Span {
        Span {
            start: start as u32,
            end: end as u32,
        }
    }

    /// The range as `usize` offsets, for slicing the input.
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }

    /// Length in bytes.
    pub fn len(self) -> usize {
        (self.end - self.start) as usize
    }

    /// Whether the span covers no bytes.
    pub fn is_empty(self) -> bool {
        self.start == self.end
    }
}

/// A 1-based line and column; the column counts characters, not bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LineCol {
    /// 1-based line number.
    pub line: u32,
    /// 1-based column, in Unicode characters.
    pub column: u32,
}

/// Converts byte offsets into line:column. Built only when there is something to report.
///
/// Each lookup costs a binary search and a count over at most 4 KiB, however long
/// the line: a one-line input of megabytes with thousands of issues costs no more per issue than
/// a short one.
pub struct LineIndex<'a> {
    input: &'a str,
    line_starts: Vec<usize>,
    /// For every [`CHECKPOINT`] bytes of input: the checkpoint's offset (snapped back to a char
    /// boundary) and how many characters come before it.
    checkpoints: Vec<(usize, usize)>,
}

/// Bytes between two character-count checkpoints of a [`LineIndex`].
const CHECKPOINT: usize = 4096;

impl<'a> LineIndex<'a> {
    /// Indexes the line starts of `input`, and the character count every 4 KiB.
    pub fn new(input: &'a str) -> LineIndex<'a> {
        let mut line_starts = vec![0];
        line_starts.extend(input.match_indices('\n').map(|(i, _)| i + 1));
        let mut checkpoints = Vec::with_capacity(input.len() / CHECKPOINT + 1);
        let (mut at, mut chars) = (0, 0);
        for k in 0..=input.len() / CHECKPOINT {
            let mut next = k * CHECKPOINT;
            while !input.is_char_boundary(next) {
                next -= 1;
            }
            chars += input[at..next].chars().count();
            at = next;
            checkpoints.push((at, chars));
        }
        LineIndex {
            input,
            line_starts,
            checkpoints,
        }
    }

    /// How many characters come before byte `offset` (a char boundary).
    fn chars_before(&self, offset: usize) -> usize {
        let (at, chars) = self.checkpoints[offset / CHECKPOINT];
        chars + self.input[at..offset].chars().count()
    }

    /// Line and column of byte `offset` (clamped to the input, snapped back to a char boundary).
    pub fn line_col(&self, offset: usize) -> LineCol {
        let mut offset = offset.min(self.input.len());
        while !self.input.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.line_starts.partition_point(|&s| s <= offset) - 1;
        let start = self.line_starts[line];
        let column = self.chars_before(offset) - self.chars_before(start) + 1;
        LineCol {
            line: line as u32 + 1,
            column: column as u32,
        }
    }

    /// The text of 1-based `line`, without its line ending.
    pub fn line_text(&self, line: u32) -> &'a str {
        let i = (line as usize)
            .saturating_sub(1)
            .min(self.line_starts.len() - 1);
        let start = self.line_starts[i];
        let end = self
            .line_starts
            .get(i + 1)
            .map_or(self.input.len(), |&e| e - 1);
        self.input[start..end].trim_end_matches('\r')
    }

    /// Byte offset where 1-based `line` starts.
    pub fn line_start(&self, line: u32) -> usize {
        let i = (line as usize)
            .saturating_sub(1)
            .min(self.line_starts.len() - 1);
        self.line_starts[i]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_count_characters() {
        let idx = LineIndex::new("<a>\n  <b>收货人</b>\n");
        let off = "<a>\n  <b>收货人".len();
        assert_eq!(idx.line_col(off), LineCol { line: 2, column: 9 });
        assert_eq!(idx.line_text(2), "  <b>收货人</b>");
        assert_eq!(idx.line_col(0), LineCol { line: 1, column: 1 });
    }

    #[test]
    fn columns_on_long_lines_agree_with_counting_from_the_line_start() {
        // Multi-byte characters straddle the checkpoints; lines of every length.
        let mut input = String::new();
        for i in 0..3_000 {
            input.push_str(&"收a😀".repeat(i % 700));
            input.push_str(if i % 3 == 0 { "\r\n" } else { "\n" });
        }
        input.push_str(&"x店".repeat(20_000));
        let idx = LineIndex::new(&input);
        let mut line_start = 0;
        let mut line = 1;
        for (offset, c) in input.char_indices().step_by(7).chain([(input.len(), ' ')]) {
            while let Some(nl) = input[line_start..].find('\n') {
                if line_start + nl >= offset {
                    break;
                }
                line_start += nl + 1;
                line += 1;
            }
            let column = input[line_start..offset].chars().count() as u32 + 1;
            assert_eq!(
                idx.line_col(offset),
                LineCol { line, column },
                "{offset} {c:?}"
            );
            // Inside a character, the character's own column.
            if c.len_utf8() > 1 {
                assert_eq!(idx.line_col(offset + 1), LineCol { line, column });
            }
        }
        assert_eq!(
            LineIndex::new("").line_col(5),
            LineCol { line: 1, column: 1 }
        );
    }
}
