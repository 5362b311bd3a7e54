//! A node of a job: its links to every peer, the progress thread that reads
//! them, and the API above (send, broadcast, receive, request/response,
//! failure events). Independent of the byte mover.
//!
//! Threads:
//! - any number of application threads send, broadcast and make requests;
//!   writes to one peer are serialised by that peer's send lock, so the
//!   frames of one pair arrive in the order their sends returned;
//! - one progress thread per node waits on every link (epoll), reads each
//!   frame, answers transport frames (heartbeats, goodbye), completes
//!   waiting requests, and hands other messages to the node's handler (run
//!   right there: the DSM's service loop) or to the receive queue;
//! - the progress thread also sends heartbeats on idle links and declares a
//!   peer failed after `peer_timeout` of silence. A peer is failed exactly
//!   once, by the progress thread, which then fails that peer's requests and
//!   queues [`Event::PeerFailed`].
//!
//! A request's reply payload can be read straight from the link into the
//! requester's buffer ([`Handle::request_into`]): one copy on the receiving
//! side, as the DSM needs for pages.

use crate::link::Link;
use crate::sys::{Doorbell, Epoll};
use crate::wire::{
    FrameHeader, DEFAULT_MAX_PAYLOAD, FLAG_ERROR, FLAG_REQUEST, FLAG_RESPONSE, FRAME_HEADER_LEN,
    KIND_GOODBYE, KIND_HEARTBEAT, KIND_RESERVED, MAX_HEADER, MAX_PAYLOAD_LIMIT,
};
use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};
use std::collections::HashMap;
use std::fmt;
use std::io::IoSlice;
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::{self, JoinHandle, Thread};
use std::time::{Duration, Instant};

/// A node's index in the job, 0 ..= nodes-1.
pub type NodeId = u32;

/// Tunables of a node. `Config::default()` is what a job gets unless its
/// environment says otherwise ([`Config::from_env`]).
#[derive(Clone, Debug)]
pub struct Config {
    /// Send a heartbeat on a link idle for this long.
    pub heartbeat: Duration,
    /// A peer silent for this long is failed (default 1.5 s, so failure is
    /// reported within 2 s).
    pub peer_timeout: Duration,
    /// Largest payload accepted in one frame.
    pub max_payload: u32,
    /// Bound on one connection's handshake.
    pub handshake_timeout: Duration,
    /// Bound on setting up the whole mesh (peers start at different times).
    pub setup_timeout: Duration,
    /// How long a requester spins for its reply before sleeping.
    pub reply_spin: Duration,
    /// How long the progress thread keeps polling its links after the
    /// last frame it read, yielding the CPU between polls, before it
    /// sleeps in `epoll_wait`. Zero (the default) sleeps at once: polling
    /// halves a DSM fault on an idle machine, but lets falsely shared
    /// pages move faster than the threads use them (NPB MG and IS 1.5-2x
    /// faster at 2 nodes, CG 3.4-4x slower; transport README).
    pub poll: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            heartbeat: Duration::from_millis(250),
            peer_timeout: Duration::from_millis(1500),
            max_payload: DEFAULT_MAX_PAYLOAD,
            handshake_timeout: Duration::from_secs(5),
            setup_timeout: Duration::from_secs(30),
            reply_spin: Duration::from_micros(50),
            poll: Duration::ZERO,
        }
    }
}

impl Config {
    /// The defaults, overridden by `POMP_HEARTBEAT_MS`, `POMP_PEER_TIMEOUT_MS`,
    /// `POMP_MAX_PAYLOAD`, `POMP_SETUP_TIMEOUT_MS`, `POMP_REPLY_SPIN_US` and
    /// `POMP_POLL_US`. A bad value is warned about on one line and the
    /// default kept.
    pub fn from_env() -> Config {
        let mut c = Config::default();
        let num = |name: &str, lo: u64, hi: u64| -> Option<u64> {
            let v = std::env::var(name).ok()?;
            match v.trim().parse::<u64>() {
                Ok(n) if (lo..=hi).contains(&n) => Some(n),
                _ => {
                    eprintln!("pomp: warning: {name}={v:?} is not an integer in {lo}..={hi}; using the default");
                    None
                }
            }
        };
        if let Some(ms) = num("POMP_HEARTBEAT_MS", 10, 60_000) {
            c.heartbeat = Duration::from_millis(ms);
        }
        if let Some(ms) = num("POMP_PEER_TIMEOUT_MS", 50, 3_600_000) {
            c.peer_timeout = Duration::from_millis(ms);
        }
        if let Some(n) = num("POMP_MAX_PAYLOAD", 4096, MAX_PAYLOAD_LIMIT as u64) {
            c.max_payload = n as u32;
        }
        if let Some(ms) = num("POMP_SETUP_TIMEOUT_MS", 100, 3_600_000) {
            c.setup_timeout = Duration::from_millis(ms);
        }
        if let Some(us) = num("POMP_REPLY_SPIN_US", 0, 1_000_000) {
            c.reply_spin = Duration::from_micros(us);
        }
        if let Some(us) = num("POMP_POLL_US", 0, 1_000_000) {
            c.poll = Duration::from_micros(us);
        }
        if c.heartbeat * 2 > c.peer_timeout {
            c.heartbeat = c.peer_timeout / 3;
        }
        c
    }
}

