//! The affinity format (libgomp's affinity-fmt.c): `OMP_AFFINITY_FORMAT`,
//! `omp_capture_affinity`, `omp_display_affinity`.
//!
//! A format is text with field specifiers (OpenMP 5.2, section 6.14):
//! `%[0[.]][.][size]type`, where `type` is one letter or a `{long_name}`:
//!
//! | letter | long name | value |
//! | --- | --- | --- |
//! | `t` | `team_num` | `omp_get_team_num()` |
//! | `T` | `num_teams` | `omp_get_num_teams()` |
//! | `L` | `nesting_level` | `omp_get_level()` |
//! | `n` | `thread_num` | `omp_get_thread_num()` |
//! | `N` | `num_threads` | `omp_get_num_threads()` |
//! | `a` | `ancestor_tnum` | `omp_get_ancestor_thread_num(level - 1)` |
//! | `H` | `host` | the host name |
//! | `P` | `process_id` | the process id |
//! | `i` | `native_thread_id` | the thread's `pthread_t`, in hex as libgomp prints it |
//! | `A` | `thread_affinity` | the CPUs the thread may run on (`0-3,6`) |
//!
//! A field is left-justified in `size` characters; `.` right-justifies it,
//! `0.` right-justifies a number with leading zeros (after its sign or
//! `0x`). `%%` is a percent sign. Where libgomp stops the program on a
//! malformed specifier, pomp copies the specifier through as it is written
//! and says so once on stderr.

use std::sync::atomic::{AtomicBool, Ordering};

/// A field the format can ask for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    TeamNum,
    NumTeams,
    Level,
    ThreadNum,
    NumThreads,
    Ancestor,
    Host,
    Pid,
    NativeId,
    Affinity,
}

impl Field {
    fn from_letter(c: u8) -> Option<Field> {
        Some(match c {
            b't' => Field::TeamNum,
            b'T' => Field::NumTeams,
            b'L' => Field::Level,
            b'n' => Field::ThreadNum,
            b'N' => Field::NumThreads,
            b'a' => Field::Ancestor,
            b'H' => Field::Host,
            b'P' => Field::Pid,
            b'i' => Field::NativeId,
            b'A' => Field::Affinity,
            _ => return None,
        })
    }

    fn from_name(s: &[u8]) -> Option<Field> {
        Some(match s {
            b"team_num" => Field::TeamNum,
            b"num_teams" => Field::NumTeams,
            b"nesting_level" => Field::Level,
            b"thread_num" => Field::ThreadNum,
            b"num_threads" => Field::NumThreads,
            b"ancestor_tnum" => Field::Ancestor,
            b"host" => Field::Host,
            b"process_id" => Field::Pid,
            b"native_thread_id" => Field::NativeId,
            b"thread_affinity" => Field::Affinity,
            _ => return None,
        })
    }
}

/// A field's value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Int(i64),
    /// A number printed in hex with a `0x` prefix.
    Hex(u64),
    Text(String),
}

/// The largest field width honoured (a wider one is cut to this): a
/// format cannot make pomp allocate without bound.
const MAX_WIDTH: usize = 1 << 16;

static WARNED: AtomicBool = AtomicBool::new(false);

/// Expands `format`, asking `value` for each field it names (once per
/// occurrence).
pub fn expand(format: &[u8], value: &mut dyn FnMut(Field) -> Value) -> Vec<u8> {
    let mut out = Vec::with_capacity(format.len() + 16);
    let mut i = 0;
    while i < format.len() {
        let c = format[i];
        if c != b'%' {
            out.push(c);
            i += 1;
            continue;
        }
        match spec(&format[i..]) {
            Ok((Spec::Percent, used)) => {
                out.push(b'%');
                i += used;
            }
            Ok((
                Spec::Field {
                    field,
                    zero,
                    right,
                    width,
                },
                used,
            )) => {
                pad(&mut out, value(field), zero, right, width);
                i += used;
            }
            Err(used) => {
                if !WARNED.swap(true, Ordering::Relaxed) {
                    crate::sys::write_stderr_line(&format!(
                        "pomp: malformed field '{}' in affinity format '{}'; printed as written",
                        String::from_utf8_lossy(&format[i..i + used]),
                        String::from_utf8_lossy(format)
                    ));
                }
                out.extend_from_slice(&format[i..i + used]);
                i += used;
            }
        }
    }
    out
}

enum Spec {
    Percent,
    Field {
        field: Field,
        zero: bool,
        right: bool,
        width: usize,
    },
}

