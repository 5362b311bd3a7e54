//! The RDMA backend. Built only with `--features rdma`. The tests that move
//! data need a verbs device (an InfiniBand HCA, a RoCE NIC, or soft-RoCE:
//! `rdma link add rxe0 type rxe netdev eth0`), which CI machines and this
//! kernel lack, so they are ignored; run them with
//! `cargo test -p pomp-transport --features rdma --test rdma -- --ignored`
//! (`POMP_RDMA_DEVICE` picks the device; default: the first one).
#![cfg(feature = "rdma")]

use pomp_transport::{rdma, tcp, Config, Error, Handle, Handler, Message, Secret};
use std::net::SocketAddr;

fn echo() -> Option<Handler> {
    Some(Box::new(|h: &Handle, m: Message| {
        h.reply(&m, m.kind, &m.header, &m.payload).unwrap();
        None
    }))
}

fn device() -> Option<String> {
    std::env::var("POMP_RDMA_DEVICE").ok()
}

#[test]
fn without_a_device_setup_fails_with_a_clear_error() {
    if !rdma::devices().is_empty() {
        eprintln!("skipped: this machine has an RDMA device");
        return;
    }
    let secret = Secret::generate().unwrap();
    let (l0, l1) = (tcp::listen(None).unwrap(), tcp::listen(None).unwrap());
    let addrs: Vec<SocketAddr> = vec![l0.local_addr().unwrap(), l1.local_addr().unwrap()];
    let (a2, s2) = (addrs.clone(), secret.clone());
    let t = std::thread::spawn(move || {
        rdma::connect(l1, 1, &a2, &s2, Config::default(), None, None).map(|_| ())
    });
    let r0 = rdma::connect(l0, 0, &addrs, &secret, Config::default(), None, None).map(|_| ());
    let r1 = t.join().unwrap();
    for r in [r0, r1] {
        match r {
            Err(Error::Setup(msg)) => assert!(msg.contains("RDMA"), "{msg}"),
            other => panic!("expected a setup error naming RDMA, got {other:?}"),
        }
    }
}

#[test]
#[ignore = "needs an RDMA verbs device (InfiniBand, RoCE or rdma_rxe); this kernel has none"]
fn two_nodes_exchange_pages_over_verbs() {
    let secret = Secret::generate().unwrap();
    let (l0, l1) = (tcp::listen(None).unwrap(), tcp::listen(None).unwrap());
    let addrs: Vec<SocketAddr> = vec![l0.local_addr().unwrap(), l1.local_addr().unwrap()];
    let (a2, s2) = (addrs.clone(), secret.clone());
    let t = std::thread::spawn(move || {
        rdma::connect(
            l1,
            1,
            &a2,
            &s2,
            Config::default(),
            echo(),
            device().as_deref(),
        )
        .unwrap()
    });
    let n0 = rdma::connect(
        l0,
        0,
        &addrs,
        &secret,
        Config::default(),
        None,
        device().as_deref(),
    )
    .unwrap();
    let n1 = t.join().unwrap();
    for size in [0usize, 64, 4096, 65536, 1 << 20] {
        let page: Vec<u8> = (0..size).map(|i| (i * 13) as u8).collect();
        let mut back = vec![0u8; size];
        let r = n0.request_into(1, 1, b"page", &page, &mut back).unwrap();
        assert_eq!(r.len, size);
        assert_eq!(back, page);
    }
    for i in 0..10_000u32 {
        n0.send(1, 2, &i.to_le_bytes(), &[]).unwrap();
    }
    drop(n1);
    drop(n0);
}