/// An application message as received.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Message {
    pub from: NodeId,
    pub kind: u16,
    /// Non-zero for a request (answer it with [`Handle::reply`]).
    pub corr: u64,
    pub header: Vec<u8>,
    pub payload: Vec<u8>,
}

impl Message {
    pub fn is_request(&self) -> bool {
        self.corr != 0
    }
}

/// The reply to [`Handle::request_into`]: its payload went to the caller's buffer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    pub kind: u16,
    pub header: Vec<u8>,
    /// Bytes of payload written to the front of the buffer.
    pub len: usize,
}

/// What the receive queue delivers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    Message(Message),
    /// The peer's link broke (EOF, reset, malformed frame) or it was silent
    /// for longer than `peer_timeout`.
    PeerFailed {
        node: NodeId,
        reason: String,
    },
    /// The peer said goodbye and closed its link in order.
    PeerLeft {
        node: NodeId,
    },
}

/// Errors of the node API.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Error {
    NoSuchNode(NodeId),
    PeerFailed {
        node: NodeId,
        reason: String,
    },
    PeerLeft(NodeId),
    /// The message is bigger than the configured bounds.
    TooLarge {
        header: usize,
        payload: usize,
    },
    /// The reply's payload does not fit the buffer given to `request_into`.
    ReplyTooLong {
        len: usize,
        cap: usize,
    },
    /// The responder answered with an error.
    Remote {
        node: NodeId,
        reason: String,
    },
    /// The request was not answered in time.
    Timeout,
    /// The node has shut down.
    Shutdown,
    /// Reserved kinds (0xff00 and above) belong to the transport.
    ReservedKind(u16),
    /// Not a request: cannot be replied to.
    NotARequest,
    /// A request made on the progress thread (from a handler) could never
    /// see its reply: that thread is the one that would read it.
    InHandler,
    /// Mesh setup failed.
    Setup(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::NoSuchNode(n) => write!(f, "no node {n} in this job"),
            Error::PeerFailed { node, reason } => write!(f, "node {node} failed: {reason}"),
            Error::PeerLeft(n) => write!(f, "node {n} has left the job"),
            Error::TooLarge { header, payload } => write!(
                f,
                "message too large: header {header} bytes, payload {payload} bytes"
            ),
            Error::ReplyTooLong { len, cap } => {
                write!(
                    f,
                    "reply payload of {len} bytes does not fit the {cap}-byte buffer"
                )
            }
            Error::Remote { node, reason } => write!(f, "node {node} answered: {reason}"),
            Error::Timeout => write!(f, "request timed out"),
            Error::Shutdown => write!(f, "transport has shut down"),
            Error::ReservedKind(k) => write!(f, "message kind {k:#06x} is reserved"),
            Error::NotARequest => write!(f, "message is not a request"),
            Error::InHandler => write!(
                f,
                "a handler cannot wait for a reply; queue the message for recv()"
            ),
            Error::Setup(s) => write!(f, "{s}"),
        }
    }
}

impl std::error::Error for Error {}

/// Runs on the progress thread for every message that is not a reply.
/// Return the message to have it queued for [`Node::recv`] instead. It
/// must not block on replies (the thread that would read them is the one
/// running it); sending, including replies, is fine.
pub type Handler = Box<dyn Fn(&Handle, Message) -> Option<Message> + Send + Sync>;

const UP: u8 = 0;
const LEFT: u8 = 1;
const FAILED: u8 = 2;

struct Peer {
    link: Option<Box<dyn Link>>,
    /// The next outgoing sequence number; its lock serialises writes.
    send: Mutex<u64>,
    state: AtomicU8,
    /// Milliseconds since the node started, of the last frame in / out.
    heard: AtomicU64,
    sent: AtomicU64,
    failure: Mutex<Option<Error>>,
}

const WAITING: u32 = 0;
const DONE: u32 = 1;

/// The requester's buffer for a reply payload. Only the progress thread
/// writes through it, and only after taking the slot out of the pending
/// table; the requester does not return before the slot is done unless it
/// took the slot out itself (see `Handle::finish`).
struct Into {
    ptr: *mut u8,
    cap: usize,
}

// SAFETY: the pointer is only dereferenced by the thread that removed the
// slot from the pending table, while the requester is blocked in `finish`
// holding the `&mut [u8]` it came from (see `Into`).
unsafe impl Send for Into {}
// SAFETY: as above; no two threads ever write through it.
unsafe impl Sync for Into {}

/// A reply (with its payload unless it went to the caller's buffer), or why not.
type Outcome = Result<(Reply, Vec<u8>), Error>;

