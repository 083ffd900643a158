//! Raw bytes as an HTTP/1.1 connection: request line, headers, query, path, and JSON,
//! urlencoded and multipart bodies, shaped as a handler would see them.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| palbase_server::fuzzing::request(data));
