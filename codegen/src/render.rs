//! Rendering: token streams to formatted file text, via `syn::File` and prettyplease.
//!
//! No rustfmt: its version would leak into the output. The header is a plain comment so the
//! file stays valid inside `include!`.

use proc_macro2::TokenStream;

use crate::emit::krate::Emitted;
use crate::error::Error;

/// One generated file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct File {
    /// Path relative to the crate root, with `/` separators.
    pub path: String,
    /// Full contents.
    pub contents: String,
}

/// Formats the Rust files of `emitted`, each after `header`; text files pass unchanged.
pub fn files(emitted: Vec<Emitted>, header: &str) -> Result<Vec<File>, Error> {
    emitted
        .into_iter()
        .map(|file| match file {
            Emitted::Rust { path, tokens } => Ok(File {
                contents: rust_file(&path, header, tokens)?,
                path,
            }),
            Emitted::Text(file) => Ok(file),
        })
        .collect()
}

/// Formats `tokens` as the Rust file `name`, with the generated-code header.
pub fn rust_file(name: &str, header: &str, tokens: TokenStream) -> Result<String, Error> {
    let file: syn::File = syn::parse2(tokens).map_err(|err| Error::Internal {
        file: name.to_owned(),
        message: err.to_string(),
    })?;
    let body = prettyplease::unparse(&file);
    Ok(format!("{header}\n{body}"))
}
