//! Figures: one value with its unit, run count and optional target; printed as one line
//! each and written as JSON for tracking.

use std::path::Path;
use std::time::Duration;

use super::{Options, MIB};

/// A printed label in three aligned columns: section, subject, what.
pub fn label(section: &str, subject: &str, what: &str) -> String {
    format!("{section:<8} {subject:<14} {what}")
}

/// What a figure's value counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// Seconds (wall clock).
    Seconds,
    /// A dimensionless ratio.
    Ratio,
    /// A plain count (lines, items).
    Count,
    /// Bytes (sizes and memory).
    Bytes,
}

impl Unit {
    fn name(self) -> &'static str {
        match self {
            Unit::Seconds => "s",
            Unit::Ratio => "ratio",
            Unit::Count => "count",
            Unit::Bytes => "bytes",
        }
    }

    /// The value for people: ms or µs for short times, MiB for memory.
    pub fn format(self, value: f64) -> String {
        match self {
            Unit::Seconds if value < 1e-3 => format!("{:.1} µs", value * 1e6),
            Unit::Seconds if value < 1.0 => format!("{:.1} ms", value * 1e3),
            Unit::Seconds => format!("{value:.2} s"),
            Unit::Ratio => format!("{value:.2}x"),
            Unit::Count => format!("{value:.0}"),
            Unit::Bytes if value >= MIB => format!("{:.1} MiB", value / MIB),
            Unit::Bytes => format!("{:.1} KiB", value / 1024.0),
        }
    }
}

/// An upper bound the value must stay under (`<`) or at (`<=`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Target {
    /// The bound.
    pub limit: f64,
    /// Whether the bound itself passes.
    pub inclusive: bool,
}

impl Target {
    /// value < limit.
    pub fn below(limit: f64) -> Self {
        Target {
            limit,
            inclusive: false,
        }
    }

    /// value <= limit.
    pub fn at_most(limit: f64) -> Self {
        Target {
            limit,
            inclusive: true,
        }
    }

    /// Whether `value` meets the target.
    pub fn passes(&self, value: f64) -> bool {
        if self.inclusive {
            value <= self.limit
        } else {
            value < self.limit
        }
    }

    fn operator(&self) -> &'static str {
        if self.inclusive {
            "<="
        } else {
            "<"
        }
    }
}

/// One measured (or unmeasurable) figure.
#[derive(Debug, Clone)]
pub struct Figure {
    /// Stable id for tracking, e.g. `generate/dialpad/parse`.
    pub id: String,
    /// The start of the printed line.
    pub label: String,
    /// The median; `None` when it could not be measured.
    pub value: Option<f64>,
    /// The value's unit.
    pub unit: Unit,
    /// How many runs the median is of.
    pub runs: usize,
    /// The target, if the figure has one.
    pub target: Option<Target>,
    /// Why the value is missing, or a remark about how it was measured.
    pub note: Option<String>,
    /// Whether a missing value is expected (e.g. the spec is absent): skipped, not failed.
    pub skipped: bool,
}

impl Figure {
    /// A measured figure.
    pub fn new(id: impl Into<String>, label: String, value: f64, unit: Unit, runs: usize) -> Self {
        Figure {
            id: id.into(),
            label,
            value: Some(value),
            unit,
            runs,
            target: None,
            note: None,
            skipped: false,
        }
    }

    /// A figure that could not be measured; counts as a failure.
    pub fn missing(id: impl Into<String>, label: String, unit: Unit, why: String) -> Self {
        Figure {
            id: id.into(),
            label,
            value: None,
            unit,
            runs: 0,
            target: None,
            note: Some(why),
            skipped: false,
        }
    }

    /// A figure that is skipped because its input is absent; not a failure.
    pub fn skipped(id: impl Into<String>, label: String, unit: Unit, why: String) -> Self {
        Figure {
            skipped: true,
            ..Figure::missing(id, label, unit, why)
        }
    }

    /// Adds a target.
    pub fn target(mut self, target: Target) -> Self {
        self.target = Some(target);
        self
    }

    /// Adds a remark.
    pub fn note(mut self, note: impl Into<String>) -> Self {
        self.note = Some(note.into());
        self
    }

    /// `Some(true)` pass, `Some(false)` fail, `None` no target or not measured.
    pub fn verdict(&self) -> Option<bool> {
        Some(self.target?.passes(self.value?))
    }

