//! Every identifier decision: turning arbitrary spec strings into valid, unique Rust names.
//!
//! This module owns sanitising (symbols, leading digits, non-ASCII, keywords) and
//! collision resolution. It must not know about OpenAPI or about token streams: it takes
//! strings and returns strings that are guaranteed to be valid identifiers, so that the
//! emitter can build `proc_macro2::Ident`s from them without ever panicking.
//!
//! # Names are a function of their own key
//!
//! Adding, removing or reordering unrelated schemas, operations, parameters or properties
//! must not rename a public item, or an upstream addition would break every caller. So a
//! name is computed from its own key (a schema key, an `operationId`, a property name), and
//! when several keys want one name, [`assign`] settles it by properties of the keys alone,
//! never by their order in the document:
//!
//! 1. every key first asks for its preferred name (`WebhookProto` for the dotted key
//!    `schemas.webhook.WebhookProto`, `list_users` for the `operationId` `listUsers`);
//! 2. among keys asking for the same free name, the one with the best *rank* wins: the key
//!    closest to the name ([`distance`]: `list_users` is exactly the name `list_users`,
//!    `listUsers` is not; for a dotted schema key its last segment counts), then the one
//!    with fewer dotted segments, then the shorter key, then byte order (each caller states
//!    its rank);
//! 3. the others ask again with their next choice, qualified by their own key
//!    (`WebsocketWebhookProto` for `schemas.websocket.WebhookProto`, then more segments),
//!    and a name won in an earlier round is never given up to a later one;
//! 4. a key whose choices are all taken gets its last choice with the smallest free number.
//!
//! Lowering applies it to schema keys (dotted keys ask for their last segment, then one more
//! of their own segments at a time), to operations (method names from the `operationId`, or
//! from method and path without one, an explicit id ranking first; the parameter struct,
//! error enum and inline types of an operation are prefixed with a PascalCase name settled
//! the same way), to each operation's parameters (path parameters, the method's arguments,
//! first), to struct fields, to string enum variants and to security-scheme methods. An
//! operation's request builder takes its type prefix. Inline types are named after their place (`OrderStatus`), ranked by JSON pointer
//! when two places meet in a name; identical inline types are defined once and every other
//! place keeps its own name as an alias. Names the client writes itself are in
//! [`reserved`]. Still named in spec order, within one schema or list only: union variants,
//! server variants and example tests.
//!
//! What an addition can still rename, and why that is accepted: a new key renames an
//! existing item only when it asks for that item's very name and outranks it: it is closer
//! to the name (an `operationId` `users_list` next to an existing `users.list`; a plain
//! schema `WebhookProto` next to a dotted `schemas.webhook.WebhookProto`), or as close with
//! fewer segments or a shorter key (`schemas.web.WebhookProto`), or as close and as long
//! and earlier in byte order; or it takes, in an earlier round, a name the existing item
//! only had as a fallback. Any rule without memory of earlier output must give one of two
//! competing keys the plain name; this one decides from the two keys alone, so the cases
//! where the newcomer wins are rare (a spec rarely holds two spellings of one name) and
//! predictable.

pub mod reserved;

use std::collections::{BTreeMap, BTreeSet};

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
/// `plus` or `minus` (so enum values `+1` and `-1` stay distinct); a non-ASCII alphanumeric
/// character is transliterated by deunicode's fixed table (`Ü` to `U`, so `ÜBER` becomes
/// `Uber`; the table is pinned by the lock file, so names are deterministic), and one the
/// table has no ASCII letters or digits for becomes a `u{hex}` word; everything else
/// separates words. Spellings that transliterate alike are told apart by [`Scope`].
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
            match deunicode::deunicode_char(c)
                .filter(|ascii| ascii.chars().any(|a| a.is_ascii_alphanumeric()))
            {
                Some(ascii) => ascii
                    .chars()
                    .for_each(|a| out.push(if a.is_ascii_alphanumeric() { a } else { ' ' })),
                None => out.push_str(&format!(" u{:x} ", c as u32)),
            }
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