/// What completes a request: a reply for a thread blocked in `finish`,
/// or a function called with it (see [`Handle::request_then`]).
type Then = Box<dyn FnOnce(Outcome) + Send>;

enum Waiter {
    Thread(Thread),
    Call(Mutex<Option<Then>>),
}

struct Slot {
    state: AtomicU32,
    to: NodeId,
    waiter: Waiter,
    into: Option<Into>,
    result: Mutex<Option<Outcome>>,
}

impl Slot {
    /// Hand the outcome over. Called once, by whichever thread took the
    /// slot out of the pending table.
    fn complete(&self, r: Outcome) {
        match &self.waiter {
            Waiter::Thread(t) => {
                *self.result.lock().unwrap() = Some(r);
                self.state.store(DONE, Ordering::Release);
                t.unpark();
            }
            Waiter::Call(f) => {
                let f = f.lock().unwrap().take();
                self.state.store(DONE, Ordering::Release);
                if let Some(f) = f {
                    f(r);
                }
            }
        }
    }
}

struct Inner {
    me: NodeId,
    nodes: u32,
    cfg: Config,
    peers: Vec<Peer>,
    pending: Mutex<HashMap<u64, Arc<Slot>>>,
    next_corr: AtomicU64,
    events: (Sender<Event>, Receiver<Event>),
    handler: Option<Handler>,
    epoll: Epoll,
    doorbell: Doorbell,
    stopping: AtomicBool,
    /// The progress thread, set when it starts.
    progress: std::sync::OnceLock<thread::ThreadId>,
    start: Instant,
}

/// The sending side of a node, cheap to clone and usable from any thread
/// (and from the handler).
#[derive(Clone)]
pub struct Handle {
    inner: Arc<Inner>,
}

/// A node of a running job. Dropping it says goodbye to every peer and
/// stops its progress thread.
pub struct Node {
    handle: Handle,
    progress: Option<JoinHandle<()>>,
}

impl std::ops::Deref for Node {
    type Target = Handle;
    fn deref(&self) -> &Handle {
        &self.handle
    }
}

impl Node {
    /// Start a node over established links: `links[p]` is the link to
    /// peer `p`, `None` exactly at `me`.
    pub fn start(
        me: NodeId,
        links: Vec<Option<Box<dyn Link>>>,
        cfg: Config,
        handler: Option<Handler>,
    ) -> Result<Node, Error> {
        let nodes = links.len() as u32;
        if me >= nodes {
            return Err(Error::NoSuchNode(me));
        }
        let setup = |e: std::io::Error| Error::Setup(format!("node {me}: progress thread: {e}"));
        let epoll = Epoll::new().map_err(setup)?;
        let doorbell = Doorbell::new().map_err(setup)?;
        epoll.add(doorbell.fd(), u64::MAX).map_err(setup)?;
        let mut peers = Vec::with_capacity(links.len());
        for (p, link) in links.into_iter().enumerate() {
            if (p as u32 == me) != link.is_none() {
                return Err(Error::Setup(format!(
                    "node {me}: link table is wrong at {p}"
                )));
            }
            if let Some(l) = &link {
                epoll.add(l.ready_fd(), p as u64).map_err(setup)?;
            }
            peers.push(Peer {
                link,
                send: Mutex::new(1),
                state: AtomicU8::new(UP),
                heard: AtomicU64::new(0),
                sent: AtomicU64::new(0),
                failure: Mutex::new(None),
            });
        }
        let inner = Arc::new(Inner {
            me,
            nodes,
            cfg,
            peers,
            pending: Mutex::new(HashMap::new()),
            next_corr: AtomicU64::new(1),
            events: crossbeam_channel::unbounded(),
            handler,
            epoll,
            doorbell,
            stopping: AtomicBool::new(false),
            progress: std::sync::OnceLock::new(),
            start: Instant::now(),
        });
        let handle = Handle { inner };
        let h2 = handle.clone();
        let progress = thread::Builder::new()
            .name(format!("pomp-net-{me}"))
            .spawn(move || {
                let _ = h2.inner.progress.set(thread::current().id());
                progress_loop(&h2)
            })
            .map_err(setup)?;
        Ok(Node {
            handle,
            progress: Some(progress),
        })
    }

    /// The next message or event; blocks.
    pub fn recv(&self) -> Result<Event, Error> {
        self.inner.events.1.recv().map_err(|_| Error::Shutdown)
    }

    /// The next message or event, or `None` after `timeout`.
    pub fn recv_timeout(&self, timeout: Duration) -> Result<Option<Event>, Error> {
        match self.inner.events.1.recv_timeout(timeout) {
            Ok(e) => Ok(Some(e)),
            Err(RecvTimeoutError::Timeout) => Ok(None),
            Err(RecvTimeoutError::Disconnected) => Err(Error::Shutdown),
        }
    }

    /// Say goodbye to every peer, stop the progress thread and close the links.
    pub fn shutdown(mut self) {
        self.stop();
    }

