//! The C ABI of pomp.
