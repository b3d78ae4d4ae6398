//! `cargo xtask conformance` on a small spec, against Prism started for real: a call that
//! passes, a synthesized argument that matches a `pattern`, a spec whose example answer
//! contradicts its schema (a spec fault, located), one whose contradicting example answer the
//! client still reads (it passes, the fault listed apart), an example argument that does not
//! fit its type (a synthesized value is sent, the example listed as a spec fault), a
//! synthesized argument that breaks a `pattern` the synthesis cannot read (its limit), an
//! event stream (read to its end, each event's data decoded), an answer whose `example: null`
//! its schema refuses (left out of the served copy so that Prism makes one up, and listed as
//! a fault read through), one whose example is JSON text in a string (served as that JSON,
//! listed the same), an operation only the second credential opens (Prism refuses the first
//! with a documented answer, not 401), and a request that stops Prism (the calls after it are
//! answered by a new one), each classified as such. Skipped, with a message, when Prism is
//! not installed in `tests/contract/`.

use std::path::Path;
use std::process::Command;

use serde_json::Value;

#[test]
fn every_call_is_classified_by_what_prism_said() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    if !root.join("tests/contract/node_modules/.bin/prism").exists() {
        eprintln!(
            "skipped: Prism is not installed; run `npm ci --prefix tests/contract --no-audit \
             --no-fund`"
        );
        return;
    }
    let work = Path::new(env!("CARGO_TARGET_TMPDIR")).join("conformance");
    let report_file = work.join("rows.json");
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/conformance-pets.yaml");
    let output = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .args(["conformance", "--jobs", "1", "--keep"])
        .arg(&work)
        .arg("--json")
        .arg(&report_file)
        .arg(&spec)
        .output()
        .unwrap();
    let report = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{report}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let rows: Value =
        serde_json::from_str(&std::fs::read_to_string(&report_file).unwrap()).unwrap();
    let row = &rows[0];
    assert_eq!(row["outcome"], "compiled", "{report}");
    // listPets, createPet, getCode (a synthesized `code` matching `^[A-Z]{3}$`), petFeed (an
    // event stream, read to its end), getVault (with the second credential), getOwner (past
    // two spec faults), getBadge (past a null example) and getCard (past an example written
    // as JSON text) pass; getPet's request is valid but its example answer is not, and does
    // not decode; getTicket's synthesized `ticket` breaks a look-ahead pattern.
    assert_eq!(
        (&row["operations"], &row["requests_valid"], &row["decoded"]),
        (&Value::from(11), &Value::from(9), &Value::from(8)),
        "{report}"
    );
    let failures = row["failures"].as_array().unwrap();
    let of = |operation: &str| -> Vec<&Value> {
        failures
            .iter()
            .filter(|f| f["operation"] == operation)
            .collect()
    };
    assert!(
        of("listPets").is_empty()
            && of("createPet").is_empty()
            && of("getCode").is_empty()
            && of("getOwner").is_empty()
            && of("petFeed").is_empty()
            && of("getVault").is_empty()
            && of("getBadge").is_empty()
            && of("getCard").is_empty(),
        "{report}"
    );
    let read_through = row["read_through"].as_array().unwrap();
    let owner: Vec<&Value> = read_through
        .iter()
        .filter(|f| f["operation"] == "getOwner")
        .collect();
    assert_eq!(owner.len(), 2, "{report}");
    assert!(owner
        .iter()
        .all(|f| f["cause"] == "spec" && f["mode"] == "examples"));
    let pointers: Vec<&str> = owner
        .iter()
        .map(|f| f["pointer"].as_str().unwrap())
        .collect();
    assert!(
        pointers.contains(&"/paths/~1owners~1{id}/get/responses (example, at /id)"),
        "{report}"
    );
    assert!(
        pointers.contains(&"/paths/~1owners~1{id}/get/parameters/1/example"),
        "{report}"
    );
    // Null examples where the schema refuses null are left out of the document Prism
    // serves, and JSON text where it refuses a string is served as that JSON; each is
    // listed under its operation (or apart, under `components`).
    let rewritten: Vec<(&str, &str)> = read_through
        .iter()
        .filter(|f| f["operation"] != "getOwner")
        .map(|f| {
            assert_eq!(
                (&f["cause"], &f["mode"]),
                (&"spec".into(), &"examples".into())
            );
            let reason = f["reason"].as_str().unwrap();
            assert!(reason.contains("null example") || reason.contains("JSON text"));
            (
                f["operation"].as_str().unwrap(),
                f["pointer"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        rewritten,
        [
            (
                "getVault",
                "/paths/~1vault/get/responses/default/content/application~1json/example"
            ),
            (
                "getBadge",
                "/paths/~1pets~1{id}~1badge/get/responses/200/content/application~1json/example"
            ),
            (
                "getCard",
                "/paths/~1pets~1{id}~1card/get/responses/200/content/application~1json/example"
            ),
            (
                "(components)",
                "/components/schemas/Badge/properties/label/example"
            ),
        ],
        "{report}"
    );

    let get_pet = of("getPet");
    assert_eq!(get_pet.len(), 1, "only the examples run fails: {report}");
    assert_eq!(get_pet[0]["mode"], "examples");
    assert_eq!(get_pet[0]["cause"], "spec");
    assert!(
        get_pet[0]["reason"]
            .as_str()
            .unwrap()
            .contains("served as it is, it does not decode"),
        "{report}"
    );
    assert_eq!(
        get_pet[0]["pointer"],
        "/paths/~1pets~1{id}/get/responses (example, at /id)"
    );

    let save_draft = of("saveDraft");
    assert_eq!(save_draft.len(), 2, "both runs stop Prism: {report}");
    for failure in save_draft {
        assert_eq!(failure["cause"], "prism", "{report}");
        assert!(
            failure["reason"].as_str().unwrap().starts_with("no answer"),
            "{report}"
        );
    }

    let get_ticket = of("getTicket");
    assert_eq!(get_ticket.len(), 2, "both runs fail: {report}");
    for failure in get_ticket {
        assert_eq!(failure["cause"], "synthesis", "{report}");
        assert!(
            failure["reason"].as_str().unwrap().contains("pattern"),
            "{report}"
        );
    }
    assert!(
        report.lines().last().unwrap().starts_with(
            "conformance: 1 specs, 1 run, 11 operations, 9 requests valid, 8 answers decoded (72.7%; 4 past a fault read through)"
        ),
        "{report}"
    );
    assert!(
        report.contains("spec faults (the spec contradicts itself):\n  conformance-pets.yaml getPet [examples] at /paths/~1pets~1{id}/get/responses"),
        "{report}"
    );
}