    fn stop(&mut self) {
        let Some(progress) = self.progress.take() else {
            return;
        };
        let inner = &self.inner;
        for p in 0..inner.nodes {
            if p != inner.me && inner.peers[p as usize].state.load(Ordering::Acquire) == UP {
                let _ = self.handle.send_frame(p, 0, KIND_GOODBYE, 0, &[], &[]);
            }
        }
        inner.stopping.store(true, Ordering::Release);
        inner.doorbell.ring();
        let _ = progress.join();
        for peer in &inner.peers {
            if let Some(l) = &peer.link {
                l.shutdown();
            }
        }
        let slots: Vec<_> = inner
            .pending
            .lock()
            .unwrap()
            .drain()
            .map(|(_, s)| s)
            .collect();
        for s in slots {
            s.complete(Err(Error::Shutdown));
        }
    }
}

impl Drop for Node {
    fn drop(&mut self) {
        self.stop();
    }
}

impl Handle {
    /// This node's id.
    pub fn id(&self) -> NodeId {
        self.inner.me
    }

    /// The number of nodes in the job.
    pub fn nodes(&self) -> u32 {
        self.inner.nodes
    }

    /// The node's configuration.
    pub fn config(&self) -> &Config {
        &self.inner.cfg
    }

    /// Whether `node` is up (this node is always up to itself).
    pub fn is_up(&self, node: NodeId) -> bool {
        node == self.inner.me
            || self
                .inner
                .peers
                .get(node as usize)
                .is_some_and(|p| p.state.load(Ordering::Acquire) == UP)
    }

    /// Send a one-way message. Returns once the frame is handed to the link.
    pub fn send(&self, to: NodeId, kind: u16, header: &[u8], payload: &[u8]) -> Result<(), Error> {
        check_kind(kind)?;
        if to == self.inner.me {
            return self.deliver_local(Message {
                from: to,
                kind,
                corr: 0,
                header: header.to_vec(),
                payload: payload.to_vec(),
            });
        }
        self.send_frame(to, 0, kind, 0, header, payload)
    }

    /// Send to every other node; the first error is returned after trying all.
    pub fn broadcast(&self, kind: u16, header: &[u8], payload: &[u8]) -> Result<(), Error> {
        check_kind(kind)?;
        let mut first = Ok(());
        for p in 0..self.inner.nodes {
            if p != self.inner.me {
                if let Err(e) = self.send_frame(p, 0, kind, 0, header, payload) {
                    if first.is_ok() {
                        first = Err(e);
                    }
                }
            }
        }
        first
    }

    /// Send a request and wait for its reply.
    pub fn request(
        &self,
        to: NodeId,
        kind: u16,
        header: &[u8],
        payload: &[u8],
    ) -> Result<Message, Error> {
        self.request_timeout(to, kind, header, payload, None)
    }

    /// [`Handle::request`] that gives up after `timeout` (`None`: wait until
    /// the reply, or the peer's failure, arrives).
    pub fn request_timeout(
        &self,
        to: NodeId,
        kind: u16,
        header: &[u8],
        payload: &[u8],
        timeout: Option<Duration>,
    ) -> Result<Message, Error> {
        let (reply, payload) = self.exchange(to, kind, header, payload, None, timeout)?;
        Ok(Message {
            from: to,
            kind: reply.kind,
            corr: 0,
            header: reply.header,
            payload,
        })
    }

    /// Send a request; the reply's payload is read from the link directly
    /// into `buf` (the page case: no intermediate copy).
    pub fn request_into(
        &self,
        to: NodeId,
        kind: u16,
        header: &[u8],
        payload: &[u8],
        buf: &mut [u8],
    ) -> Result<Reply, Error> {
        let into = Into {
            ptr: buf.as_mut_ptr(),
            cap: buf.len(),
        };
        let (reply, local) = self.exchange(to, kind, header, payload, Some(into), None)?;
        if !local.is_empty() {
            // Only a request to this node itself replies through memory.
            if local.len() > buf.len() {
                return Err(Error::ReplyTooLong {
                    len: local.len(),
                    cap: buf.len(),
                });
            }
            buf[..local.len()].copy_from_slice(&local);
            return Ok(Reply {
                len: local.len(),
                ..reply
            });
        }
        Ok(reply)
    }

    /// Answer a request.
    pub fn reply(
        &self,
        req: &Message,
        kind: u16,
        header: &[u8],
        payload: &[u8],
    ) -> Result<(), Error> {
        check_kind(kind)?;
        if req.corr == 0 {
            return Err(Error::NotARequest);
        }
        if req.from == self.inner.me {
            let reply = Reply {
                kind,
                header: header.to_vec(),
                len: payload.len(),
            };
            self.complete_local(req.corr, Ok((reply, payload.to_vec())));
            return Ok(());
        }
        self.send_frame(req.from, FLAG_RESPONSE, kind, req.corr, header, payload)
    }

