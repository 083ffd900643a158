//! What the project declares (`defineWorker`, `defineJob`), checked, and the pure rules built on
//! it: the backoff formula and cron schedules. No IO here.

use std::collections::HashSet;
use std::str::FromStr;
use std::time::Duration;

use croner::Cron;
use croner::parser::{CronParser, Seconds, Year};
use jiff::Timestamp;
use jiff::tz::TimeZone;

/// A worker: `defineWorker({ name, retry, timeout, backoff, concurrency })`.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkerSpec {
    pub name: String,
    /// Retries after the first attempt (default 3): a job runs at most `retry + 1` times.
    pub retry: u32,
    /// Per attempt; `None` → [`crate::QueueOptions::default_timeout`].
    pub timeout: Option<Duration>,
    pub backoff: Backoff,
    /// Jobs of this worker running at once on one instance; `None` →
    /// [`crate::QueueOptions::default_concurrency`].
    pub concurrency: Option<u32>,
}

impl WorkerSpec {
    /// The spec's defaults: `retry: 3`, exponential backoff, default timeout and concurrency.
    pub fn new(name: impl Into<String>) -> WorkerSpec {
        WorkerSpec { name: name.into(), retry: DEFAULT_RETRY, timeout: None, backoff: Backoff::Exponential, concurrency: None }
    }

    /// Attempts in all: the first one plus `retry` retries.
    pub fn max_attempts(&self) -> u32 {
        self.retry.min(MAX_RETRY) + 1
    }
}

pub const DEFAULT_RETRY: u32 = 3;
/// Larger `retry` values are treated as this.
pub const MAX_RETRY: u32 = 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Backoff {
    #[default]
    Exponential,
    Linear,
    Fixed,
}

impl FromStr for Backoff {
    type Err = String;

    fn from_str(s: &str) -> Result<Backoff, String> {
        match s {
            "exponential" => Ok(Backoff::Exponential),
            "linear" => Ok(Backoff::Linear),
            "fixed" => Ok(Backoff::Fixed),
            other => Err(format!("unknown backoff `{other}`: expected \"exponential\", \"linear\" or \"fixed\"")),
        }
    }
}

impl Backoff {
    pub fn as_str(self) -> &'static str {
        match self {
            Backoff::Exponential => "exponential",
            Backoff::Linear => "linear",
            Backoff::Fixed => "fixed",
        }
    }

    /// The delay after failed attempt `attempt` (1 = the first), before jitter:
    /// exponential `base·2^(attempt−1)`, linear `base·attempt`, fixed `base`; never above `cap`.
    pub fn delay(self, attempt: u32, base: Duration, cap: Duration) -> Duration {
        let n = attempt.max(1);
        let d = match self {
            Backoff::Exponential => base.checked_mul(1u32.checked_shl(n - 1).unwrap_or(u32::MAX)).unwrap_or(Duration::MAX),
            Backoff::Linear => base.checked_mul(n).unwrap_or(Duration::MAX),
            Backoff::Fixed => base,
        };
        d.min(cap)
    }
}

/// `d` scaled by a uniform factor in `[1 − jitter, 1 + jitter]` (`r` uniform in [0, 1)).
pub fn jittered(d: Duration, jitter: f64, r: f64) -> Duration {
    let j = jitter.clamp(0.0, 1.0);
    let f = 1.0 - j + 2.0 * j * r;
    Duration::from_secs_f64((d.as_secs_f64() * f).max(0.0))
}

/// A cron job: `defineJob({ name, schedule, timeout })` (plus an optional IANA time zone).
#[derive(Debug, Clone, PartialEq)]
pub struct JobSpec {
    pub name: String,
    /// Standard 5-field cron, or `@yearly`/`@annually`/`@monthly`/`@weekly`/`@daily`/`@hourly`.
    pub schedule: String,
    /// `None` → [`crate::QueueOptions::default_timeout`].
    pub timeout: Option<Duration>,
    /// IANA name (`Europe/Paris`); `None` → UTC.
    pub timezone: Option<String>,
}

