//! Errors and diagnostics: every refusal names the JSON pointer of the node it concerns.

use std::fmt;

/// One problem found in a spec, located by JSON pointer (and line/column when known).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Diagnostic {
    /// RFC 6901 JSON pointer of the offending node, e.g. `/paths/~1pets/get/responses/200`.
    pub pointer: String,
    /// What is wrong, naming the construct.
    pub message: String,
    /// 1-based line and column of the node in the source text, when known.
    pub location: Option<(usize, usize)>,
}

impl Diagnostic {
    /// A diagnostic at `pointer`.
    pub fn new(pointer: impl Into<String>, message: impl Into<String>) -> Self {
        Diagnostic {
            pointer: pointer.into(),
            message: message.into(),
            location: None,
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let pointer = if self.pointer.is_empty() {
            "(document root)"
        } else {
            &self.pointer
        };
        match self.location {
            Some((line, column)) => {
                write!(
                    f,
                    "{pointer} (line {line}, column {column}): {}",
                    self.message
                )
            }
            None => write!(f, "{pointer}: {}", self.message),
        }
    }
}

/// Why generation failed.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The spec file could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The path that was read.
        path: String,
        /// The I/O error.
        source: std::io::Error,
    },
    /// The text is not a well-formed OpenAPI 3.0 document.
    #[error("{0}")]
    Parse(Diagnostic),
    /// The document uses constructs the generator cannot represent; all of them are listed.
    #[error("{}", list(.0))]
    Unsupported(Vec<Diagnostic>),
    /// The generator produced code that does not parse: a bug in the generator.
    #[error("internal error: generated {file} does not parse: {message}")]
    Internal {
        /// The generated file.
        file: String,
        /// The parser's message.
        message: String,
    },
}

fn list(diagnostics: &[Diagnostic]) -> String {
    let mut out = format!(
        "the spec uses {} construct(s) the generator cannot represent:",
        diagnostics.len()
    );
    for diagnostic in diagnostics {
        out.push_str("\n  - ");
        out.push_str(&diagnostic.to_string());
    }
    out
}

/// Appends one reference token to a JSON pointer, escaping `~` and `/` (RFC 6901).
pub fn pointer_push(base: &str, token: &str) -> String {
    let mut out = String::with_capacity(base.len() + token.len() + 1);
    out.push_str(base);
    out.push('/');
    for c in token.chars() {
        match c {
            '~' => out.push_str("~0"),
            '/' => out.push_str("~1"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_tokens_are_escaped() {
        assert_eq!(pointer_push("/paths", "/pets/{id}"), "/paths/~1pets~1{id}");
        assert_eq!(pointer_push("", "a~b"), "/a~0b");
    }

    #[test]
    fn unsupported_lists_every_diagnostic() {
        let err = Error::Unsupported(vec![
            Diagnostic::new("/a", "first"),
            Diagnostic {
                pointer: "/b".into(),
                message: "second".into(),
                location: Some((3, 4)),
            },
        ]);
        let text = err.to_string();
        assert!(text.contains("2 construct(s)"), "{text}");
        assert!(text.contains("/a: first"), "{text}");
        assert!(text.contains("/b (line 3, column 4): second"), "{text}");
    }
}
