//! The RDMA backend (cargo feature `rdma`): one reliable-connected queue
//! pair per pair of nodes, on the `ibverbs` crate.
//!
//! Setup rides on the TCP mesh: [`tcp::establish`] builds and authenticates
//! one TCP connection per pair exactly as the TCP backend does; over it the
//! two sides exchange their queue-pair endpoints (QP number, LID, GID), move
//! their QPs to ready-to-send, and from then on frames travel as verbs
//! SENDs. The TCP connection stays open as a liveness wire: a peer whose
//! process dies resets it, which fails the link at once instead of after
//! the heartbeat timeout.
//!
//! The link is a byte stream to the protocol layer ([`Link`]), so framing,
//! sequence checks, heartbeats and request/response are the code tested
//! over TCP. Data path:
//!
//! - send: a registered ring of `SLOTS` chunks of `CHUNK` bytes; a frame is
//!   copied into free chunks (the one copy on the sending side) and each
//!   chunk is posted as a signalled SEND; a chunk is reused only after its
//!   completion has been polled;
//! - receive: `SLOTS` registered chunks are kept posted; a poller thread
//!   polls the receive completion queue and queues completed chunks, ringing
//!   an eventfd that the node's progress thread waits on; the progress thread
//!   copies out of the chunk (the one copy on the receiving side) and
//!   reposts it.
//!
//! The verbs objects (device context, protection domain, completion
//! queues) are created once per link and live until the process exits (they
//! are leaked to give them the `'static` lifetime the crate's borrows ask
//! for); a job opens a handful of them.
//!
//! This kernel has no RDMA device, so the tests that need one are
//! `#[ignore]`d (`tests/rdma.rs`) and say so.

use crate::auth::Secret;
use crate::link::Link;
use crate::node::{Config, Error, Handler, Node, NodeId};
use crate::sys::Doorbell;
use crate::tcp;
use ibverbs::{
    CompletionQueue, Context, MemoryRegion, ProtectionDomain, QueuePair, QueuePairEndpoint,
};
use std::collections::VecDeque;
use std::io::{self, IoSlice, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::os::fd::{AsRawFd, RawFd};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};

/// Bytes per send or receive chunk.
const CHUNK: usize = 64 * 1024;
/// Chunks in each ring (and receives kept posted).
const SLOTS: usize = 32;

/// Connect node `me` to the job over RDMA. `device` picks the verbs
/// device by name (`None`: the first one).
pub fn connect(
    listener: TcpListener,
    me: NodeId,
    addrs: &[SocketAddr],
    secret: &Secret,
    cfg: Config,
    handler: Option<Handler>,
    device: Option<&str>,
) -> Result<Node, Error> {
    let streams = tcp::establish(listener, me, addrs, secret, &cfg)?;
    let mut table: Vec<Option<Box<dyn Link>>> = Vec::with_capacity(streams.len());
    for (p, s) in streams.into_iter().enumerate() {
        table.push(match s {
            None => None,
            Some(s) => {
                let link = RdmaLink::new(s, device, cfg.peer_timeout)
                    .map_err(|e| Error::Setup(format!("node {me}: RDMA link to node {p}: {e}")))?;
                Some(Box::new(link))
            }
        });
    }
    Node::start(me, table, cfg, handler)
}

/// The names of the verbs devices on this machine (empty without RDMA).
pub fn devices() -> Vec<String> {
    ibverbs::devices()
        .map(|l| {
            l.iter()
                .filter_map(|d| d.name().map(|n| n.to_string_lossy().into_owned()))
                .collect()
        })
        .unwrap_or_default()
}

fn open_device(name: Option<&str>) -> io::Result<&'static Context> {
    let list = ibverbs::devices()?;
    let dev = list
        .iter()
        .find(|d| match (name, d.name()) {
            (None, _) => true,
            (Some(want), Some(have)) => have.to_bytes() == want.as_bytes(),
            (Some(_), None) => false,
        })
        .ok_or_else(|| {
            io::Error::new(
                io::ErrorKind::NotFound,
                match name {
                    Some(n) => format!("no RDMA device named {n}"),
                    None => "no RDMA device on this machine".to_string(),
                },
            )
        })?;
    Ok(Box::leak(Box::new(dev.open()?)))
}

