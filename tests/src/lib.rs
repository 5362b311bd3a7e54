//! Differential C conformance tests (see tests/README.md).