/// One key competing for a name in [`assign`]: its names, best first, and its rank.
#[derive(Debug, Clone)]
pub struct Claim<R> {
    /// The names this key accepts, most preferred first (each a valid identifier; at least
    /// one).
    pub choices: Vec<String>,
    /// Decides between keys asking for the same name in the same round: lower wins. It must
    /// depend on the key alone (never on its position in the document) and differ between
    /// keys, or the result depends on the order of `claims` for the tied keys.
    pub rank: R,
}

impl<R> Claim<R> {
    /// A claim for `choices` with `rank`.
    pub fn new(choices: Vec<String>, rank: R) -> Self {
        Claim { choices, rank }
    }
}

/// How far `key` is from the identifier `name` made of it: the bytes that differ position
/// by position plus the difference in length; 0 when the key is exactly the name. Linear in
/// the length, so hostile keys cost nothing.
pub fn distance(key: &str, name: &str) -> usize {
    let differing = key
        .bytes()
        .zip(name.bytes())
        .filter(|(a, b)| a != b)
        .count();
    differing + key.len().abs_diff(name.len())
}

/// The rank of a key that wants `name`: the key closest to the name first ([`distance`]),
/// then the shorter key, then byte order. For properties, parameters, enum values and other
/// keys without dotted segments.
pub fn plain_rank(key: &str, name: &str) -> (usize, usize, String) {
    (distance(key, name), key.len(), key.to_owned())
}