    /// Answer a request with an error; the requester gets [`Error::Remote`].
    pub fn reply_error(&self, req: &Message, reason: &str) -> Result<(), Error> {
        if req.corr == 0 {
            return Err(Error::NotARequest);
        }
        if req.from == self.inner.me {
            let node = self.inner.me;
            self.complete_local(
                req.corr,
                Err(Error::Remote {
                    node,
                    reason: reason.into(),
                }),
            );
            return Ok(());
        }
        let reason = &reason.as_bytes()[..reason.len().min(MAX_HEADER as usize)];
        self.send_frame(
            req.from,
            FLAG_RESPONSE | FLAG_ERROR,
            0,
            req.corr,
            reason,
            &[],
        )
    }

    fn exchange(
        &self,
        to: NodeId,
        kind: u16,
        header: &[u8],
        payload: &[u8],
        into: Option<Into>,
        timeout: Option<Duration>,
    ) -> Outcome {
        if self.inner.progress.get() == Some(&thread::current().id()) {
            check_kind(kind)?;
            return Err(Error::InHandler);
        }
        let waiter = Waiter::Thread(thread::current());
        let (corr, slot) = self.launch(to, kind, header, payload, into, waiter)?;
        self.finish(corr, &slot, timeout)
    }

    /// Send a request without waiting for its reply: `then` is called with
    /// the outcome by the thread that completes it, normally the progress
    /// thread (so it must not block), or at once on this thread if the
    /// request could not be sent. The reply's payload goes to `buf` (up to
    /// its length), as with [`Handle::request_into`].
    ///
    /// # Safety
    /// `buf` must stay valid for writes, and be neither read nor written
    /// by anyone else, until `then` has been called.
    pub unsafe fn request_then(
        &self,
        to: NodeId,
        kind: u16,
        header: &[u8],
        payload: &[u8],
        buf: *mut [u8],
        then: impl FnOnce(Result<Reply, Error>) + Send + 'static,
    ) {
        let (ptr, cap) = (buf as *mut u8, buf.len());
        let local = Into { ptr, cap };
        let done = move |o: Outcome| {
            // The whole of `local` (Send), not its raw pointer field.
            let local = local;
            then(o.and_then(|(reply, bytes)| {
                if bytes.is_empty() {
                    return Ok(reply);
                }
                // Only a request to this node itself replies through memory.
                if bytes.len() > local.cap {
                    return Err(Error::ReplyTooLong {
                        len: bytes.len(),
                        cap: local.cap,
                    });
                }
                // SAFETY: the caller keeps `cap` bytes at `ptr` to us until
                // `then` ran (contract), and `bytes` fits (checked).
                unsafe { std::ptr::copy_nonoverlapping(bytes.as_ptr(), local.ptr, bytes.len()) };
                Ok(Reply {
                    len: bytes.len(),
                    ..reply
                })
            }))
        };
        let waiter = Waiter::Call(Mutex::new(Some(Box::new(done))));
        // An error here has been given to `then` already.
        let _ = self.launch(to, kind, header, payload, Some(Into { ptr, cap }), waiter);
    }

    /// Register a request's slot and send the request. On an error the
    /// slot has been completed with it (here, or by the progress thread if
    /// that took the slot first), and the error is also returned.
    fn launch(
        &self,
        to: NodeId,
        kind: u16,
        header: &[u8],
        payload: &[u8],
        into: Option<Into>,
        waiter: Waiter,
    ) -> Result<(u64, Arc<Slot>), Error> {
        let inner = &*self.inner;
        let corr = inner.next_corr.fetch_add(1, Ordering::Relaxed);
        let slot = Arc::new(Slot {
            state: AtomicU32::new(WAITING),
            to,
            waiter,
            into,
            result: Mutex::new(None),
        });
        let bad = check_kind(kind).and(if to >= inner.nodes {
            Err(Error::NoSuchNode(to))
        } else {
            Ok(())
        });
        if let Err(e) = bad {
            slot.complete(Err(e.clone()));
            return Err(e);
        }
        inner.pending.lock().unwrap().insert(corr, slot.clone());
        if !self.is_up(to) || inner.stopping.load(Ordering::Acquire) {
            // The progress thread may have failed the peer before our insert.
            let e = self.down_error(to);
            self.abandon(corr, &slot, e.clone());
            return Err(e);
        }
        let sent = if to == inner.me {
            let msg = Message {
                from: to,
                kind,
                corr,
                header: header.to_vec(),
                payload: payload.to_vec(),
            };
            self.deliver_local(msg)
        } else {
            self.send_frame(to, FLAG_REQUEST, kind, corr, header, payload)
        };
        if let Err(e) = sent {
            self.abandon(corr, &slot, e.clone());
            return Err(e);
        }
        Ok((corr, slot))
    }

