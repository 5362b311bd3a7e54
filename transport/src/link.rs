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
    /// would not report (RDMA receive buffers); sockets say false.
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

/// A [`Link`] over a stream socket.
pub struct StreamLink<S> {
    sock: S,
    what: String,
}

impl<S: Socket> StreamLink<S>
where
    for<'a> &'a S: Read + Write,
{
    pub fn new(sock: S, what: String) -> Self {
        StreamLink { sock, what }
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
        (&self.sock).read_exact(buf)
    }

    fn read_vec(&self, len: usize) -> io::Result<Vec<u8>> {
        let mut v = Vec::with_capacity(len);
        crate::sys::read_exact_uninit(self.sock.as_raw_fd(), &mut v.spare_capacity_mut()[..len])?;
        // SAFETY: read_exact_uninit returned Ok, so all `len` bytes of the
        // spare capacity have been written.
        unsafe { v.set_len(len) };
        Ok(v)
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
