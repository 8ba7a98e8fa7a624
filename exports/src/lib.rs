//! Exports: plain data in, bytes out.