/// Send side: the ring of registered chunks and how many are in flight.
struct SendRing {
    mr: MemoryRegion<u8>,
    /// Next chunk to fill; chunks `next - in_flight .. next` (mod SLOTS) are posted.
    next: usize,
    in_flight: usize,
}

/// Receive side, owned by the progress thread (the poller only queues).
struct RecvState {
    mr: MemoryRegion<u8>,
    /// The chunk being consumed: (slot, length, offset).
    current: Option<(usize, usize, usize)>,
}

/// What the poller thread shares with the link.
struct Shared {
    ready: Mutex<VecDeque<(usize, usize)>>,
    arrived: Condvar,
    bell: Doorbell,
    broken: Mutex<Option<String>>,
    stop: AtomicBool,
}

impl Shared {
    fn fail(&self, why: String) {
        let mut b = self.broken.lock().unwrap();
        if b.is_none() {
            *b = Some(why);
        }
        drop(b);
        let _q = self.ready.lock().unwrap();
        self.bell.ring();
        self.arrived.notify_all();
    }

    fn broken(&self) -> Option<io::Error> {
        self.broken
            .lock()
            .unwrap()
            .as_ref()
            .map(|w| io::Error::new(io::ErrorKind::ConnectionReset, w.clone()))
    }
}

/// A [`Link`] over one RC queue pair.
pub struct RdmaLink {
    qp: Mutex<QueuePair<'static>>,
    send: Mutex<SendRing>,
    send_cq: &'static CompletionQueue<'static>,
    recv: Mutex<RecvState>,
    shared: Arc<Shared>,
    /// The bootstrap connection, kept as a liveness wire.
    wire: TcpStream,
    timeout: Duration,
    what: String,
}

impl RdmaLink {
    fn new(mut wire: TcpStream, device: Option<&str>, timeout: Duration) -> io::Result<RdmaLink> {
        let what = format!(
            "rdma via {}",
            wire.peer_addr().map(|a| a.to_string()).unwrap_or_default()
        );
        let ctx = open_device(device)?;
        let send_cq: &'static CompletionQueue<'static> =
            Box::leak(Box::new(ctx.create_cq(SLOTS as i32 * 2, 0)?));
        let recv_cq: &'static CompletionQueue<'static> =
            Box::leak(Box::new(ctx.create_cq(SLOTS as i32 * 2, 1)?));
        let pd: &'static ProtectionDomain<'static> = Box::leak(Box::new(ctx.alloc_pd()?));
        let mut builder = pd.create_qp(send_cq, recv_cq, ibverbs::ibv_qp_type::IBV_QPT_RC);
        builder
            .set_max_send_wr(SLOTS as u32)
            .set_max_recv_wr(SLOTS as u32)
            // Retry forever on receiver-not-ready: the receiver reposts as
            // fast as the protocol consumes; a dead peer is the TCP wire's
            // and the heartbeat's business.
            .set_rnr_retry(7);
        let prepared = builder.build()?;

        // Exchange endpoints over the authenticated TCP connection.
        let mine = encode_endpoint(&prepared.endpoint());
        wire.write_all(&(mine.len() as u32).to_le_bytes())?;
        wire.write_all(&mine)?;
        let mut len = [0u8; 4];
        wire.read_exact(&mut len)?;
        let len = u32::from_le_bytes(len) as usize;
        if len > 4096 {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "queue-pair endpoint too long",
            ));
        }
        let mut theirs = vec![0u8; len];
        wire.read_exact(&mut theirs)?;
        let remote = decode_endpoint(&theirs)?;
        let mut qp = prepared.handshake(remote)?;

        let send_mr = pd.allocate::<u8>(SLOTS * CHUNK)?;
        let mut recv_mr = pd.allocate::<u8>(SLOTS * CHUNK)?;
        for slot in 0..SLOTS {
            // SAFETY: each receive chunk is owned by the device from this
            // post until its completion is polled by the poller thread and
            // handed to the progress thread, which reads it and reposts it;
            // the memory region lives in the link, which outlives the QP's use.
            unsafe {
                qp.post_receive(&mut recv_mr, slot * CHUNK..(slot + 1) * CHUNK, slot as u64)
            }?;
        }
        // Both sides have posted their receives before either sends.
        wire.write_all(&[1])?;
        let mut go = [0u8; 1];
        wire.read_exact(&mut go)?;
        wire.set_nonblocking(true)?;

        let shared = Arc::new(Shared {
            ready: Mutex::new(VecDeque::new()),
            arrived: Condvar::new(),
            bell: Doorbell::new()?,
            broken: Mutex::new(None),
            stop: AtomicBool::new(false),
        });
        let sh = shared.clone();
        let wire_fd = wire.as_raw_fd();
        std::thread::Builder::new()
            .name("pomp-rdma-poll".into())
            .spawn(move || poll_receives(recv_cq, &sh, wire_fd))?;
        Ok(RdmaLink {
            qp: Mutex::new(qp),
            send: Mutex::new(SendRing {
                mr: send_mr,
                next: 0,
                in_flight: 0,
            }),
            send_cq,
            recv: Mutex::new(RecvState {
                mr: recv_mr,
                current: None,
            }),
            shared,
            wire,
            timeout,
            what,
        })
    }

    /// Reap send completions; with `need` set, until at least one chunk is free.
    fn reap_sends(&self, ring: &mut SendRing, need: bool) -> io::Result<()> {
        let mut wcs = [ibverbs::ibv_wc::default(); SLOTS];
        let t0 = Instant::now();
        loop {
            let done = self.send_cq.poll(&mut wcs)?;
            for wc in done.iter() {
                if let Some((status, vendor)) = wc.error() {
                    let why =
                        format!("send completion failed: status {status:?}, vendor error {vendor}");
                    self.shared.fail(why.clone());
                    return Err(io::Error::new(io::ErrorKind::ConnectionReset, why));
                }
                ring.in_flight -= 1;
            }
            if !need || ring.in_flight < SLOTS {
                return Ok(());
            }
            if let Some(e) = self.shared.broken() {
                return Err(e);
            }
            if t0.elapsed() > self.timeout {
                return Err(io::Error::new(
                    io::ErrorKind::TimedOut,
                    "send queue stalled",
                ));
            }
            std::hint::spin_loop();
        }
    }
}

