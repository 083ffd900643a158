//! Signature headers of every provider: `name: value` lines, a blank line, then the body.
#![no_main]
use std::time::{Duration, SystemTime};

use palbase_webhooks::{Delivery, Options, Provider, Secrets, verify};

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Some((&which, rest)) = data.split_first() else { return };
    let split = rest.windows(2).position(|w| w == b"\n\n").unwrap_or(rest.len());
    let (head, body) = (&rest[..split], rest.get(split + 2..).unwrap_or_default());
    let headers: Vec<(String, Vec<u8>)> = head
        .split(|b| *b == b'\n')
        .filter_map(|line| {
            let i = line.iter().position(|b| *b == b':')?;
            Some((String::from_utf8_lossy(&line[..i]).trim().to_ascii_lowercase(), line[i + 1..].trim_ascii().to_vec()))
        })
        .collect();
    let provider = Provider::ALL[usize::from(which) % Provider::ALL.len()];
    let secrets = Secrets::new(["whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "It's a Secret to Everybody"]);
    let options = Options::at(SystemTime::UNIX_EPOCH + Duration::from_secs(1_614_265_330));
    let _ = verify(provider, &secrets, &Delivery::new(&headers, body), &options);
});
