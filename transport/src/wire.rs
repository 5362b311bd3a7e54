//! The wire format: one fixed 40-byte frame header, then the message's own
//! header bytes, then its payload. Everything here is pure data; the byte
//! movers (TCP, RDMA, in-process) carry frames, `node.rs` gives them meaning.
//!
//! ```text
//!  0        4    5     6        8          12                 20                 28        32         36        40
//!  +--------+----+-----+--------+----------+------------------+------------------+---------+----------+---------+
//!  | "PoMP" | v  |flags|  kind  | src node |     sequence     |  correlation id  | hdr len | pay len  | 0 (rsv) |
//!  +--------+----+-----+--------+----------+------------------+------------------+---------+----------+---------+
//!  all integers little-endian
//! ```
//!
//! - `sequence` counts the frames of one connection in one direction from 1;
//!   a gap or repeat means the stream is corrupt.
//! - `correlation id` is 0 for a one-way message; a request carries a fresh
//!   non-zero id and its response carries the same id with `FLAG_RESPONSE`.
//! - `hdr len` is at most [`MAX_HEADER`]; `pay len` at most the configured
//!   maximum payload (never above [`MAX_PAYLOAD_LIMIT`]).

use std::fmt;

/// The four bytes every frame starts with.
pub const MAGIC: [u8; 4] = *b"PoMP";
/// The protocol version this build speaks; a frame of another version is refused.
pub const VERSION: u8 = 1;
/// Size of the fixed frame header.
pub const FRAME_HEADER_LEN: usize = 40;
/// Largest message header (the typed part of a message: a DSM page number,
/// a region descriptor ...).
pub const MAX_HEADER: u32 = 64 * 1024;
/// Default largest payload of one frame.
pub const DEFAULT_MAX_PAYLOAD: u32 = 16 * 1024 * 1024;
/// No configuration may raise the payload bound beyond this.
pub const MAX_PAYLOAD_LIMIT: u32 = 1 << 30;

/// The frame expects a response with the same correlation id.
pub const FLAG_REQUEST: u8 = 1;
/// The frame is the response to the request with its correlation id.
pub const FLAG_RESPONSE: u8 = 2;
/// The response reports that the request failed at the responder (its
/// header holds a UTF-8 reason).
pub const FLAG_ERROR: u8 = 4;
const FLAGS_KNOWN: u8 = FLAG_REQUEST | FLAG_RESPONSE | FLAG_ERROR;

/// Kinds at or above this value belong to the transport itself.
pub const KIND_RESERVED: u16 = 0xff00;
/// Heartbeat: sent on an idle connection, carries nothing.
pub const KIND_HEARTBEAT: u16 = 0xff00;
/// Orderly goodbye: the peer shuts down; its EOF that follows is not a failure.
pub const KIND_GOODBYE: u16 = 0xff01;

/// A decoded frame header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FrameHeader {
    pub flags: u8,
    pub kind: u16,
    pub src: u32,
    pub seq: u64,
    pub corr: u64,
    pub header_len: u32,
    pub payload_len: u32,
}

/// Why a frame was refused. Each of these closes the connection it came on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum WireError {
    BadMagic([u8; 4]),
    BadVersion(u8),
    UnknownFlags(u8),
    BadFlags(u8),
    Reserved(u32),
    HeaderTooLong(u32),
    PayloadTooLong { len: u32, max: u32 },
    UnexpectedSource { expected: u32, got: u32 },
    BadSequence { expected: u64, got: u64 },
    ReservedKind(u16),
    Truncated { need: usize, have: usize },
}

impl fmt::Display for WireError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WireError::BadMagic(m) => write!(f, "bad magic {m:02x?} (not a pomp frame)"),
            WireError::BadVersion(v) => {
                write!(f, "protocol version {v}, this build speaks {VERSION}")
            }
            WireError::UnknownFlags(x) => write!(f, "unknown frame flags {x:#04x}"),
            WireError::BadFlags(x) => write!(f, "contradictory frame flags {x:#04x}"),
            WireError::Reserved(x) => write!(f, "reserved header word is {x:#x}, not 0"),
            WireError::HeaderTooLong(n) => {
                write!(f, "message header of {n} bytes exceeds {MAX_HEADER}")
            }
            WireError::PayloadTooLong { len, max } => {
                write!(f, "payload of {len} bytes exceeds the bound of {max}")
            }
            WireError::UnexpectedSource { expected, got } => {
                write!(
                    f,
                    "frame claims to come from node {got}, connection is to node {expected}"
                )
            }
            WireError::BadSequence { expected, got } => {
                write!(
                    f,
                    "frame sequence {got}, expected {expected} (lost or repeated frame)"
                )
            }
            WireError::ReservedKind(k) => write!(f, "unknown transport message kind {k:#06x}"),
            WireError::Truncated { need, have } => {
                write!(f, "truncated frame: {have} of {need} bytes")
            }
        }
    }
}