    /// The printed summary line.
    pub fn line(&self) -> String {
        let value = match self.value {
            Some(value) => self.unit.format(value),
            None if self.skipped => "skipped".to_owned(),
            None => "NOT MEASURED".to_owned(),
        };
        let mut line = format!("{:<52} {:>12}", self.label, value);
        if let Some(target) = &self.target {
            let mark = match self.verdict() {
                Some(true) => "PASS",
                Some(false) => "FAIL",
                None if self.skipped => "SKIP",
                None => "FAIL",
            };
            line.push_str(&format!(
                "  {mark} (target {} {})",
                target.operator(),
                self.unit.format(target.limit)
            ));
        }
        if self.value.is_some() && self.runs > 1 {
            line.push_str(&format!("  [median of {}]", self.runs));
        }
        if let Some(note) = &self.note {
            line.push_str(&format!("  {note}"));
        }
        line
    }
}

/// Counts over all figures.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Summary {
    /// Figures with a target.
    pub targets: usize,
    /// Targets met.
    pub pass: usize,
    /// Targets missed, or not measured for a reason other than an absent input.
    pub fail: usize,
    /// Targets not assessed because their input is absent or the generator refused it.
    pub skipped: usize,
    /// Figures that could not be measured (for a reason other than an absent input).
    pub missing: usize,
}

impl Summary {
    /// Counts `figures`.
    pub fn of(figures: &[Figure]) -> Self {
        let mut summary = Summary::default();
        for figure in figures {
            let missing = figure.value.is_none() && !figure.skipped;
            if missing {
                summary.missing += 1;
            }
            if figure.target.is_some() {
                summary.targets += 1;
                match figure.verdict() {
                    Some(true) => summary.pass += 1,
                    Some(false) => summary.fail += 1,
                    None if missing => summary.fail += 1,
                    None => summary.skipped += 1,
                }
            }
        }
        summary
    }
}

/// The figures as a JSON document for tracking over time.
pub fn json(figures: &[Figure], options: &Options, elapsed: Duration, root: &Path) -> String {
    let commit = std::process::Command::new("git")
        .args(["rev-parse", "HEAD"])
        .current_dir(root)
        .output()
        .ok()
        .filter(|out| out.status.success())
        .map(|out| String::from_utf8_lossy(&out.stdout).trim().to_owned());
    let timestamp = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    let values: Vec<serde_json::Value> = figures
        .iter()
        .map(|figure| {
            serde_json::json!({
                "id": figure.id,
                "value": figure.value,
                "unit": figure.unit.name(),
                "runs": figure.runs,
                "target": figure.target.map(|t| serde_json::json!({
                    "operator": t.operator(),
                    "limit": t.limit,
                })),
                "pass": figure.verdict(),
                "skipped": figure.skipped,
                "note": figure.note,
            })
        })
        .collect();
    let summary = Summary::of(figures);
    let document = serde_json::json!({
        "schema": "forge-bench/1",
        "unix_time": timestamp,
        "git_commit": commit,
        "quick": options.quick,
        "peers": options.peers,
        "cpus": std::thread::available_parallelism().map(|n| n.get()).unwrap_or(1),
        "elapsed_seconds": elapsed.as_secs_f64(),
        "summary": {
            "targets": summary.targets,
            "pass": summary.pass,
            "fail": summary.fail,
            "skipped": summary.skipped,
            "not_measured": summary.missing,
        },
        "figures": values,
    });
    serde_json::to_string_pretty(&document).unwrap_or_else(|_| "{}".to_owned()) + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_and_lines() {
        let pass = Figure::new("a", "a".into(), 0.15, Unit::Seconds, 9).target(Target::below(0.2));
        assert_eq!(pass.verdict(), Some(true));
        assert!(pass
            .line()
            .contains("150.0 ms  PASS (target < 200.0 ms)  [median of 9]"));
        let fail = Figure::new("b", "b".into(), 1.2, Unit::Ratio, 1).target(Target::at_most(1.1));
        assert_eq!(fail.verdict(), Some(false));
        assert!(fail.line().contains("1.20x  FAIL (target <= 1.10x)"));
        let edge = Figure::new("c", "c".into(), 10.0, Unit::Ratio, 1).target(Target::at_most(10.0));
        assert_eq!(edge.verdict(), Some(true));
        let skipped = Figure::skipped("d", "d".into(), Unit::Seconds, "absent".into())
            .target(Target::below(1.0));
        assert!(skipped.line().contains("skipped  SKIP"));
        let missing = Figure::missing("e", "e".into(), Unit::Bytes, "no rusage".into());
        let summary = Summary::of(&[pass, fail, edge, skipped, missing]);
        assert_eq!(
            summary,
            Summary {
                targets: 4,
                pass: 2,
                fail: 1,
                skipped: 1,
                missing: 1
            }
        );
    }

    #[test]
    fn units_format() {
        assert_eq!(Unit::Seconds.format(0.000_085), "85.0 µs");
        assert_eq!(Unit::Seconds.format(2.5), "2.50 s");
        assert_eq!(Unit::Bytes.format(300.0 * MIB), "300.0 MiB");
        assert_eq!(Unit::Count.format(1234.0), "1234");
    }
}
