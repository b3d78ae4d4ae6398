//! `cargo xtask corpus` survives whatever one spec does to the process that generates it: a
//! panic, an abort, a hang. The faults are injected into the child process through
//! `FORGE_CORPUS_TEST_FAULT`; the run must report each in its row and go on to the next spec.

use std::path::Path;
use std::process::Command;

const SPEC: &str = "openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /pets:
    get:
      operationId: listPets
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {type: string}}
";

fn row<'a>(report: &'a str, spec: &str) -> &'a str {
    report
        .lines()
        .find(|line| line.starts_with(spec))
        .unwrap_or_else(|| panic!("no row for {spec} in\n{report}"))
}

#[test]
fn a_spec_that_aborts_panics_or_hangs_its_process_gets_its_row_and_the_run_goes_on() {
    let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join("corpus-faults");
    let _ = std::fs::remove_dir_all(&work);
    let specs = work.join("specs");
    std::fs::create_dir_all(&specs).unwrap();
    for name in ["a-abort.yaml", "b-hang.yaml", "c-panic.yaml", "d-fine.yaml"] {
        std::fs::write(specs.join(name), SPEC).unwrap();
    }
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["corpus", "--no-check", "--timeout", "3", "--keep"])
        .arg(work.join("out"))
        .arg(&specs)
        .env(
            "FORGE_CORPUS_TEST_FAULT",
            "a-abort.yaml=abort,b-hang.yaml=hang,c-panic.yaml=panic",
        )
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        !output.status.success(),
        "faults must fail the run\n{report}"
    );
    assert!(
        row(&report, "a-abort.yaml").contains(" aborted "),
        "{report}"
    );
    assert!(row(&report, "a-abort.yaml").contains("signal"), "{report}");
    assert!(
        row(&report, "b-hang.yaml").contains(" timed out "),
        "{report}"
    );
    assert!(
        row(&report, "b-hang.yaml").contains("no answer after 3 s"),
        "{report}"
    );
    assert!(
        row(&report, "c-panic.yaml").contains(" panicked "),
        "{report}"
    );
    assert!(
        row(&report, "c-panic.yaml").contains("asked for a panic"),
        "{report}"
    );
    assert!(
        row(&report, "d-fine.yaml").contains(" compiled "),
        "{report}"
    );
    assert!(work.join("out/crates/d-fine/src/client.rs").is_file());
    // The last line: the counts, then the typed coverage of the generated specs.
    let last = report.trim_end().lines().last().unwrap_or_default();
    assert!(
        last.starts_with(
            "corpus: 4 specs, 1 compiled, 0 rejected, 0 broken, 1 panicked, 1 aborted, 1 timed out; typed positions"
        ),
        "{report}"
    );
}
