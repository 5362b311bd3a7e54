//! The node API over the in-process backend (the layer the DSM's unit tests
//! stand on): handlers on the progress thread, the receive queue, requests
//! to self, errors, bounds and shutdown.

use pomp_transport::{mem, Config, Error, Event, Handle, Handler, Message};
use std::time::Duration;

fn echo() -> Option<Handler> {
    Some(Box::new(|h: &Handle, m: Message| {
        if m.is_request() && m.kind == 1 {
            h.reply(&m, 1, &m.header, &m.payload).unwrap();
            return None;
        }
        if m.is_request() && m.kind == 2 {
            h.reply_error(&m, "no such page").unwrap();
            return None;
        }
        Some(m)
    }))
}

#[test]
fn requests_replies_and_errors() {
    let nodes = mem::mesh(3, Config::default(), |_| echo()).unwrap();
    for (i, n) in nodes.iter().enumerate() {
        assert_eq!((n.id(), n.nodes()), (i as u32, 3));
        for to in 0..3 {
            // Including to itself: handled in the caller's thread.
            let r = n.request(to, 1, b"h", &[to as u8; 4096]).unwrap();
            assert_eq!((r.from, r.kind, r.header.as_slice()), (to, 1, &b"h"[..]));
            assert_eq!(r.payload, vec![to as u8; 4096]);
            let mut page = [0u8; 4096];
            let rep = n.request_into(to, 1, b"", &[9u8; 4096], &mut page).unwrap();
            assert_eq!(rep.len, 4096);
            assert!(page.iter().all(|&b| b == 9));
        }
        assert_eq!(
            n.request((i as u32 + 1) % 3, 2, &[], &[]),
            Err(Error::Remote {
                node: (i as u32 + 1) % 3,
                reason: "no such page".into()
            })
        );
    }
}

#[test]
fn one_way_messages_reach_the_queue_in_order() {
    let nodes = mem::mesh(2, Config::default(), |_| None).unwrap();
    for i in 0..1000u32 {
        nodes[0]
            .send(1, 7, &i.to_le_bytes(), &vec![i as u8; (i % 50) as usize])
            .unwrap();
    }
    for i in 0..1000u32 {
        match nodes[1].recv_timeout(Duration::from_secs(10)).unwrap() {
            Some(Event::Message(m)) => {
                assert_eq!((m.from, m.kind, m.corr), (0, 7, 0));
                assert_eq!(m.header, i.to_le_bytes());
                assert_eq!(m.payload, vec![i as u8; (i % 50) as usize]);
            }
            other => panic!("message {i}: {other:?}"),
        }
    }
    // A request with no handler arrives in the queue and is answered from there.
    std::thread::scope(|s| {
        s.spawn(
            || match nodes[1].recv_timeout(Duration::from_secs(10)).unwrap() {
                Some(Event::Message(m)) => {
                    assert!(m.is_request());
                    nodes[1].reply(&m, 8, b"served", &m.payload).unwrap();
                }
                other => panic!("{other:?}"),
            },
        );
        let r = nodes[0].request(1, 8, &[], b"q").unwrap();
        assert_eq!(
            (r.header.as_slice(), r.payload.as_slice()),
            (&b"served"[..], &b"q"[..])
        );
    });
}

#[test]
fn bad_arguments_are_errors() {
    let cfg = Config {
        max_payload: 8192,
        ..Config::default()
    };
    let nodes = mem::mesh(2, cfg, |_| echo()).unwrap();
    let n = &nodes[0];
    assert_eq!(n.send(5, 1, &[], &[]), Err(Error::NoSuchNode(5)));
    assert_eq!(n.request(2, 1, &[], &[]).unwrap_err(), Error::NoSuchNode(2));
    assert_eq!(
        n.send(1, 0xff00, &[], &[]),
        Err(Error::ReservedKind(0xff00))
    );
    assert!(matches!(
        n.send(1, 1, &[], &[0u8; 8193]),
        Err(Error::TooLarge { .. })
    ));
    assert!(matches!(
        n.send(1, 1, &vec![0u8; 70_000], &[]),
        Err(Error::TooLarge { .. })
    ));
    let not_req = Message {
        from: 1,
        kind: 1,
        corr: 0,
        header: vec![],
        payload: vec![],
    };
    assert_eq!(n.reply(&not_req, 1, &[], &[]), Err(Error::NotARequest));
    // An unanswered request times out, and a late reply is drained.
    let r = n.request_timeout(1, 9, &[], &[], Some(Duration::from_millis(50)));
    assert_eq!(r.unwrap_err(), Error::Timeout);
    assert_eq!(
        n.request(1, 1, &[], b"still fine").unwrap().payload,
        b"still fine"
    );
}

#[test]
fn a_handler_that_waits_for_a_reply_gets_an_error_not_a_hang() {
    let handler = |_| -> Option<Handler> {
        Some(Box::new(|h: &Handle, m: Message| {
            if m.kind == 3 {
                let e = h.request(m.from, 1, &[], &[]).unwrap_err();
                h.reply(&m, 3, e.to_string().as_bytes(), &[]).unwrap();
                return None;
            }
            Some(m)
        }))
    };
    let nodes = mem::mesh(2, Config::default(), handler).unwrap();
    let r = nodes[0].request(1, 3, &[], &[]).unwrap();
    assert_eq!(
        String::from_utf8(r.header).unwrap(),
        Error::InHandler.to_string()
    );
}