impl std::error::Error for WireError {}

impl FrameHeader {
    /// A one-way frame with no header or payload yet (lengths are filled in
    /// by [`encode_frame`]).
    pub fn one_way(kind: u16, src: u32, seq: u64) -> Self {
        FrameHeader {
            flags: 0,
            kind,
            src,
            seq,
            corr: 0,
            header_len: 0,
            payload_len: 0,
        }
    }

    /// Encode into the fixed 40 bytes.
    pub fn encode(&self) -> [u8; FRAME_HEADER_LEN] {
        let mut b = [0u8; FRAME_HEADER_LEN];
        b[0..4].copy_from_slice(&MAGIC);
        b[4] = VERSION;
        b[5] = self.flags;
        b[6..8].copy_from_slice(&self.kind.to_le_bytes());
        b[8..12].copy_from_slice(&self.src.to_le_bytes());
        b[12..20].copy_from_slice(&self.seq.to_le_bytes());
        b[20..28].copy_from_slice(&self.corr.to_le_bytes());
        b[28..32].copy_from_slice(&self.header_len.to_le_bytes());
        b[32..36].copy_from_slice(&self.payload_len.to_le_bytes());
        b
    }

    /// Decode and check everything that can be checked without knowing the
    /// connection: magic, version, flags, reserved bits, length bounds.
    pub fn decode(b: &[u8; FRAME_HEADER_LEN], max_payload: u32) -> Result<Self, WireError> {
        let magic = [b[0], b[1], b[2], b[3]];
        if magic != MAGIC {
            return Err(WireError::BadMagic(magic));
        }
        if b[4] != VERSION {
            return Err(WireError::BadVersion(b[4]));
        }
        let flags = b[5];
        if flags & !FLAGS_KNOWN != 0 {
            return Err(WireError::UnknownFlags(flags));
        }
        let request = flags & FLAG_REQUEST != 0;
        let response = flags & FLAG_RESPONSE != 0;
        if (request && response) || (flags & FLAG_ERROR != 0 && !response) {
            return Err(WireError::BadFlags(flags));
        }
        let u16_at = |i: usize| u16::from_le_bytes([b[i], b[i + 1]]);
        let u32_at = |i: usize| u32::from_le_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
        let u64_at = |i: usize| {
            let mut w = [0u8; 8];
            w.copy_from_slice(&b[i..i + 8]);
            u64::from_le_bytes(w)
        };
        let reserved = u32_at(36);
        if reserved != 0 {
            return Err(WireError::Reserved(reserved));
        }
        let h = FrameHeader {
            flags,
            kind: u16_at(6),
            src: u32_at(8),
            seq: u64_at(12),
            corr: u64_at(20),
            header_len: u32_at(28),
            payload_len: u32_at(32),
        };
        if h.header_len > MAX_HEADER {
            return Err(WireError::HeaderTooLong(h.header_len));
        }
        let max = max_payload.min(MAX_PAYLOAD_LIMIT);
        if h.payload_len > max {
            return Err(WireError::PayloadTooLong {
                len: h.payload_len,
                max,
            });
        }
        if (request || response) && h.corr == 0 {
            return Err(WireError::BadFlags(flags));
        }
        if h.kind >= KIND_RESERVED && !matches!(h.kind, KIND_HEARTBEAT | KIND_GOODBYE) {
            return Err(WireError::ReservedKind(h.kind));
        }
        Ok(h)
    }

    /// The checks that need the connection: the authenticated peer and the
    /// next sequence number.
    pub fn check_stream(&self, peer: u32, expected_seq: u64) -> Result<(), WireError> {
        if self.src != peer {
            return Err(WireError::UnexpectedSource {
                expected: peer,
                got: self.src,
            });
        }
        if self.seq != expected_seq {
            return Err(WireError::BadSequence {
                expected: expected_seq,
                got: self.seq,
            });
        }
        Ok(())
    }
}

/// A whole frame decoded from memory (used by tests and the fuzz target; the
/// live path reads the parts straight from the byte mover).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Frame {
    pub head: FrameHeader,
    pub header: Vec<u8>,
    pub payload: Vec<u8>,
}

