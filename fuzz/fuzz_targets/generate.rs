//! Raw bytes through the whole generator: load (JSON or YAML), lower, emit, render. It must
//! never panic, and whatever it generates must parse as Rust.

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(document) = forge_codegen::load::parse(text) else { return };
    if let Ok(files) = forge_codegen::generate(&document, &forge_codegen::Settings::new("fuzz")) {
        for file in files.iter().filter(|f| f.path.ends_with(".rs")) {
            if let Err(err) = syn::parse_file(&file.contents) {
                panic!("{} does not parse: {err}", file.path);
            }
        }
    }
});
