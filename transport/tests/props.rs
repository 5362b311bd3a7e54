//! Property tests of the wire format: whatever is encoded decodes to itself,
//! and no byte string makes the decoder panic or accept a frame that breaks
//! the bounds. `decode_stream` is also the fuzz target's body
//! (`transport/fuzz`).

use pomp_transport::wire::{
    decode_stream, encode_frame, FrameHeader, WireError, FLAG_ERROR, FLAG_REQUEST, FLAG_RESPONSE,
    FRAME_HEADER_LEN, KIND_RESERVED,
};
use proptest::prelude::*;

fn frame_header() -> impl Strategy<Value = (u8, u16, u64)> {
    (
        prop_oneof![
            Just(0u8),
            Just(FLAG_REQUEST),
            Just(FLAG_RESPONSE),
            Just(FLAG_RESPONSE | FLAG_ERROR)
        ],
        0u16..KIND_RESERVED,
        1u64..u64::MAX,
    )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn encode_then_decode_is_identity(
        frames in prop::collection::vec(
            (frame_header(), prop::collection::vec(any::<u8>(), 0..300), prop::collection::vec(any::<u8>(), 0..5000)),
            1..8),
        src in 0u32..64,
    ) {
        let mut stream = Vec::new();
        for (i, ((flags, kind, corr), h, p)) in frames.iter().enumerate() {
            let head = FrameHeader { flags: *flags, kind: *kind, src, seq: i as u64 + 1, corr: *corr, header_len: 0, payload_len: 0 };
            stream.extend(encode_frame(&head, h, p));
        }
        let (out, err) = decode_stream(&stream, src, 1 << 20);
        prop_assert_eq!(err, None);
        prop_assert_eq!(out.len(), frames.len());
        for (f, ((flags, kind, corr), h, p)) in out.iter().zip(&frames) {
            prop_assert_eq!((f.head.flags, f.head.kind, f.head.corr, f.head.src), (*flags, *kind, *corr, src));
            prop_assert_eq!(&f.header, h);
            prop_assert_eq!(&f.payload, p);
        }
    }

    #[test]
    fn arbitrary_bytes_never_panic_nor_overrun(bytes in prop::collection::vec(any::<u8>(), 0..4096), max in 0u32..2048) {
        let (frames, _) = decode_stream(&bytes, 1, max);
        let total: usize = frames.iter().map(|f| FRAME_HEADER_LEN + f.header.len() + f.payload.len()).sum();
        prop_assert!(total <= bytes.len());
        for f in &frames {
            prop_assert!(f.payload.len() <= max as usize);
        }
    }

    #[test]
    fn a_flipped_byte_is_caught_or_harmless(
        payload in prop::collection::vec(any::<u8>(), 0..200),
        at in 0usize..FRAME_HEADER_LEN,
        bit in 0u8..8,
    ) {
        let head = FrameHeader { flags: 0, kind: 3, src: 2, seq: 1, corr: 0, header_len: 0, payload_len: 0 };
        let mut f = encode_frame(&head, b"", &payload);
        f[at] ^= 1 << bit;
        let (frames, err) = decode_stream(&f, 2, 1 << 20);
        // Fields that carry no check (kind, correlation id of a one-way
        // message) may change; everything else must be refused.
        match (at, err) {
            (0..=5 | 8..=19 | 28..=39, e) => prop_assert!(e.is_some() || frames.is_empty()),
            (6..=7 | 20..=27, e) => prop_assert!(matches!(e, None | Some(WireError::ReservedKind(_)) | Some(WireError::BadFlags(_)))),
            _ => {}
        }
    }
}