/// Encode a whole frame into one buffer.
pub fn encode_frame(head: &FrameHeader, header: &[u8], payload: &[u8]) -> Vec<u8> {
    let mut head = *head;
    head.header_len = header.len() as u32;
    head.payload_len = payload.len() as u32;
    let mut out = Vec::with_capacity(FRAME_HEADER_LEN + header.len() + payload.len());
    out.extend_from_slice(&head.encode());
    out.extend_from_slice(header);
    out.extend_from_slice(payload);
    out
}

/// Decode a stream of frames from `buf` as one connection from `peer` would
/// see it, starting at sequence 1. Returns the frames decoded and the error
/// that stopped decoding, if any (a trailing partial frame is `Truncated`).
/// Never panics, whatever the bytes: this is the fuzz target's body.
pub fn decode_stream(buf: &[u8], peer: u32, max_payload: u32) -> (Vec<Frame>, Option<WireError>) {
    let mut frames = Vec::new();
    let mut at = 0usize;
    let mut seq = 1u64;
    while at < buf.len() {
        let rest = &buf[at..];
        let Some(hb) = rest.first_chunk::<FRAME_HEADER_LEN>() else {
            return (
                frames,
                Some(WireError::Truncated {
                    need: FRAME_HEADER_LEN,
                    have: rest.len(),
                }),
            );
        };
        let head = match FrameHeader::decode(hb, max_payload) {
            Ok(h) => h,
            Err(e) => return (frames, Some(e)),
        };
        if let Err(e) = head.check_stream(peer, seq) {
            return (frames, Some(e));
        }
        let need = FRAME_HEADER_LEN + head.header_len as usize + head.payload_len as usize;
        if rest.len() < need {
            return (
                frames,
                Some(WireError::Truncated {
                    need,
                    have: rest.len(),
                }),
            );
        }
        let h_end = FRAME_HEADER_LEN + head.header_len as usize;
        frames.push(Frame {
            head,
            header: rest[FRAME_HEADER_LEN..h_end].to_vec(),
            payload: rest[h_end..need].to_vec(),
        });
        at += need;
        seq += 1;
    }
    (frames, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head(seq: u64) -> FrameHeader {
        FrameHeader {
            flags: 0,
            kind: 7,
            src: 3,
            seq,
            corr: 0,
            header_len: 0,
            payload_len: 0,
        }
    }

    #[test]
    fn round_trip() {
        let mut h = head(1);
        h.flags = FLAG_REQUEST;
        h.corr = 99;
        let f = encode_frame(&h, b"hdr", &[5u8; 4096]);
        let (frames, err) = decode_stream(&f, 3, DEFAULT_MAX_PAYLOAD);
        assert_eq!(err, None);
        assert_eq!(frames.len(), 1);
        assert_eq!(frames[0].head.corr, 99);
        assert_eq!(frames[0].header, b"hdr");
        assert_eq!(frames[0].payload, vec![5u8; 4096]);
    }

    #[test]
    fn refusals() {
        let good = encode_frame(&head(1), b"", b"x");
        let mut bad = good.clone();
        bad[0] = b'X';
        assert!(matches!(
            decode_stream(&bad, 3, 1 << 20).1,
            Some(WireError::BadMagic(_))
        ));
        let mut bad = good.clone();
        bad[4] = 2;
        assert_eq!(
            decode_stream(&bad, 3, 1 << 20).1,
            Some(WireError::BadVersion(2))
        );
        assert_eq!(
            decode_stream(&good, 4, 1 << 20).1,
            Some(WireError::UnexpectedSource {
                expected: 4,
                got: 3
            })
        );
        let two = [
            encode_frame(&head(1), b"", b""),
            encode_frame(&head(3), b"", b""),
        ]
        .concat();
        let (f, e) = decode_stream(&two, 3, 1 << 20);
        assert_eq!(f.len(), 1);
        assert_eq!(
            e,
            Some(WireError::BadSequence {
                expected: 2,
                got: 3
            })
        );
        let big = encode_frame(&head(1), b"", &[0u8; 100]);
        assert_eq!(
            decode_stream(&big, 3, 64).1,
            Some(WireError::PayloadTooLong { len: 100, max: 64 })
        );
        assert!(matches!(
            decode_stream(&good[..good.len() - 1], 3, 1 << 20).1,
            Some(WireError::Truncated { .. })
        ));
        let mut resp = head(1);
        resp.flags = FLAG_RESPONSE; // a response needs a correlation id
        assert!(matches!(
            decode_stream(&encode_frame(&resp, b"", b""), 3, 1 << 20).1,
            Some(WireError::BadFlags(_))
        ));
        let mut k = head(1);
        k.kind = 0xff77;
        assert_eq!(
            decode_stream(&encode_frame(&k, b"", b""), 3, 1 << 20).1,
            Some(WireError::ReservedKind(0xff77))
        );
    }
}