    /// Wait for the slot: spin a little (a reply over loopback comes back in
    /// tens of microseconds), then park.
    fn finish(&self, corr: u64, slot: &Arc<Slot>, timeout: Option<Duration>) -> Outcome {
        let t0 = Instant::now();
        let spin_until = t0 + self.inner.cfg.reply_spin;
        let deadline = timeout.map(|t| t0 + t);
        let mut spins = 0u32;
        while slot.state.load(Ordering::Acquire) == WAITING {
            spins = spins.wrapping_add(1);
            if spins & 63 != 0 {
                std::hint::spin_loop();
                continue;
            }
            let now = Instant::now();
            if now < spin_until {
                continue;
            }
            match deadline {
                Some(d) if now >= d => {
                    if self.inner.pending.lock().unwrap().remove(&corr).is_some() {
                        return Err(Error::Timeout);
                    }
                    // The progress thread owns the slot now and is finishing
                    // it (reading the payload): wait for it, briefly.
                    while slot.state.load(Ordering::Acquire) == WAITING {
                        thread::park_timeout(Duration::from_millis(1));
                    }
                }
                Some(d) => thread::park_timeout(d - now),
                None => thread::park_timeout(Duration::from_millis(100)),
            }
        }
        slot.result
            .lock()
            .unwrap()
            .take()
            .unwrap_or(Err(Error::Shutdown))
    }

    /// Take a slot back after a failed send and complete it with `e`. If
    /// the progress thread already took it (and may be writing into its
    /// buffer), it completes it: a blocked requester waits for that.
    fn abandon(&self, corr: u64, slot: &Arc<Slot>, e: Error) {
        if self.inner.pending.lock().unwrap().remove(&corr).is_some() {
            slot.complete(Err(e));
            return;
        }
        if let Waiter::Thread(_) = slot.waiter {
            while slot.state.load(Ordering::Acquire) == WAITING {
                thread::park_timeout(Duration::from_millis(1));
            }
        }
    }

    fn down_error(&self, node: NodeId) -> Error {
        if self.inner.stopping.load(Ordering::Acquire) {
            return Error::Shutdown;
        }
        let peer = &self.inner.peers[node as usize];
        if let Some(e) = peer.failure.lock().unwrap().clone() {
            return e;
        }
        match peer.state.load(Ordering::Acquire) {
            LEFT => Error::PeerLeft(node),
            _ => Error::PeerFailed {
                node,
                reason: "link closed".into(),
            },
        }
    }

    fn send_frame(
        &self,
        to: NodeId,
        flags: u8,
        kind: u16,
        corr: u64,
        header: &[u8],
        payload: &[u8],
    ) -> Result<(), Error> {
        let inner = &*self.inner;
        let peer = inner.peers.get(to as usize).ok_or(Error::NoSuchNode(to))?;
        if header.len() > MAX_HEADER as usize
            || payload.len() > inner.cfg.max_payload.min(MAX_PAYLOAD_LIMIT) as usize
        {
            return Err(Error::TooLarge {
                header: header.len(),
                payload: payload.len(),
            });
        }
        if peer.state.load(Ordering::Acquire) != UP {
            return Err(self.down_error(to));
        }
        let Some(link) = &peer.link else {
            return Err(Error::NoSuchNode(to));
        };
        let mut seq = peer.send.lock().unwrap();
        let head = FrameHeader {
            flags,
            kind,
            src: inner.me,
            seq: *seq,
            corr,
            header_len: header.len() as u32,
            payload_len: payload.len() as u32,
        }
        .encode();
        let mut parts = [
            IoSlice::new(&head),
            IoSlice::new(header),
            IoSlice::new(payload),
        ];
        match link.write_frame(&mut parts) {
            Ok(()) => {
                *seq += 1;
                drop(seq);
                peer.sent.store(inner.now_ms(), Ordering::Relaxed);
                Ok(())
            }
            Err(e) => {
                drop(seq);
                // Let the progress thread see the broken link and fail the
                // peer (it alone does that, once).
                link.shutdown();
                Err(Error::PeerFailed {
                    node: to,
                    reason: format!("send to {}: {e}", link.describe()),
                })
            }
        }
    }

    fn deliver_local(&self, msg: Message) -> Result<(), Error> {
        let msg = match &self.inner.handler {
            Some(h) => h(self, msg),
            None => Some(msg),
        };
        if let Some(m) = msg {
            let _ = self.inner.events.0.send(Event::Message(m));
        }
        Ok(())
    }

    fn complete_local(&self, corr: u64, r: Outcome) {
        if let Some(slot) = self.inner.pending.lock().unwrap().remove(&corr) {
            slot.complete(r);
        }
    }
}

fn check_kind(kind: u16) -> Result<(), Error> {
    if kind >= KIND_RESERVED {
        return Err(Error::ReservedKind(kind));
    }
    Ok(())
}

impl Inner {
    fn now_ms(&self) -> u64 {
        self.start.elapsed().as_millis() as u64
    }
}

/// Frames the progress thread reads from one peer's read-ahead in a round.
const FRAMES_PER_ROUND: usize = 64;