#[test]
fn shutdown_is_an_orderly_goodbye() {
    let mut nodes = mem::mesh(3, Config::default(), |_| None).unwrap();
    let n2 = nodes.pop().unwrap();
    n2.send(0, 1, &[], b"last words").unwrap();
    n2.shutdown();
    let mut got = Vec::new();
    for _ in 0..2 {
        got.push(
            nodes[0]
                .recv_timeout(Duration::from_secs(10))
                .unwrap()
                .unwrap(),
        );
    }
    // The message sent before the goodbye is delivered before it.
    assert!(matches!(&got[0], Event::Message(m) if m.payload == b"last words"));
    assert_eq!(got[1], Event::PeerLeft { node: 2 });
    assert!(!nodes[0].is_up(2));
    assert_eq!(nodes[0].send(2, 1, &[], &[]), Err(Error::PeerLeft(2)));
    assert_eq!(
        nodes[1].recv_timeout(Duration::from_secs(10)).unwrap(),
        Some(Event::PeerLeft { node: 2 })
    );
}

#[test]
fn concurrent_requesters_get_their_own_replies() {
    let nodes = mem::mesh(2, Config::default(), |_| echo()).unwrap();
    std::thread::scope(|s| {
        for t in 0..8u32 {
            let n = &nodes[0];
            s.spawn(move || {
                for i in 0..500u32 {
                    let body = [t.to_le_bytes(), i.to_le_bytes()].concat();
                    let mut buf = [0u8; 8];
                    let r = n.request_into(1, 1, &[], &body, &mut buf).unwrap();
                    assert_eq!((r.len, &buf[..]), (8, &body[..]));
                }
            });
        }
    });
}

#[test]
fn request_then_calls_back_once_with_the_reply_or_the_error() {
    use std::sync::mpsc;
    let mut nodes = mem::mesh(3, Config::default(), |_| echo()).unwrap();
    let (tx, rx) = mpsc::channel::<(u32, Result<pomp_transport::Reply, Error>, Vec<u8>)>();
    // Many out at once, to every node including this one; each reply's
    // payload lands in its own buffer.
    let mut bufs: Vec<Box<[u8; 64]>> = (0..300).map(|_| Box::new([0u8; 64])).collect();
    for (i, b) in bufs.iter_mut().enumerate() {
        let to = i as u32 % 3;
        let tx = tx.clone();
        let addr = b.as_ptr() as usize;
        let done = move |r| {
            // SAFETY: the reply has been written; this is its only reader.
            let got = unsafe { std::slice::from_raw_parts(addr as *const u8, 64) }.to_vec();
            tx.send((i as u32, r, got)).unwrap();
        };
        // SAFETY: the boxes outlive every callback (all are awaited below
        // before `bufs` is dropped) and nothing else touches them meanwhile.
        unsafe { nodes[0].request_then(to, 1, b"h", &[i as u8; 64], b.as_mut_slice(), done) };
    }
    let mut seen = vec![false; 300];
    for _ in 0..300 {
        let (i, r, got) = rx.recv_timeout(Duration::from_secs(10)).unwrap();
        let r = r.unwrap();
        assert_eq!((r.kind, r.header.as_slice(), r.len), (1, &b"h"[..], 64));
        assert_eq!(got, vec![i as u8; 64]);
        assert!(!seen[i as usize], "request {i} completed twice");
        seen[i as usize] = true;
    }
    // Errors come through the callback too: an error reply, a reply that
    // does not fit, a node that does not exist, a node that left.
    let mut small = [0u8; 4];
    for (to, kind, want) in [
        (1, 2, "Remote"),
        (1, 1, "ReplyTooLong"),
        (7, 1, "NoSuchNode"),
    ] {
        let tx = tx.clone();
        // SAFETY: `small` lives until the callback ran (awaited below).
        unsafe {
            nodes[0].request_then(to, kind, &[], &[0u8; 8], &mut small, move |r| {
                tx.send((to, r, vec![])).unwrap();
            })
        };
        let (_, r, _) = rx.recv_timeout(Duration::from_secs(10)).unwrap();
        let e = format!("{:?}", r.unwrap_err());
        assert!(e.starts_with(want), "{e}");
    }
    nodes.pop().unwrap().shutdown();
    while nodes[0].is_up(2) {
        std::thread::sleep(Duration::from_millis(1));
    }
    let tx2 = tx.clone();
    // SAFETY: as above.
    unsafe {
        nodes[0].request_then(2, 1, &[], &[], &mut small, move |r| {
            tx2.send((2, r, vec![])).unwrap();
        })
    };
    let (_, r, _) = rx.recv_timeout(Duration::from_secs(10)).unwrap();
    assert_eq!(r.unwrap_err(), Error::PeerLeft(2));
    assert!(rx.try_recv().is_err(), "a callback ran twice");
}
