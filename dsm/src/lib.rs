//! pomp's distributed shared memory: one window of virtual memory that
//! looks the same on every node of a job, kept sequentially consistent per
//! page by a home-based MSI protocol over `pomp-transport`.

pub mod proto;
