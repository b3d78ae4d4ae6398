//! [`Secret`]: a string that never shows up in `Debug` or `Display` output.

use std::fmt;

/// A credential (token, API key, password) that is redacted when formatted.
///
/// `Debug` and `Display` both print `Secret(***)`; the only way to read the value is
/// [`Secret::expose`], so a secret cannot end up in a log line by accident.
///
/// ```
/// use forge_runtime::Secret;
///
/// let token = Secret::new("hunter2");
/// assert_eq!(format!("{token:?}"), "Secret(***)");
/// assert_eq!(token.to_string(), "Secret(***)");
/// assert_eq!(token.expose(), "hunter2");
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a credential.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The wrapped value. Call this only where the credential is actually sent.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::Secret;

    #[test]
    fn debug_and_display_are_redacted() {
        let s = Secret::new("super-secret-token");
        let debug = format!("{s:?}");
        let pretty = format!("{s:#?}");
        let display = format!("{s}");
        for shown in [&debug, &pretty, &display] {
            assert!(!shown.contains("super-secret-token"), "leaked in {shown}");
            assert_eq!(shown, "Secret(***)");
        }
    }

    #[test]
    fn nested_debug_is_redacted() {
        let v = vec![Some(Secret::from("abc123")), None];
        let shown = format!("{v:?}");
        assert!(!shown.contains("abc123"));
        assert_eq!(shown, "[Some(Secret(***)), None]");
    }

    #[test]
    fn expose_and_clone_keep_the_value() {
        let s = Secret::from(String::from("k"));
        let c = s.clone();
        assert_eq!(c.expose(), "k");
        assert_eq!(s, c);
    }
}
