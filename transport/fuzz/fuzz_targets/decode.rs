//! Feed arbitrary bytes to the frame decoder as one connection's stream.
//! The first two bytes choose the payload bound, so the length checks are
//! exercised at every size. Any panic is a bug.
#![no_main]

use libfuzzer_sys::fuzz_target;
use pomp_transport::wire::{decode_stream, FRAME_HEADER_LEN};

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let max = u16::from_le_bytes([data[0], data[1]]) as u32 * 64;
    let bytes = &data[2..];
    let (frames, _err) = decode_stream(bytes, 1, max);
    let used: usize = frames.iter().map(|f| FRAME_HEADER_LEN + f.header.len() + f.payload.len()).sum();
    assert!(used <= bytes.len());
    assert!(frames.iter().all(|f| f.payload.len() as u32 <= max));
});
