//! Daraja's methodology engine. Pure: data in, scores out.