/// The poller thread: queue completed receive chunks and ring the doorbell;
/// watch the TCP wire for the peer's death. Busy-polls while traffic
/// flows, backs off to sleeping 100 us when idle.
fn poll_receives(cq: &'static CompletionQueue<'static>, sh: &Shared, wire_fd: RawFd) {
    let mut wcs = [ibverbs::ibv_wc::default(); SLOTS];
    let mut idle = 0u32;
    let mut last_wire_check = Instant::now();
    while !sh.stop.load(Ordering::Acquire) {
        let done = match cq.poll(&mut wcs) {
            Ok(d) => d,
            Err(e) => {
                sh.fail(format!("polling receive completions: {e}"));
                return;
            }
        };
        if done.is_empty() {
            idle = idle.saturating_add(1);
            if idle > 10_000 {
                std::thread::sleep(Duration::from_micros(100));
            } else {
                std::hint::spin_loop();
            }
        } else {
            idle = 0;
            let mut q = sh.ready.lock().unwrap();
            for wc in done.iter() {
                if let Some((status, vendor)) = wc.error() {
                    drop(q);
                    sh.fail(format!(
                        "receive completion failed: status {status:?}, vendor error {vendor}"
                    ));
                    return;
                }
                q.push_back((wc.wr_id() as usize, wc.len()));
            }
            sh.bell.ring();
            sh.arrived.notify_all();
        }
        if last_wire_check.elapsed() > Duration::from_millis(10) {
            last_wire_check = Instant::now();
            if let Some(why) = wire_closed(wire_fd) {
                sh.fail(why);
                return;
            }
        }
    }
}

/// Whether the bootstrap TCP connection has been closed or reset by the peer.
fn wire_closed(fd: RawFd) -> Option<String> {
    let mut b = [0u8; 1];
    // SAFETY: a non-blocking peek of at most one byte into a live local buffer.
    let n = unsafe {
        libc::recv(
            fd,
            b.as_mut_ptr().cast(),
            1,
            libc::MSG_PEEK | libc::MSG_DONTWAIT,
        )
    };
    match n {
        0 => Some("peer closed its connection".into()),
        n if n > 0 => None,
        _ => {
            let e = io::Error::last_os_error();
            (e.kind() != io::ErrorKind::WouldBlock && e.kind() != io::ErrorKind::Interrupted)
                .then(|| format!("peer connection: {e}"))
        }
    }
}