/// Gives every claim a distinct name that is not in `reserved`, the same whatever the order
/// of `claims` (see the module docs for the rule); the names come back in `claims`' order.
pub fn assign<R: Ord>(claims: &[Claim<R>], reserved: &[&str]) -> Vec<String> {
    let mut taken: BTreeSet<String> = reserved.iter().map(|s| (*s).to_owned()).collect();
    let mut names: Vec<Option<String>> = vec![None; claims.len()];
    let rounds = claims.iter().map(|c| c.choices.len()).max().unwrap_or(0);
    for round in 0..rounds {
        let mut wanted: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (index, claim) in claims.iter().enumerate() {
            if names[index].is_some() {
                continue;
            }
            if let Some(name) = claim.choices.get(round) {
                if !taken.contains(name) {
                    wanted.entry(name).or_default().push(index);
                }
            }
        }
        for (name, contenders) in wanted {
            let winner = contenders
                .into_iter()
                .min_by(|a, b| claims[*a].rank.cmp(&claims[*b].rank).then(a.cmp(b)))
                .expect("every entry has a contender");
            names[winner] = Some(name.to_owned());
            taken.insert(name.to_owned());
        }
    }
    // The rest take a number, best rank first.
    let mut rest: Vec<usize> = (0..claims.len()).filter(|i| names[*i].is_none()).collect();
    rest.sort_by(|a, b| claims[*a].rank.cmp(&claims[*b].rank).then(a.cmp(b)));
    for index in rest {
        let base = claims[index]
            .choices
            .last()
            .cloned()
            .unwrap_or_else(|| "empty".to_owned());
        let mut scope = Scope {
            taken: std::mem::take(&mut taken),
        };
        names[index] = Some(scope.claim(base));
        taken = scope.taken;
    }
    names.into_iter().flatten().collect()
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
            ("ünïcode", "Unicode"),
            ("ÜBER", "Uber"),
            ("Straße", "Strasse"),
            ("façade", "Facade"),
            ("東京", "DongJing"),
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
            ("crème brûlée", "creme_brulee"),
            ("ÜBER", "uber"),
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

    fn dotted(key: &str) -> Claim<(usize, usize, usize, String)> {
        let segments: Vec<&str> = key.split('.').collect();
        let choices = (1..=segments.len())
            .map(|n| pascal(&segments[segments.len() - n..].join(" ")))
            .collect::<Vec<_>>();
        let last = segments[segments.len() - 1];
        let rank = (
            distance(last, &choices[0]),
            segments.len(),
            key.len(),
            key.to_owned(),
        );
        Claim::new(choices, rank)
    }

    fn names_of(keys: &[&str]) -> BTreeMap<String, String> {
        let claims: Vec<_> = keys.iter().map(|k| dotted(k)).collect();
        keys.iter()
            .map(|k| (*k).to_owned())
            .zip(assign(&claims, &[]))
            .collect()
    }

    #[test]
    fn assign_follows_the_rank_not_the_order() {
        let keys = [
            "schemas.webhook.WebhookProto",
            "schemas.websocket.WebhookProto",
            "schemas.uberconference.room.RoomProto",
            "schemas.room.RoomProto",
            "webhook_proto_two",
            "WebhookProtoTwo",
            "schemas.user.webhook_proto_two",
        ];
        let names = names_of(&keys);
        assert_eq!(names["schemas.webhook.WebhookProto"], "WebhookProto");
        assert_eq!(
            names["schemas.websocket.WebhookProto"],
            "WebsocketWebhookProto"
        );
        assert_eq!(names["schemas.room.RoomProto"], "RoomProto");
        assert_eq!(
            names["schemas.uberconference.room.RoomProto"],
            "RoomRoomProto"
        );
        assert_eq!(names["WebhookProtoTwo"], "WebhookProtoTwo");
        // Closer to the name wins before fewer segments.
        assert_eq!(
            names["schemas.user.webhook_proto_two"],
            "UserWebhookProtoTwo"
        );
        assert_eq!(names["webhook_proto_two"], "WebhookProtoTwo2");
        // Every order of the same keys gives the same names.
        let mut reversed = keys;
        reversed.reverse();
        assert_eq!(names_of(&reversed), names);
        let mut rotated = keys;
        rotated.rotate_left(2);
        assert_eq!(names_of(&rotated), names);
    }

    #[test]
    fn assign_keeps_names_when_unrelated_keys_arrive() {
        let before = names_of(&["schemas.webhook.WebhookProto", "Target", "a.b.Thing"]);
        let after = names_of(&[
            "zzzz.y.Thing",
            "schemas.websocket.WebhookProto",
            "schemas.webhook.WebhookProto",
            "schemas.other.Target",
            "Target",
            "c.b.Thing",
            "a.b.Thing",
            "thing",
            "Zz.thing",
        ]);
        for (key, name) in &before {
            assert_eq!(&after[key], name, "{key}");
        }
        assert_eq!(after["zzzz.y.Thing"], "YThing");
        assert_eq!(after["c.b.Thing"], "BThing");
        assert_eq!(after["thing"], "Thing2");
        // What can rename: a newcomer that is exactly the name.
        let renamed = names_of(&["schemas.webhook.WebhookProto", "WebhookProto"]);
        assert_eq!(
            renamed["schemas.webhook.WebhookProto"],
            "WebhookWebhookProto"
        );
    }

    #[test]
    fn distance_counts_differing_bytes() {
        assert_eq!(distance("list_users", "list_users"), 0);
        assert_eq!(distance("users.list", "users_list"), 1);
        assert_eq!(distance("Users.List", "users_list"), 3);
        assert_eq!(distance("users..list", "users_list"), 6);
        assert_eq!(distance("", "empty"), 5);
    }

    #[test]
    fn assign_avoids_reserved_names_and_numbers_the_rest() {
        let claims = vec![
            Claim::new(vec!["retry".to_owned()], plain_rank("retry", "retry")),
            Claim::new(vec!["a".to_owned()], plain_rank("A", "a")),
            Claim::new(vec!["a".to_owned()], plain_rank("a", "a")),
        ];
        assert_eq!(assign(&claims, &["retry"]), ["retry2", "a2", "a"]);
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
