//! Rendering: token streams to formatted file text, via `syn::File` and prettyplease.
//!
//! No rustfmt: its version would leak into the output. The header is a plain comment so the
//! file stays valid inside `include!`.

use proc_macro2::TokenStream;

use crate::error::Error;

/// Formats `tokens` as the Rust file `name`, with the generated-code header.
pub fn rust_file(name: &str, header: &str, tokens: TokenStream) -> Result<String, Error> {
    let file: syn::File = syn::parse2(tokens).map_err(|err| Error::Internal {
        file: name.to_owned(),
        message: err.to_string(),
    })?;
    let body = prettyplease::unparse(&file);
    Ok(format!("{header}\n{body}"))
}