/// The progress thread: read every link, keep heartbeats, detect failure.
fn progress_loop(h: &Handle) {
    let inner = &*h.inner;
    let mut recv_seq = vec![1u64; inner.nodes as usize];
    let mut ready = Vec::with_capacity(64);
    let mut again: Vec<usize> = Vec::new();
    let tick = (inner.cfg.heartbeat / 2).max(Duration::from_millis(5));
    let mut last_tick = Instant::now();
    let mut last_traffic = Instant::now();
    loop {
        if inner.stopping.load(Ordering::Acquire) {
            return;
        }
        let round = Instant::now();
        // Peers whose read-ahead still holds frames: epoll will not say so,
        // so do not sleep, and serve them this round too. Within `poll` of
        // the last frame, poll instead of sleeping (yielding the CPU to any
        // thread that wants it): the next frame of an exchange usually
        // follows within a round trip, and a CPU that went idle is slow to
        // wake (20-30 us on the VM of the README).
        let polling = again.is_empty()
            && !inner.cfg.poll.is_zero()
            && last_traffic.elapsed() < inner.cfg.poll;
        let wait = if again.is_empty() && !polling {
            tick
        } else {
            Duration::ZERO
        };
        if polling {
            thread::yield_now();
        }
        if let Err(e) = inner.epoll.wait(&mut ready, wait) {
            eprintln!("pomp: transport: node {}: epoll failed: {e}", inner.me);
            thread::sleep(tick);
        }
        for p in again.drain(..) {
            if !ready.contains(&(p as u64)) {
                ready.push(p as u64);
            }
        }
        let mut traffic = false;
        for &t in &ready {
            if t == u64::MAX {
                inner.doorbell.clear();
                continue;
            }
            let p = t as usize;
            if inner.peers[p].state.load(Ordering::Acquire) != UP {
                continue;
            }
            // Frames the link read ahead are not seen by epoll: read them
            // before waiting again, up to a bound per round (a peer that
            // streams would otherwise keep the others and the silence
            // checks waiting); the rest go first next round.
            for n in 1.. {
                match read_frame(h, p as NodeId, &mut recv_seq[p]) {
                    // Heartbeats do not open the poll window: an idle job
                    // must sleep however long the window is.
                    Ok(t) => traffic |= t,
                    Err(reason) => {
                        fail_peer(h, p as NodeId, reason);
                        break;
                    }
                }
                let more = inner.peers[p].state.load(Ordering::Acquire) == UP
                    && inner.peers[p]
                        .link
                        .as_ref()
                        .is_some_and(|l| l.has_buffered());
                if !more {
                    break;
                }
                if n == FRAMES_PER_ROUND {
                    again.push(p);
                    break;
                }
            }
        }
        let now = Instant::now();
        if traffic {
            last_traffic = now;
        }
        if now.duration_since(last_tick) >= tick {
            // A round that blocked on a slow frame says nothing about the
            // other peers' silence: their frames are queued; check next round.
            let stalled = now.duration_since(round) > tick + inner.cfg.heartbeat;
            keep_alive(h, !stalled);
            last_tick = now;
        }
    }
}

/// Heartbeats on idle links; silent peers are failed.
fn keep_alive(h: &Handle, judge_silence: bool) {
    let inner = &*h.inner;
    let now = inner.now_ms();
    let hb = inner.cfg.heartbeat.as_millis() as u64;
    let limit = inner.cfg.peer_timeout.as_millis() as u64;
    for (p, peer) in inner.peers.iter().enumerate() {
        if p as u32 == inner.me || peer.state.load(Ordering::Acquire) != UP {
            continue;
        }
        let heard = peer.heard.load(Ordering::Relaxed);
        if judge_silence && now.saturating_sub(heard) > limit {
            fail_peer(
                h,
                p as NodeId,
                format!("silent for {} ms (limit {} ms)", now - heard, limit),
            );
            continue;
        }
        if now.saturating_sub(peer.sent.load(Ordering::Relaxed)) >= hb {
            // A sender holding the lock is traffic enough; never wait here.
            if let Ok(mut seq) = peer.send.try_lock() {
                let head = FrameHeader {
                    flags: 0,
                    kind: KIND_HEARTBEAT,
                    src: inner.me,
                    seq: *seq,
                    corr: 0,
                    header_len: 0,
                    payload_len: 0,
                }
                .encode();
                if let Some(link) = &peer.link {
                    if link.write_frame(&mut [IoSlice::new(&head)]).is_ok() {
                        *seq += 1;
                        peer.sent.store(now, Ordering::Relaxed);
                    } else {
                        link.shutdown();
                    }
                }
            }
        }
    }
}