/// Parses the specifier at the start of `s` (which begins with `%`).
/// Returns it and its length, or the length of the malformed text.
fn spec(s: &[u8]) -> Result<(Spec, usize), usize> {
    let mut i = 1;
    let at = |i: usize| s.get(i).copied();
    if at(i) == Some(b'%') {
        return Ok((Spec::Percent, 2));
    }
    let zero = at(i) == Some(b'0');
    if zero {
        i += 1;
        if at(i) != Some(b'.') {
            return Err(i);
        }
    }
    let right = at(i) == Some(b'.');
    if right {
        i += 1;
    }
    let digits = s[i..].iter().take_while(|b| b.is_ascii_digit()).count();
    // A size is required after `0.` or `.`, and starts with 1-9.
    if (zero || right) && (digits == 0 || at(i) == Some(b'0')) {
        return Err(i + digits);
    }
    let width = std::str::from_utf8(&s[i..i + digits])
        .ok()
        .and_then(|d| d.parse::<usize>().ok())
        .map_or(if digits > 0 { MAX_WIDTH } else { 0 }, |w| w.min(MAX_WIDTH));
    i += digits;
    let field = match at(i) {
        Some(b'{') => {
            let Some(len) = s[i + 1..].iter().position(|&b| b == b'}') else {
                return Err(s.len());
            };
            let name = &s[i + 1..i + 1 + len];
            i += len + 2;
            Field::from_name(name).ok_or(i)?
        }
        Some(c) => {
            i += 1;
            Field::from_letter(c).ok_or(i)?
        }
        None => return Err(i),
    };
    Ok((
        Spec::Field {
            field,
            zero,
            right,
            width,
        },
        i,
    ))
}

fn pad(out: &mut Vec<u8>, v: Value, zero: bool, right: bool, width: usize) {
    // The sign or `0x` goes before any leading zeros.
    let (prefix, body) = match v {
        Value::Int(n) if n < 0 => ("-", n.unsigned_abs().to_string()),
        Value::Int(n) => ("", n.to_string()),
        Value::Hex(n) => ("0x", format!("{n:x}")),
        Value::Text(t) => {
            // Text is never zero-padded.
            let fill = width.saturating_sub(t.chars().count());
            if right {
                out.resize(out.len() + fill, b' ');
            }
            out.extend_from_slice(t.as_bytes());
            if !right {
                out.resize(out.len() + fill, b' ');
            }
            return;
        }
    };
    let fill = width.saturating_sub(prefix.len() + body.len());
    if zero {
        out.extend_from_slice(prefix.as_bytes());
        out.resize(out.len() + fill, b'0');
        out.extend_from_slice(body.as_bytes());
    } else if right {
        out.resize(out.len() + fill, b' ');
        out.extend_from_slice(prefix.as_bytes());
        out.extend_from_slice(body.as_bytes());
    } else {
        out.extend_from_slice(prefix.as_bytes());
        out.extend_from_slice(body.as_bytes());
        out.resize(out.len() + fill, b' ');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(f: &str) -> String {
        let out = expand(f.as_bytes(), &mut |field| match field {
            Field::TeamNum => Value::Int(0),
            Field::NumTeams => Value::Int(1),
            Field::Level => Value::Int(0),
            Field::ThreadNum => Value::Int(3),
            Field::NumThreads => Value::Int(4),
            Field::Ancestor => Value::Int(-1),
            Field::Host => Value::Text("vm".into()),
            Field::Pid => Value::Int(27202),
            Field::NativeId => Value::Hex(0x7f36_0614_27c0),
            Field::Affinity => Value::Text("0-1".into()),
        });
        String::from_utf8(out).unwrap()
    }

    // Expected outputs as GCC 12's libgomp prints them.
    #[test]
    fn widths_and_justification() {
        assert_eq!(run("%5n|%.5n|%0.5n|"), "3    |    3|00003|");
        assert_eq!(run("%0.3a|%.3a|%3a|%a"), "-01| -1|-1 |-1");
        assert_eq!(
            run("%10A|%.10A|%0.10A|"),
            "0-1       |       0-1|       0-1|"
        );
        assert_eq!(run("%0.10H|%0.10P"), "        vm|0000027202");
        assert_eq!(
            run("%0.20i|%.20i|%20i|"),
            "0x0000007f36061427c0|      0x7f36061427c0|0x7f36061427c0      |"
        );
        assert_eq!(run("%1n|%0.1n"), "3|3");
    }

    #[test]
    fn long_names_and_percent() {
        assert_eq!(
            run("%{thread_num}|%{num_threads}|%{team_num}|%{num_teams}|%{nesting_level}|%{ancestor_tnum}|%{thread_affinity}|%{host}|%{process_id}"),
            "3|4|0|1|0|-1|0-1|vm|27202"
        );
        assert_eq!(
            run("%3{thread_num}|%.3{thread_num}|%0.3{thread_num}"),
            "3  |  3|003"
        );
        assert_eq!(run("100%% %%n"), "100% %n");
        assert_eq!(
            run("level %L thread %i affinity %A"),
            "level 0 thread 0x7f36061427c0 affinity 0-1"
        );
    }

    #[test]
    fn malformed_fields_are_copied() {
        for f in [
            "%x",
            "%05n",
            "%.n",
            "%0.n",
            "%.05n",
            "%{bogus}",
            "%{thread_num",
            "%",
            "%5.5n",
        ] {
            let out = run(f);
            assert!(out.starts_with(&f[..f.len().min(2)]), "{f:?} -> {out:?}");
        }
        assert_eq!(run("a%xb%n"), "a%xb3");
        assert_eq!(run("%{thread_num"), "%{thread_num");
    }
}
