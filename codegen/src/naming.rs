//! Every identifier decision: turning arbitrary spec strings into valid, unique Rust names.
//!
//! This module owns sanitising (symbols, leading digits, non-ASCII, keywords) and
//! collision resolution. It must not know about OpenAPI or about token streams: it takes
//! strings and returns strings that are guaranteed to be valid identifiers, so that the
//! emitter can build `proc_macro2::Ident`s from them without ever panicking.

use std::collections::BTreeSet;

use heck::{ToPascalCase, ToShoutySnakeCase, ToSnakeCase};

/// Words that cannot be used as plain identifiers (strict, reserved and the 2018+ keywords).
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "union", "unsafe", "unsized", "use", "virtual", "where", "while", "yield", "_",
];

/// Type names that generated code refers to unqualified through the prelude; a schema may
/// not take them, or it would shadow the prelude inside the generated module.
const PRELUDE_TYPES: &[&str] = &[
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "Default",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "ToString",
    "ToOwned",
    "Iterator",
    "IntoIterator",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "Debug",
    "Into",
    "From",
    "AsRef",
    "AsMut",
    "Extend",
    "Unpin",
];

/// Returns true when `word` is a Rust keyword of any edition we emit for.
pub fn is_keyword(word: &str) -> bool {
    KEYWORDS.contains(&word)
}

/// Splits `raw` into ASCII words that heck can case-convert.
///
/// ASCII letters and digits are kept; a leading `+` or `-` before a digit becomes the word
/// `plus` or `minus` (so enum values `+1` and `-1` stay distinct); any other non-ASCII
/// alphanumeric character becomes a `u{hex}` word so that distinct spellings stay distinct;
/// everything else separates words.
fn ascii_words(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len() + 8);
    let mut chars = raw.chars().peekable();
    let mut first = true;
    while let Some(c) = chars.next() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if first && (c == '+' || c == '-') && chars.peek().is_some_and(char::is_ascii_digit)
        {
            out.push_str(if c == '+' { "plus " } else { "minus " });
        } else if c.is_alphanumeric() {
            out.push_str(&format!(" u{:x} ", c as u32));
        } else {
            out.push(' ');
        }
        first = false;
    }
    out
}

/// A type or variant name (`PascalCase`), valid and not a keyword or prelude type.
pub fn pascal(raw: &str) -> String {
    let mut name = ascii_words(raw).to_pascal_case();
    if name.is_empty() {
        name = "Empty".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, 'N');
    }
    if is_keyword(&name) || PRELUDE_TYPES.contains(&name.as_str()) {
        name.push_str("Type");
    }
    name
}

/// A field, parameter or method name (`snake_case`), valid and not a keyword.
pub fn snake(raw: &str) -> String {
    let mut name = ascii_words(raw).to_snake_case();
    if name.is_empty() {
        name = "empty".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    if is_keyword(&name) {
        name.push('_');
    }
    name
}

/// A constant name (`SCREAMING_SNAKE_CASE`), valid and not a keyword.
pub fn shouty(raw: &str) -> String {
    let mut name = ascii_words(raw).to_shouty_snake_case();
    if name.is_empty() {
        name = "EMPTY".to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name.insert(0, '_');
    }
    name
}

/// Hands out unique names within one scope (a module's types, a struct's fields, an enum's
/// variants). Collisions are resolved by appending the smallest free number, in the order
/// the names are requested, which is the spec's order, so the result is deterministic.
#[derive(Debug, Default, Clone)]
pub struct Scope {
    taken: BTreeSet<String>,
}

impl Scope {
    /// A scope in which `reserved` are already taken.
    pub fn with_reserved(reserved: &[&str]) -> Self {
        Scope {
            taken: reserved.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    /// Claims `name`, or `name2`, `name3`, ... if it is taken.
    pub fn claim(&mut self, name: String) -> String {
        if self.taken.insert(name.clone()) {
            return name;
        }
        let sep = if name.ends_with(|c: char| c.is_ascii_digit()) {
            "_"
        } else {
            ""
        };
        (2..)
            .map(|n| format!("{name}{sep}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .expect("an unbounded counter always finds a free name")
    }

    /// Whether `name` is already taken.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pascal_table() {
        let cases = [
            ("sms_event_subscription", "SmsEventSubscription"),
            ("en-au", "EnAu"),
            ("+1", "Plus1"),
            ("-1", "Minus1"),
            ("", "Empty"),
            ("2fa", "N2fa"),
            ("Self", "SelfType"),
            ("self", "SelfType"),
            ("String", "StringType"),
            ("Option", "OptionType"),
            ("$%^", "Empty"),
            ("ünïcode", "UfcNUefCode"),
            ("already Pascal", "AlreadyPascal"),
        ];
        for (raw, want) in cases {
            assert_eq!(pascal(raw), want, "pascal({raw:?})");
        }
    }

    #[test]
    fn snake_table() {
        let cases = [
            ("hookUrl", "hook_url"),
            ("type", "type_"),
            ("self", "self_"),
            ("crate", "crate_"),
            ("super", "super_"),
            ("async", "async_"),
            ("1st", "_1st"),
            ("", "empty"),
            ("@odata.type", "odata_type"),
            ("_", "empty"),
        ];
        for (raw, want) in cases {
            assert_eq!(snake(raw), want, "snake({raw:?})");
        }
    }

    #[test]
    fn every_output_is_a_valid_identifier() {
        for raw in [
            "", "0", "-", "+", "type", "Self", "é", "\u{202e}", "a b", "__", "9lives",
        ] {
            for name in [pascal(raw), snake(raw), shouty(raw)] {
                assert!(
                    syn::parse_str::<syn::Ident>(&name).is_ok(),
                    "{raw:?} -> {name:?}"
                );
            }
        }
    }

    #[test]
    fn scope_resolves_collisions_in_order() {
        let mut scope = Scope::with_reserved(&["builder"]);
        assert_eq!(scope.claim("builder".into()), "builder2");
        assert_eq!(scope.claim("foo_bar".into()), "foo_bar");
        assert_eq!(scope.claim("foo_bar".into()), "foo_bar2");
        assert_eq!(scope.claim("v1".into()), "v1");
        assert_eq!(scope.claim("v1".into()), "v1_2");
    }
}
