//! The per-job secret and the handshake that proves it, in both directions,
//! before a connection carries any message (DESIGN.md section 6).
//!
//! ```text
//!   each side sends   HELLO = "PoMPhs01" | version u8 | node u32 | nodes u32 | nonce [32]
//!   each side sends   PROOF = HMAC-SHA256(secret, "pomp-transport-v1" | from u32 | to u32
//!                                                  | nonce(from) | nonce(to))
//!   each side sends   ACK   = 1 byte 0x06, only after it has verified the peer's PROOF
//! ```
//!
//! A proof binds both nonces and both node ids in order, so it cannot be
//! replayed on another connection nor reflected back to its sender. The
//! comparison is constant-time (`Mac::verify_slice`). A side that fails to
//! verify closes the connection without sending its ACK, so neither side
//! ever treats a half-authenticated connection as up.

use hmac::{Hmac, Mac};
use sha2::Sha256;
use std::fmt;
use std::io::{self, Read, Write};
use std::path::Path;

type HmacSha256 = Hmac<Sha256>;

const HELLO_MAGIC: [u8; 8] = *b"PoMPhs01";
const HELLO_LEN: usize = 8 + 1 + 4 + 4 + 32;
const PROOF_LEN: usize = 32;
const ACK: u8 = 0x06;
const PROOF_LABEL: &[u8] = b"pomp-transport-v1";

/// Environment variable holding the job secret as hex.
pub const ENV_SECRET: &str = "POMP_JOB_SECRET";
/// Environment variable naming a file (mode 0600 or stricter) holding the
/// job secret as hex; preferred to [`ENV_SECRET`] by the launcher.
pub const ENV_SECRET_FILE: &str = "POMP_JOB_SECRET_FILE";

/// A per-job secret: at least 16 bytes, normally 32 random ones.
#[derive(Clone)]
pub struct Secret(Vec<u8>);

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret(<{} bytes>)", self.0.len())
    }
}

impl Secret {
    /// 32 bytes from the operating system's random source.
    pub fn generate() -> io::Result<Secret> {
        let mut b = vec![0u8; 32];
        getrandom::getrandom(&mut b)
            .map_err(|e| io::Error::other(format!("random source: {e}")))?;
        Ok(Secret(b))
    }

    /// A secret from raw bytes (tests; at least 16 bytes).
    pub fn from_bytes(b: &[u8]) -> Result<Secret, String> {
        if b.len() < 16 {
            return Err(format!(
                "job secret is {} bytes, at least 16 are needed",
                b.len()
            ));
        }
        Ok(Secret(b.to_vec()))
    }

    /// Parse the hex form the launcher writes.
    pub fn from_hex(s: &str) -> Result<Secret, String> {
        let s = s.trim();
        if s.len() & 1 != 0 || !s.bytes().all(|c| c.is_ascii_hexdigit()) {
            return Err("job secret is not an even number of hex digits".into());
        }
        let b: Vec<u8> = (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap_or(0))
            .collect();
        Secret::from_bytes(&b)
    }

