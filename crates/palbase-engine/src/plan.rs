//! What the host knows of a schema: the plans the schema compilers of
//! packages/backend/src/runtime/fastcheck.ts attach to what they compile, sent as JSON when an
//! endpoint registers. An output schema's plan drives the host's JSON writer (output.rs), a GET or
//! DELETE input schema's the validation of the query string (input.rs).

use serde::Deserialize;
use serde_json::Value as Json;

/// The plan of one schema (`Plan` in fastcheck.ts).
#[derive(Debug, Clone, Deserialize, PartialEq)]
#[serde(tag = "t", rename_all = "lowercase")]
pub enum Plan {
    String,
    Number,
    /// `z.int()`: a safe integer.
    Safeint,
    Boolean,
    Null,
    Undefined,
    Never,
    /// `z.literal` / `z.enum`: `v` the values (strings, booleans, null, safe integers), `j` their
    /// JSON text, `undef` whether `undefined` is one of them.
    Literal {
        v: Vec<Json>,
        j: Vec<String>,
        undef: bool,
    },
    Optional {
        of: Box<Plan>,
    },
    Nullable {
        of: Box<Plan>,
    },
    Array {
        of: Box<Plan>,
    },
    /// `(key, plan, absent)`: see [`Absent`].
    Object {
        f: Vec<(String, Plan, Absent)>,
    },
}

/// What an absent key of an object does (its field schema's `optin`/`optout`).
#[derive(Debug, Clone, Copy, Deserialize, PartialEq)]
#[serde(try_from = "u8")]
pub enum Absent {
    /// Left out without running the field.
    Skip,
    /// The value fails.
    Fail,
    /// The field runs on `undefined`; if that fails, the key is left out.
    TrySwallow,
    /// The field runs on `undefined`, and its failure is the value's.
    Try,
}

impl TryFrom<u8> for Absent {
    type Error = String;
    fn try_from(n: u8) -> Result<Self, String> {
        Ok(match n {
            0 => Self::Skip,
            1 => Self::Fail,
            2 => Self::TrySwallow,
            3 => Self::Try,
            _ => return Err(format!("unknown absent rule {n}")),
        })
    }
}