/// Read one frame from peer `p` and act on it: true unless it was a
/// heartbeat. An error string fails the peer.
fn read_frame(h: &Handle, p: NodeId, seq: &mut u64) -> Result<bool, String> {
    let inner = &*h.inner;
    let peer = &inner.peers[p as usize];
    let link = peer.link.as_ref().expect("peers other than me have links");
    let io = |what: &str, e: std::io::Error| -> String {
        match e.kind() {
            std::io::ErrorKind::UnexpectedEof => format!("connection closed by peer ({what})"),
            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut => {
                format!("stalled in the middle of a frame ({what})")
            }
            _ => format!("{what}: {e}"),
        }
    };
    let mut hb = [0u8; FRAME_HEADER_LEN];
    link.read_exact(&mut hb)
        .map_err(|e| io("frame header", e))?;
    let head = FrameHeader::decode(&hb, inner.cfg.max_payload).map_err(|e| e.to_string())?;
    head.check_stream(p, *seq).map_err(|e| e.to_string())?;
    *seq += 1;
    let header = link
        .read_vec(head.header_len as usize)
        .map_err(|e| io("message header", e))?;
    peer.heard.store(inner.now_ms(), Ordering::Relaxed);
    let len = head.payload_len as usize;

    if head.flags & FLAG_RESPONSE != 0 {
        let slot = inner.pending.lock().unwrap().remove(&head.corr);
        let Some(slot) = slot.filter(|s| s.to == p) else {
            // A reply nobody waits for (the requester timed out): drain it.
            let mut sink = vec![0u8; len];
            link.read_exact(&mut sink).map_err(|e| io("payload", e))?;
            return Ok(true);
        };
        let result = if head.flags & FLAG_ERROR != 0 {
            let mut sink = vec![0u8; len];
            let r = link.read_exact(&mut sink).map_err(|e| io("payload", e));
            let reason = String::from_utf8_lossy(&header).into_owned();
            if let Err(e) = r {
                slot.complete(Err(Error::PeerFailed {
                    node: p,
                    reason: e.clone(),
                }));
                return Err(e);
            }
            Err(Error::Remote { node: p, reason })
        } else {
            let reply = Reply {
                kind: head.kind,
                header,
                len,
            };
            let read = match &slot.into {
                Some(into) if len <= into.cap => {
                    // SAFETY: `into` points to the requester's `&mut [u8]` of
                    // `cap` bytes; the requester stays blocked in `finish` (or
                    // `abandon`) until this slot is completed, and we removed
                    // the slot from the table, so no other thread writes it.
                    let buf = unsafe { std::slice::from_raw_parts_mut(into.ptr, len) };
                    link.read_exact(buf).map(|()| Ok((reply, Vec::new())))
                }
                Some(into) => {
                    let mut sink = vec![0u8; len];
                    link.read_exact(&mut sink)
                        .map(|()| Err(Error::ReplyTooLong { len, cap: into.cap }))
                }
                None => link.read_vec(len).map(|v| Ok((reply, v))),
            };
            match read {
                Ok(r) => r,
                Err(e) => {
                    let reason = io("payload", e);
                    slot.complete(Err(Error::PeerFailed {
                        node: p,
                        reason: reason.clone(),
                    }));
                    return Err(reason);
                }
            }
        };
        slot.complete(result);
        return Ok(true);
    }

    let payload = link.read_vec(len).map_err(|e| io("payload", e))?;
    let traffic = head.kind != KIND_HEARTBEAT;
    match head.kind {
        KIND_HEARTBEAT => {}
        KIND_GOODBYE => {
            if peer
                .state
                .compare_exchange(UP, LEFT, Ordering::AcqRel, Ordering::Acquire)
                .is_ok()
            {
                inner.epoll.remove(link.ready_fd());
                fail_requests(h, p, Error::PeerLeft(p));
                let _ = inner.events.0.send(Event::PeerLeft { node: p });
            }
        }
        kind => {
            let corr = if head.flags & FLAG_REQUEST != 0 {
                head.corr
            } else {
                0
            };
            let _ = h.deliver_local(Message {
                from: p,
                kind,
                corr,
                header,
                payload,
            });
        }
    }
    Ok(traffic)
}

fn fail_requests(h: &Handle, p: NodeId, e: Error) {
    let slots: Vec<_> = {
        let mut pending = h.inner.pending.lock().unwrap();
        let corrs: Vec<u64> = pending
            .iter()
            .filter(|(_, s)| s.to == p)
            .map(|(c, _)| *c)
            .collect();
        corrs
            .into_iter()
            .filter_map(|c| pending.remove(&c))
            .collect()
    };
    for s in slots {
        s.complete(Err(e.clone()));
    }
}

/// Declare `p` failed: once, from the progress thread.
fn fail_peer(h: &Handle, p: NodeId, reason: String) {
    let inner = &*h.inner;
    let peer = &inner.peers[p as usize];
    if peer
        .state
        .compare_exchange(UP, FAILED, Ordering::AcqRel, Ordering::Acquire)
        .is_err()
    {
        return;
    }
    let link = peer.link.as_ref().expect("peers other than me have links");
    let reason = format!("{} ({})", reason, link.describe());
    let err = Error::PeerFailed {
        node: p,
        reason: reason.clone(),
    };
    *peer.failure.lock().unwrap() = Some(err.clone());
    inner.epoll.remove(link.ready_fd());
    link.shutdown();
    fail_requests(h, p, err);
    if !inner.stopping.load(Ordering::Acquire) {
        let _ = inner.events.0.send(Event::PeerFailed { node: p, reason });
    }
}