impl JobSpec {
    pub fn new(name: impl Into<String>, schedule: impl Into<String>) -> JobSpec {
        JobSpec { name: name.into(), schedule: schedule.into(), timeout: None, timezone: None }
    }
}

/// A parsed schedule in its time zone.
#[derive(Debug, Clone)]
pub struct Schedule {
    cron: Cron,
    tz: TimeZone,
}

impl Schedule {
    pub fn parse(schedule: &str, timezone: Option<&str>) -> Result<Schedule, String> {
        let parser = CronParser::builder().seconds(Seconds::Disallowed).year(Year::Disallowed).build();
        let cron = parser.parse(schedule).map_err(|e| format!("invalid cron schedule `{schedule}`: {e}"))?;
        let tz = match timezone {
            None => TimeZone::UTC,
            Some(name) => TimeZone::get(name).map_err(|e| format!("unknown time zone `{name}`: {e}"))?,
        };
        let s = Schedule { cron, tz };
        // A pattern that never matches (`0 0 30 2 *`) is refused now rather than never running.
        s.next_after(Timestamp::UNIX_EPOCH).ok_or_else(|| format!("cron schedule `{schedule}` never matches"))?;
        Ok(s)
    }

    /// The first slot strictly after `t`.
    pub fn next_after(&self, t: Timestamp) -> Option<Timestamp> {
        let z = t.to_zoned(self.tz.clone());
        self.cron.find_next_occurrence(&z, false).ok().map(|z| z.timestamp())
    }

    /// The latest slot at or before `t`.
    pub fn latest_at_or_before(&self, t: Timestamp) -> Option<Timestamp> {
        let z = t.to_zoned(self.tz.clone());
        self.cron.find_previous_occurrence(&z, true).ok().map(|z| z.timestamp())
    }
}

/// A declaration that cannot be used (it is left out; the rest apply).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{kind} `{name}`: {message}")]
pub struct DefinitionError {
    /// `"worker"` or `"job"`.
    pub kind: &'static str,
    pub name: String,
    pub message: String,
}

pub(crate) fn check_workers(workers: Vec<WorkerSpec>, errors: &mut Vec<DefinitionError>) -> Vec<WorkerSpec> {
    let mut seen = HashSet::new();
    let mut ok = Vec::new();
    for w in workers {
        let fail = |m: &str| DefinitionError { kind: "worker", name: w.name.clone(), message: m.to_owned() };
        if w.name.is_empty() {
            errors.push(fail("the name is empty"));
        } else if !seen.insert(w.name.clone()) {
            errors.push(fail("two workers have this name"));
        } else if w.concurrency == Some(0) {
            errors.push(fail("`concurrency` must be at least 1"));
        } else if w.timeout == Some(Duration::ZERO) {
            errors.push(fail("`timeout` must be positive"));
        } else {
            ok.push(w);
        }
    }
    ok
}

