//! Gives back the resident pages of the binary's code and read-only data once a version is loaded.
//!
//! Start-up runs code that serving never runs again: the TypeScript compiler (oxc), QuickJS's
//! parser and bytecode reader, migrations, the SDK's top-level evaluation. The kernel maps the
//! binary's pages as they are touched, 64 KiB around each fault, and keeps them mapped: ~23 MiB of
//! a 41 MB binary stayed resident in an idle `palbase serve`, two thirds of its RSS. After a load,
//! [`release`] drops those mappings (`madvise(MADV_DONTNEED)`); the pages stay in the page cache,
//! and the ones serving uses are mapped again on their next use (a minor fault each, no I/O).
//!
//! Only mappings of the executable that are not writable and hold no private (copy-on-write)
//! page are released: for such a mapping, dropping a page loses nothing, because every page
//! equals the file. The loader's relocated read-only data (`.data.rel.ro`, RELRO) holds private
//! pages and is never touched.

/// A read-only, file-backed mapping of the executable without private pages.
#[derive(Debug, PartialEq, Eq)]
struct Mapping {
    start: usize,
    end: usize,
}

/// One mapping of `/proc/self/smaps`: its header and the two counters used here.
struct Entry<'a> {
    range: Mapping,
    /// Readable, not writable, private (`r-?p`).
    read_only: bool,
    path: &'a str,
    rss_kb: u64,
    anonymous_kb: Option<u64>,
}

/// The mappings of the text of `/proc/self/smaps`, in order.
fn entries(smaps: &str) -> Vec<Entry<'_>> {
    let mut out: Vec<Entry> = Vec::new();
    for line in smaps.lines() {
        let mut fields = line.split_ascii_whitespace();
        let Some(first) = fields.next() else { continue };
        if let Some((start, end)) = first.split_once('-').and_then(|(s, e)| Some((usize::from_str_radix(s, 16).ok()?, usize::from_str_radix(e, 16).ok()?))) {
            // A mapping's header: `start-end perms offset dev inode path`.
            let perms = fields.next().unwrap_or("");
            // The path is the rest of the line after four more fields (it may hold spaces).
            let mut path = line;
            for _ in 0..5 {
                path = path.trim_start().split_once(' ').map_or("", |(_, rest)| rest);
            }
            let read_only = perms.starts_with('r') && perms.as_bytes().get(1) == Some(&b'-') && perms.ends_with('p');
            out.push(Entry { range: Mapping { start, end }, read_only, path: path.trim(), rss_kb: 0, anonymous_kb: None });
        } else if let Some(e) = out.last_mut() {
            let kb = fields.next().and_then(|n| n.parse::<u64>().ok());
            match first {
                "Rss:" => e.rss_kb = kb.unwrap_or(0),
                "Anonymous:" => e.anonymous_kb = kb,
                _ => {}
            }
        }
    }
    out
}

/// Whether [`release`] may drop the mapping: the executable's, read-only, and without private
/// pages (written before the mapping became read-only).
fn releasable(e: &Entry<'_>, exe: &str) -> bool {
    e.read_only && e.path == exe && e.anonymous_kb == Some(0)
}

/// Drops the resident pages of the executable's read-only mappings (see the module's comment).
/// Best effort: on a system without `/proc` it does nothing.
pub(crate) fn release() {
    #[cfg(target_os = "linux")]
    {
        let Ok(exe) = std::fs::read_link("/proc/self/exe") else { return };
        let Ok(smaps) = std::fs::read_to_string("/proc/self/smaps") else { return };
        let Some(exe) = exe.to_str() else { return };
        for e in entries(&smaps).into_iter().filter(|e| releasable(e, exe)) {
            advise_dont_need(e.range);
        }
    }
}

#[cfg(target_os = "linux")]
#[allow(unsafe_code)]
fn advise_dont_need(m: Mapping) {
    // SAFETY: the range is one whole mapping of the executable, read-only (no write can race with
    // the advice) and without private pages, so every page equals the file: MADV_DONTNEED only
    // unmaps pages that the next access maps again from the page cache, unchanged. Code running
    // in the range (this function's, another thread's) faults its page back in.
    let _ = unsafe { rustix::mm::madvise(m.start as *mut std::ffi::c_void, m.end - m.start, rustix::mm::Advice::LinuxDontNeed) };
}

#[cfg(test)]
mod tests {
    use super::*;

    const SMAPS: &str = "\
5644685bc000-564469e7b000 r-xp 00a09000 fd:01 1234 /opt/palbase
Size:              25340 kB
Rss:               15124 kB
Anonymous:             0 kB
564467bb2000-5644685bc000 r--p 00000000 fd:01 1234 /opt/palbase
Rss:                4984 kB
Anonymous:             0 kB
564469e7b000-564469eff000 r--p 022c7000 fd:01 1234 /opt/palbase
Rss:                 528 kB
Anonymous:           528 kB
564469eff000-564469f0a000 rw-p 0234a000 fd:01 1234 /opt/palbase
Anonymous:            44 kB
7f39c79da000-7f39c7b30000 r-xp 00026000 fd:01 99 /usr/lib/x86_64-linux-gnu/libc.so.6
Anonymous:             0 kB
48bd3c00000-48c13c00000 rw-p 00000000 00:00 0 
Anonymous:         14336 kB
7f0000000000-7f0000001000 r--p 00000000 fd:01 77 /opt/my apps/palbase (deleted)
Anonymous:             0 kB
";

    fn releasable_in(smaps: &str, exe: &str) -> Vec<Mapping> {
        entries(smaps).into_iter().filter(|e| releasable(e, exe)).map(|e| e.range).collect()
    }

    #[test]
    fn only_read_only_mappings_of_the_executable_without_private_pages() {
        assert_eq!(releasable_in(SMAPS, "/opt/palbase"), vec![Mapping { start: 0x5644685bc000, end: 0x564469e7b000 }, Mapping { start: 0x564467bb2000, end: 0x5644685bc000 }]);
        assert_eq!(releasable_in(SMAPS, "/opt/other"), vec![]);
        assert_eq!(releasable_in(SMAPS, "/opt/my apps/palbase (deleted)"), vec![Mapping { start: 0x7f0000000000, end: 0x7f0000001000 }]);
    }

    /// The resident KiB of the executable's releasable mappings, now.
    fn resident_kb() -> u64 {
        let exe = std::fs::read_link("/proc/self/exe").unwrap();
        let smaps = std::fs::read_to_string("/proc/self/smaps").unwrap();
        entries(&smaps).iter().filter(|e| releasable(e, exe.to_str().unwrap())).map(|e| e.rss_kb).sum()
    }

    #[test]
    fn releasing_drops_resident_pages_and_keeps_the_process_working() {
        let before = resident_kb();
        release();
        let after = resident_kb();
        assert!(after < before, "resident KiB of the executable's code: {before} before, {after} after");
        // The test binary's own code and constants, dropped, work when used again.
        let v: Vec<String> = (0..100).map(|i| format!("{i:x}")).collect();
        assert_eq!(v[99], "63");
        release();
        assert!(resident_kb() > 0);
    }
}