impl Link for RdmaLink {
    fn write_frame(&self, parts: &mut [IoSlice<'_>]) -> io::Result<()> {
        if let Some(e) = self.shared.broken() {
            return Err(e);
        }
        let mut ring = self.send.lock().unwrap();
        let (mut pi, mut po) = (0usize, 0usize);
        loop {
            while pi < parts.len() && po == parts[pi].len() {
                pi += 1;
                po = 0;
            }
            if pi == parts.len() {
                break;
            }
            if ring.in_flight == SLOTS {
                self.reap_sends(&mut ring, true)?;
            }
            let slot = ring.next;
            let base = slot * CHUNK;
            let mut len = 0;
            while len < CHUNK && pi < parts.len() {
                let src = &parts[pi][po..];
                let n = src.len().min(CHUNK - len);
                ring.mr[base + len..base + len + n].copy_from_slice(&src[..n]);
                len += n;
                po += n;
                if po == parts[pi].len() {
                    pi += 1;
                    po = 0;
                }
            }
            let SendRing { mr, .. } = &mut *ring;
            // SAFETY: chunk `slot` is not in flight (in_flight < SLOTS and
            // chunks are posted and completed in ring order on an RC QP), and
            // it is not written again until its completion is reaped by
            // `reap_sends`; the region lives as long as the link.
            unsafe {
                self.qp
                    .lock()
                    .unwrap()
                    .post_send(mr, base..base + len, slot as u64)
            }?;
            ring.in_flight += 1;
            ring.next = (slot + 1) % SLOTS;
        }
        self.reap_sends(&mut ring, false)
    }

    fn read_exact(&self, buf: &mut [u8]) -> io::Result<()> {
        let mut st = self.recv.lock().unwrap();
        let mut filled = 0;
        while filled < buf.len() {
            let Some((slot, len, off)) = st.current else {
                let deadline = Instant::now() + self.timeout;
                let mut q = self.shared.ready.lock().unwrap();
                loop {
                    if let Some(next) = q.pop_front() {
                        st.current = Some((next.0, next.1, 0));
                        break;
                    }
                    if let Some(e) = self.shared.broken() {
                        return Err(e);
                    }
                    let now = Instant::now();
                    if now >= deadline {
                        return Err(io::Error::new(
                            io::ErrorKind::TimedOut,
                            "no data from the peer",
                        ));
                    }
                    q = self
                        .shared
                        .arrived
                        .wait_timeout(q, deadline - now)
                        .unwrap()
                        .0;
                }
                continue;
            };
            let n = (len - off).min(buf.len() - filled);
            let base = slot * CHUNK + off;
            buf[filled..filled + n].copy_from_slice(&st.mr[base..base + n]);
            filled += n;
            if off + n == len {
                st.current = None;
                let RecvState { mr, .. } = &mut *st;
                // SAFETY: the chunk has been read completely and nobody
                // holds a reference into it; it belongs to the device again
                // until its next completion is polled.
                unsafe {
                    self.qp.lock().unwrap().post_receive(
                        mr,
                        slot * CHUNK..(slot + 1) * CHUNK,
                        slot as u64,
                    )
                }?;
            } else {
                st.current = Some((slot, len, off + n));
            }
        }
        if st.current.is_none() {
            let q = self.shared.ready.lock().unwrap();
            if q.is_empty() && self.shared.broken.lock().unwrap().is_none() {
                // Nothing buffered: let the progress thread sleep until the
                // poller rings again (it rings under the same lock).
                self.shared.bell.clear();
            }
        }
        Ok(())
    }

    fn ready_fd(&self) -> RawFd {
        self.shared.bell.fd()
    }

    fn shutdown(&self) {
        self.shared.stop.store(true, Ordering::Release);
        self.shared.fail("link shut down".into());
        let _ = self.wire.shutdown(std::net::Shutdown::Both);
    }

    fn describe(&self) -> String {
        self.what.clone()
    }
}

/// A queue-pair endpoint (QP number, LID, GID) as sent over the bootstrap wire.
fn encode_endpoint(e: &QueuePairEndpoint) -> Vec<u8> {
    // The crate's endpoint is serde-serialisable; JSON keeps us clear of
    // the GID's union layout.
    serde_json::to_vec(e).unwrap_or_default()
}

fn decode_endpoint(b: &[u8]) -> io::Result<QueuePairEndpoint> {
    serde_json::from_slice(b).map_err(|e| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            format!("queue-pair endpoint: {e}"),
        )
    })
}