pub(crate) fn check_jobs(jobs: Vec<JobSpec>, errors: &mut Vec<DefinitionError>) -> Vec<(JobSpec, Schedule)> {
    let mut seen = HashSet::new();
    let mut ok = Vec::new();
    for j in jobs {
        let fail = |m: &str| DefinitionError { kind: "job", name: j.name.clone(), message: m.to_owned() };
        if j.name.is_empty() {
            errors.push(fail("the name is empty"));
        } else if !seen.insert(j.name.clone()) {
            errors.push(fail("two jobs have this name"));
        } else if j.timeout == Some(Duration::ZERO) {
            errors.push(fail("`timeout` must be positive"));
        } else {
            match Schedule::parse(&j.schedule, j.timezone.as_deref()) {
                Ok(s) => ok.push((j, s)),
                Err(m) => errors.push(fail(&m)),
            }
        }
    }
    ok
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: Duration = Duration::from_secs(1);

    #[test]
    fn backoff_formulas() {
        let base = 5 * S;
        let cap = 3600 * S;
        let exp: Vec<u64> = (1..=6).map(|n| Backoff::Exponential.delay(n, base, cap).as_secs()).collect();
        assert_eq!(exp, [5, 10, 20, 40, 80, 160]);
        let lin: Vec<u64> = (1..=4).map(|n| Backoff::Linear.delay(n, base, cap).as_secs()).collect();
        assert_eq!(lin, [5, 10, 15, 20]);
        let fixed: Vec<u64> = (1..=3).map(|n| Backoff::Fixed.delay(n, base, cap).as_secs()).collect();
        assert_eq!(fixed, [5, 5, 5]);
        assert_eq!(Backoff::Exponential.delay(40, base, cap), cap);
        assert_eq!(Backoff::Exponential.delay(1000, base, cap), cap);
        assert_eq!(Backoff::Linear.delay(u32::MAX, base, cap), cap);
    }

    #[test]
    fn jitter_bounds() {
        let d = 10 * S;
        assert_eq!(jittered(d, 0.1, 0.0), Duration::from_secs(9));
        assert_eq!(jittered(d, 0.1, 0.5), d);
        assert!(jittered(d, 0.1, 0.999_999) <= Duration::from_secs(11));
        assert_eq!(jittered(d, 0.0, 0.7), d);
    }

    fn ts(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    #[test]
    fn schedules() {
        let s = Schedule::parse("*/15 * * * *", None).unwrap();
        assert_eq!(s.next_after(ts("2026-01-01T10:07:00Z")), Some(ts("2026-01-01T10:15:00Z")));
        assert_eq!(s.next_after(ts("2026-01-01T10:15:00Z")), Some(ts("2026-01-01T10:30:00Z")));
        assert_eq!(s.latest_at_or_before(ts("2026-01-01T10:15:00Z")), Some(ts("2026-01-01T10:15:00Z")));
        assert_eq!(s.latest_at_or_before(ts("2026-01-01T10:29:59Z")), Some(ts("2026-01-01T10:15:00Z")));
        let d = Schedule::parse("@daily", None).unwrap();
        assert_eq!(d.next_after(ts("2026-01-01T10:00:00Z")), Some(ts("2026-01-02T00:00:00Z")));
        let h = Schedule::parse("@hourly", None).unwrap();
        assert_eq!(h.next_after(ts("2026-01-01T10:00:00Z")), Some(ts("2026-01-01T11:00:00Z")));
        // 03:00 in Paris is 02:00 UTC in winter.
        let p = Schedule::parse("0 3 * * *", Some("Europe/Paris")).unwrap();
        assert_eq!(p.next_after(ts("2026-01-01T00:00:00Z")), Some(ts("2026-01-01T02:00:00Z")));
        // Day of month OR day of week (Vixie cron): the 1st, or any Monday.
        let o = Schedule::parse("0 0 1 * MON", None).unwrap();
        assert_eq!(o.next_after(ts("2026-01-01T00:00:00Z")), Some(ts("2026-01-05T00:00:00Z")));
    }

    #[test]
    fn bad_schedules() {
        assert!(Schedule::parse("* * * * * *", None).is_err(), "6 fields (seconds) are not standard cron");
        assert!(Schedule::parse("61 * * * *", None).is_err());
        assert!(Schedule::parse("", None).is_err());
        assert!(Schedule::parse("@often", None).is_err());
        assert!(Schedule::parse("0 3 * * *", Some("Mars/Olympus")).is_err());
        assert!(Schedule::parse("0 0 30 2 *", None).is_err());
    }

    #[test]
    fn definitions_are_checked() {
        let mut errors = Vec::new();
        let mut dup = WorkerSpec::new("a");
        dup.retry = 1;
        let mut zero = WorkerSpec::new("z");
        zero.concurrency = Some(0);
        let ok = check_workers(vec![WorkerSpec::new("a"), dup, zero, WorkerSpec::new("")], &mut errors);
        assert_eq!(ok.len(), 1);
        assert_eq!(errors.len(), 3);
        let jobs = check_jobs(vec![JobSpec::new("j", "0 3 * * *"), JobSpec::new("k", "nope")], &mut errors);
        assert_eq!(jobs.len(), 1);
        assert_eq!(errors.len(), 4);
        assert_eq!(errors[3].kind, "job");
        assert_eq!(WorkerSpec::new("x").max_attempts(), 4);
    }
}