    /// The hex form.
    pub fn to_hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// Read a secret file, refusing one that other users could read.
    pub fn from_file(path: &Path) -> Result<Secret, String> {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(path)
            .map_err(|e| format!("job secret file {}: {e}", path.display()))?;
        if meta.mode() & 0o077 != 0 {
            return Err(format!(
                "job secret file {} is readable by others (mode {:o}); it must be 0600",
                path.display(),
                meta.mode() & 0o777
            ));
        }
        // SAFETY: getuid has no preconditions and cannot fail.
        let uid = unsafe { libc::getuid() };
        if meta.uid() != uid {
            return Err(format!(
                "job secret file {} is not owned by this user",
                path.display()
            ));
        }
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("job secret file {}: {e}", path.display()))?;
        Secret::from_hex(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// Write the secret to a new file readable only by this user.
    pub fn write_file(&self, path: &Path) -> io::Result<()> {
        use std::os::unix::fs::OpenOptionsExt;
        let mut f = std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .mode(0o600)
            .open(path)?;
        f.write_all(self.to_hex().as_bytes())
    }

    /// The secret as the launcher hands it over: `POMP_JOB_SECRET_FILE`
    /// first, then `POMP_JOB_SECRET`.
    pub fn from_env() -> Result<Secret, String> {
        if let Some(p) = std::env::var_os(ENV_SECRET_FILE) {
            return Secret::from_file(Path::new(&p));
        }
        match std::env::var(ENV_SECRET) {
            Ok(s) => Secret::from_hex(&s).map_err(|e| format!("{ENV_SECRET}: {e}")),
            Err(_) => Err(format!(
                "no job secret: neither {ENV_SECRET_FILE} nor {ENV_SECRET} is set"
            )),
        }
    }

    fn proof(&self, from: u32, to: u32, nonce_from: &[u8; 32], nonce_to: &[u8; 32]) -> HmacSha256 {
        // new_from_slice accepts keys of any length for HMAC.
        let mut mac = HmacSha256::new_from_slice(&self.0).expect("HMAC takes any key length");
        mac.update(PROOF_LABEL);
        mac.update(&from.to_le_bytes());
        mac.update(&to.to_le_bytes());
        mac.update(nonce_from);
        mac.update(nonce_to);
        mac
    }
}

/// Why a handshake failed. The connection is closed in every case.
#[derive(Debug)]
pub enum HandshakeError {
    Io(io::Error),
    NotPomp,
    Version(u8),
    WrongJob { nodes: u32, expected: u32 },
    UnexpectedNode(u32),
    BadProof,
    Refused,
}

impl fmt::Display for HandshakeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HandshakeError::Io(e) if e.kind() == io::ErrorKind::UnexpectedEof => {
                write!(f, "peer closed the connection during the handshake")
            }
            HandshakeError::Io(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                write!(f, "handshake timed out")
            }
            HandshakeError::Io(e) => write!(f, "{e}"),
            HandshakeError::NotPomp => write!(f, "peer is not a pomp node (bad hello)"),
            HandshakeError::Version(v) => write!(f, "peer speaks handshake version {v}"),
            HandshakeError::WrongJob { nodes, expected } => {
                write!(
                    f,
                    "peer belongs to a job of {nodes} nodes, this job has {expected}"
                )
            }
            HandshakeError::UnexpectedNode(n) => write!(f, "unexpected node id {n}"),
            HandshakeError::BadProof => write!(f, "peer failed to prove the job secret"),
            HandshakeError::Refused => write!(f, "peer refused our proof of the job secret"),
        }
    }
}

impl From<io::Error> for HandshakeError {
    fn from(e: io::Error) -> Self {
        HandshakeError::Io(e)
    }
}

