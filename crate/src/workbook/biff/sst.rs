//! The shared string table (SST, [MS-XLS] 2.4.265) as calamine 0.38 reads it, for the length of
//! each string: calamine copies a string into every LABELSST cell that names it, so a few bytes
//! of records can ask for a long string many times over.

/// A record's data and the CONTINUE records after it, consumed as calamine's `Record` is.
struct Pieces<'a> {
    data: &'a [u8],
    rest: std::vec::IntoIter<&'a [u8]>,
}

/// Why the walk stopped: calamine returns an error (and so allocates no cell) or would panic
/// (indexing a piece too short for what it reads).
#[derive(Debug, PartialEq)]
pub enum Fault {
    Error,
    Panic,
}

impl<'a> Pieces<'a> {
    fn next_piece(&mut self) -> bool {
        self.rest.next().map(|p| self.data = p).is_some()
    }

    /// Takes `n` bytes from the current piece (calamine slices without checking).
    fn take(&mut self, n: usize) -> Result<&'a [u8], Fault> {
        let (head, tail) = self.data.split_at_checked(n).ok_or(Fault::Panic)?;
        self.data = tail;
        Ok(head)
    }

    /// Skips `n` bytes across pieces (calamine's `Record::skip`).
    fn skip(&mut self, mut n: usize) -> Result<(), Fault> {
        while n > 0 {
            if self.data.is_empty() && !self.next_piece() {
                return Err(Fault::Error);
            }
            let step = n.min(self.data.len());
            self.data = &self.data[step..];
            n -= step;
        }
        Ok(())
    }
}

/// The number of characters of each string in the table, in order. `sst` is the SST record's
/// data, `continues` the data of the CONTINUE records calamine attaches to it.
pub fn string_lengths(sst: &[u8], continues: Vec<&[u8]>) -> Result<Vec<u64>, Fault> {
    let mut r = Pieces {
        data: sst.get(8..).ok_or(Fault::Error)?,
        rest: continues.into_iter(),
    };
    let mut lengths = Vec::new();
    while !r.data.is_empty() || r.next_piece() {
        lengths.push(rich_string(&mut r)?);
    }
    Ok(lengths)
}

/// One XLUnicodeRichExtendedString ([MS-XLS] 2.5.293): its characters may run on into the next
/// CONTINUE record, which then starts with its own flags byte.
fn rich_string(r: &mut Pieces) -> Result<u64, Fault> {
    if r.data.is_empty() {
        return Ok(0);
    }
    if r.data.len() < 3 {
        return Err(Fault::Error);
    }
    let head = r.take(3)?;
    let mut left = usize::from(u16::from_le_bytes([head[0], head[1]]));
    let characters = left as u64;
    let flags = head[2];
    let mut high_byte = flags & 1 != 0;
    let runs = if flags & 0x8 != 0 {
        let b = r.take(2)?;
        usize::from(u16::from_le_bytes([b[0], b[1]]))
    } else {
        0
    };
    let extension = if flags & 0x4 != 0 {
        let b = r.take(4)?;
        i32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize
    } else {
        0
    };
    while left > 0 {
        let width = if high_byte { 2 } else { 1 };
        let taken = left.min(r.data.len() / width);
        r.data = &r.data[taken * width..];
        left -= taken;
        if left > 0 {
            if !r.next_piece() {
                return Err(Fault::Error);
            }
            high_byte = r.take(1)?[0] & 1 != 0;
        }
    }
    r.skip(runs * 4)?;
    r.skip(extension)?;
    Ok(characters)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_split_over_continue_records() {
        // Two strings: "ab" (compressed), then 3 characters of which one is in the SST record
        // and two (16-bit) in a CONTINUE record starting with its flags byte.
        let mut sst = vec![0; 8];
        sst.extend([2, 0, 0, b'a', b'b', 3, 0, 0, b'c']);
        let more = [1, b'd', 0, b'e', 0];
        assert_eq!(string_lengths(&sst, vec![&more]), Ok(vec![2, 3]));
        assert_eq!(string_lengths(&sst, vec![]), Err(Fault::Error));
        assert_eq!(string_lengths(&sst[..4], vec![]), Err(Fault::Error));
        // A rich string whose run count is cut: calamine would slice past the end.
        let cut = [0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0x8, 7];
        assert_eq!(string_lengths(&cut, vec![]), Err(Fault::Panic));
    }
}
