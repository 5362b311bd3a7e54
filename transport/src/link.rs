//! The byte mover under the protocol: one authenticated, ordered, reliable
//! duplex connection to one peer. TCP and Unix socket pairs (the in-process
//! backend) are both a [`StreamLink`]; the RDMA backend implements [`Link`]
//! over verbs. Everything above this trait (framing, sequence checks,
//! heartbeats, request/response) is shared, so testing it over TCP tests it
//! for every backend.

use std::io::{self, IoSlice, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::os::fd::{AsRawFd, RawFd};
use std::os::unix::net::UnixStream;
use std::sync::Mutex;

/// One connection to one peer.
///
/// Writes come from many threads, serialised by the caller (the node holds
/// a per-peer send lock around `write_frame`); reads come only from the
/// node's progress thread.
pub trait Link: Send + Sync + 'static {
    /// Write all of `parts`, in order, as one frame.
    fn write_frame(&self, parts: &mut [IoSlice<'_>]) -> io::Result<()>;
    /// Fill `buf` completely or fail.
    fn read_exact(&self, buf: &mut [u8]) -> io::Result<()>;
    /// Read exactly `len` bytes into a new vector.
    fn read_vec(&self, len: usize) -> io::Result<Vec<u8>> {
        let mut v = vec![0u8; len];
        self.read_exact(&mut v)?;
        Ok(v)
    }
    /// Whether bytes are buffered in the link that the readiness descriptor
    /// would not report (a stream link's read-ahead); the progress thread
    /// reads frames from the link while this holds.
    fn has_buffered(&self) -> bool {
        false
    }
    /// A descriptor that becomes readable when `read_exact` can make
    /// progress (and on hang-up).
    fn ready_fd(&self) -> RawFd;
    /// Close both directions; a blocked reader or writer returns an error.
    fn shutdown(&self);
    /// Where the peer is, for messages ("127.0.0.1:4711", "socketpair").
    fn describe(&self) -> String;
}

/// A socket whose shared reference reads and writes (TCP, Unix).
pub trait Socket: AsRawFd + Send + Sync + 'static
where
    for<'a> &'a Self: Read + Write,
{
    fn shutdown_both(&self);
}

impl Socket for TcpStream {
    fn shutdown_both(&self) {
        let _ = self.shutdown(Shutdown::Both);
    }
}

impl Socket for UnixStream {
    fn shutdown_both(&self) {
        let _ = self.shutdown(Shutdown::Both);
    }
}

/// Bytes a [`StreamLink`] asks the socket for at once when a read wants
/// less than this: one `read(2)` then takes a whole small frame (header,
/// message header and a page of payload is 4152 bytes), where reading each
/// part exactly took three. Reads of this much or more go straight to
/// their buffer.
const READ_AHEAD: usize = 8192;

/// A [`Link`] over a stream socket.
pub struct StreamLink<S> {
    sock: S,
    what: String,
    /// Bytes read from the socket and not yet asked for. Only the progress
    /// thread reads, so the lock is never contended.
    ahead: Mutex<Ahead>,
}

struct Ahead {
    buf: Box<[u8]>,
    start: usize,
    end: usize,
}

impl Ahead {
    /// Consume up to `max` buffered bytes and return them.
    fn next(&mut self, max: usize) -> &[u8] {
        let n = max.min(self.end - self.start);
        self.start += n;
        &self.buf[self.start - n..self.start]
    }

    /// Move up to `dst.len()` buffered bytes into `dst`; how many.
    fn take(&mut self, dst: &mut [u8]) -> usize {
        let got = self.next(dst.len());
        dst[..got.len()].copy_from_slice(got);
        got.len()
    }
}

impl<S: Socket> StreamLink<S>
where
    for<'a> &'a S: Read + Write,
{
    pub fn new(sock: S, what: String) -> Self {
        StreamLink {
            sock,
            what,
            ahead: Mutex::new(Ahead {
                buf: vec![0u8; READ_AHEAD].into_boxed_slice(),
                start: 0,
                end: 0,
            }),
        }
    }

    /// Refill the empty read-ahead buffer with whatever the socket has (at
    /// least one byte; blocks, within the socket's timeout, until then).
    fn refill(&self, a: &mut Ahead) -> io::Result<()> {
        loop {
            match (&self.sock).read(&mut a.buf) {
                Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
                Ok(n) => {
                    (a.start, a.end) = (0, n);
                    return Ok(());
                }
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }
}

impl<S: Socket> Link for StreamLink<S>
where
    for<'a> &'a S: Read + Write,
{
    fn write_frame(&self, mut parts: &mut [IoSlice<'_>]) -> io::Result<()> {
        // Skip empty parts up front so a zero-length write means EOF.
        IoSlice::advance_slices(&mut parts, 0);
        while !parts.is_empty() {
            match (&self.sock).write_vectored(parts) {
                Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
                Ok(n) => IoSlice::advance_slices(&mut parts, n),
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    fn read_exact(&self, buf: &mut [u8]) -> io::Result<()> {
        let mut a = self.ahead.lock().unwrap();
        let mut done = a.take(buf);
        while done < buf.len() {
            if buf.len() - done >= READ_AHEAD {
                return (&self.sock).read_exact(&mut buf[done..]);
            }
            self.refill(&mut a)?;
            done += a.take(&mut buf[done..]);
        }
        Ok(())
    }

    fn read_vec(&self, len: usize) -> io::Result<Vec<u8>> {
        let mut v = Vec::with_capacity(len);
        let mut a = self.ahead.lock().unwrap();
        loop {
            v.extend_from_slice(a.next(len - v.len()));
            let rest = len - v.len();
            if rest == 0 {
                return Ok(v);
            }
            if rest >= READ_AHEAD {
                break;
            }
            self.refill(&mut a)?;
        }
        let have = v.len();
        crate::sys::read_exact_uninit(
            self.sock.as_raw_fd(),
            &mut v.spare_capacity_mut()[..len - have],
        )?;
        // SAFETY: read_exact_uninit returned Ok, so the `len - have` bytes
        // of the spare capacity after the `have` already in `v` are written.
        unsafe { v.set_len(len) };
        Ok(v)
    }

    fn has_buffered(&self) -> bool {
        let a = self.ahead.lock().unwrap();
        a.start < a.end
    }

    fn ready_fd(&self) -> RawFd {
        self.sock.as_raw_fd()
    }

    fn shutdown(&self) {
        self.sock.shutdown_both();
    }

    fn describe(&self) -> String {
        self.what.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pattern(n: usize, seed: u8) -> Vec<u8> {
        (0..n)
            .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
            .collect()
    }

    #[test]
    fn read_ahead_returns_the_bytes_in_order_whatever_the_sizes() {
        let (a, b) = UnixStream::pair().unwrap();
        let link = StreamLink::new(b, "test".into());
        // Reads smaller than, around and larger than the read-ahead, some
        // served from the buffer, some straddling it, some direct.
        let sizes = [
            40,
            16,
            4096,
            1,
            READ_AHEAD - 1,
            READ_AHEAD,
            READ_AHEAD + 1,
            3 * READ_AHEAD + 7,
            0,
            56,
        ];
        let total: usize = sizes.iter().sum::<usize>() * 2;
        let all = pattern(total, 3);
        let w = {
            let all = all.clone();
            std::thread::spawn(move || {
                // Odd chunks, so frames arrive split and several at once.
                for c in all.chunks(777) {
                    (&a).write_all(c).unwrap();
                }
                a
            })
        };
        let mut got = Vec::with_capacity(total);
        for (i, &n) in sizes.iter().chain(sizes.iter()).enumerate() {
            if i % 2 == 0 {
                let mut v = vec![0u8; n];
                link.read_exact(&mut v).unwrap();
                got.extend_from_slice(&v);
            } else {
                got.extend_from_slice(&link.read_vec(n).unwrap());
            }
        }
        assert_eq!(got, all);
        assert!(!link.has_buffered());
        drop(w.join().unwrap());
        let mut one = [0u8; 1];
        assert_eq!(
            link.read_exact(&mut one).unwrap_err().kind(),
            io::ErrorKind::UnexpectedEof
        );
    }

    #[test]
    fn bytes_read_ahead_are_reported_as_buffered() {
        let (a, b) = UnixStream::pair().unwrap();
        let link = StreamLink::new(b, "test".into());
        (&a).write_all(&pattern(100, 9)).unwrap();
        let mut head = [0u8; 40];
        link.read_exact(&mut head).unwrap();
        assert_eq!(&head[..], &pattern(100, 9)[..40]);
        // The other 60 bytes came with the first read.
        assert!(link.has_buffered());
        assert_eq!(link.read_vec(60).unwrap(), pattern(100, 9)[40..]);
        assert!(!link.has_buffered());
    }
}
