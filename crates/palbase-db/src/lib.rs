//! The Database service (issue: database). Not implemented yet; the server registers no db ops.