/// Run the handshake on a fresh stream. `me` is this node, `nodes` the job's
/// node count; `accept(id)` says whether a peer claiming `id` is welcome
/// (the connecting side insists on the node it dialled). Returns the
/// authenticated peer id.
pub fn handshake<S: Read + Write>(
    s: &mut S,
    secret: &Secret,
    me: u32,
    nodes: u32,
    accept: impl Fn(u32) -> bool,
) -> Result<u32, HandshakeError> {
    let mut nonce = [0u8; 32];
    getrandom::getrandom(&mut nonce)
        .map_err(|e| io::Error::other(format!("random source: {e}")))?;
    let mut hello = [0u8; HELLO_LEN];
    hello[..8].copy_from_slice(&HELLO_MAGIC);
    hello[8] = crate::wire::VERSION;
    hello[9..13].copy_from_slice(&me.to_le_bytes());
    hello[13..17].copy_from_slice(&nodes.to_le_bytes());
    hello[17..].copy_from_slice(&nonce);
    s.write_all(&hello)?;
    s.flush()?;

    let mut theirs = [0u8; HELLO_LEN];
    s.read_exact(&mut theirs)?;
    if theirs[..8] != HELLO_MAGIC {
        return Err(HandshakeError::NotPomp);
    }
    if theirs[8] != crate::wire::VERSION {
        return Err(HandshakeError::Version(theirs[8]));
    }
    let peer = u32::from_le_bytes([theirs[9], theirs[10], theirs[11], theirs[12]]);
    let their_nodes = u32::from_le_bytes([theirs[13], theirs[14], theirs[15], theirs[16]]);
    if their_nodes != nodes {
        return Err(HandshakeError::WrongJob {
            nodes: their_nodes,
            expected: nodes,
        });
    }
    if peer == me || peer >= nodes || !accept(peer) {
        return Err(HandshakeError::UnexpectedNode(peer));
    }
    let mut their_nonce = [0u8; 32];
    their_nonce.copy_from_slice(&theirs[17..]);
    if their_nonce == nonce {
        // Only a reflection of our own hello can match a fresh random nonce.
        return Err(HandshakeError::BadProof);
    }

    let proof = secret
        .proof(me, peer, &nonce, &their_nonce)
        .finalize()
        .into_bytes();
    s.write_all(&proof)?;
    s.flush()?;
    let mut their_proof = [0u8; PROOF_LEN];
    s.read_exact(&mut their_proof)?;
    secret
        .proof(peer, me, &their_nonce, &nonce)
        .verify_slice(&their_proof)
        .map_err(|_| HandshakeError::BadProof)?;
    s.write_all(&[ACK])?;
    s.flush()?;
    let mut ack = [0u8; 1];
    match s.read_exact(&mut ack) {
        Ok(()) if ack[0] == ACK => Ok(peer),
        Ok(()) => Err(HandshakeError::NotPomp),
        Err(e) if e.kind() == io::ErrorKind::UnexpectedEof => Err(HandshakeError::Refused),
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::net::UnixStream;

    fn pair(sa: Secret, sb: Secret) -> (Result<u32, HandshakeError>, Result<u32, HandshakeError>) {
        let (mut a, mut b) = UnixStream::pair().unwrap();
        let t = std::thread::spawn(move || {
            let r = handshake(&mut b, &sb, 1, 2, |p| p == 0);
            drop(b);
            r
        });
        let ra = handshake(&mut a, &sa, 0, 2, |p| p == 1);
        drop(a);
        (ra, t.join().unwrap())
    }

    #[test]
    fn same_secret_authenticates_both_ways() {
        let s = Secret::generate().unwrap();
        let (a, b) = pair(s.clone(), s);
        assert_eq!(a.unwrap(), 1);
        assert_eq!(b.unwrap(), 0);
    }

    #[test]
    fn wrong_secret_is_refused_on_both_sides() {
        let (a, b) = pair(Secret::generate().unwrap(), Secret::generate().unwrap());
        assert!(matches!(a, Err(HandshakeError::BadProof)), "{a:?}");
        assert!(matches!(b, Err(HandshakeError::BadProof)), "{b:?}");
    }

    #[test]
    fn garbage_and_reflection_are_refused() {
        let s = Secret::generate().unwrap();
        let (mut a, mut b) = UnixStream::pair().unwrap();
        b.write_all(&[0x47u8; 200]).unwrap();
        assert!(matches!(
            handshake(&mut a, &s, 0, 2, |_| true),
            Err(HandshakeError::NotPomp)
        ));
        drop(b);
        // An attacker who echoes our own bytes back claims to be us.
        let (mut a, b) = UnixStream::pair().unwrap();
        let t = std::thread::spawn(move || {
            let mut b = b;
            let mut buf = [0u8; HELLO_LEN];
            b.read_exact(&mut buf).unwrap();
            b.write_all(&buf).unwrap();
        });
        let r = handshake(&mut a, &s, 0, 2, |_| true);
        assert!(matches!(r, Err(HandshakeError::UnexpectedNode(0))), "{r:?}");
        t.join().unwrap();
    }

    #[test]
    fn secret_parsing_and_files() {
        assert!(Secret::from_hex("abc").is_err());
        assert!(Secret::from_hex("zz".repeat(16).as_str()).is_err());
        assert!(Secret::from_hex(&"ab".repeat(8)).is_err(), "too short");
        let s = Secret::generate().unwrap();
        assert_eq!(Secret::from_hex(&s.to_hex()).unwrap().0, s.0);
        let dir = std::env::temp_dir().join(format!("pomp-secret-{}", std::process::id()));
        let _ = std::fs::remove_file(&dir);
        s.write_file(&dir).unwrap();
        assert_eq!(Secret::from_file(&dir).unwrap().0, s.0);
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o644)).unwrap();
        let e = Secret::from_file(&dir).unwrap_err();
        assert!(e.contains("readable by others"), "{e}");
        std::fs::remove_file(&dir).unwrap();
    }
}
