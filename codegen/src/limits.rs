//! The bounds the generator keeps on any input: how deep a document may nest, how much stack
//! the work gets, and which numbers the typed model can hold.
//!
//! Loading, lowering and rendering recurse once per level of nesting, so without a bound a
//! deep document would overflow the stack of whatever thread called in; a stack overflow is
//! not a panic but an abort of the whole process (a build script, a test binary, a server).
//! Two rules together rule that out:
//!
//! - **One nesting limit**, [`MAX_NESTING`], for JSON and YAML alike, checked while the text
//!   is read into a tree (before anything else recurses over it). A deeper document is
//!   refused with one diagnostic naming the JSON pointer, line and column of the first
//!   object or array past the limit, the limit, and the format.
//! - **A stack of known size**: every public entry point ([`crate::load::parse`],
//!   [`crate::generate`], [`crate::generate_with_warnings`], [`crate::generate_module`],
//!   [`crate::build::Builder`]) runs its work on a stack of [`STACK_BYTES`] through
//!   [`with_stack`], whatever the caller's thread has left (a 2 MiB test thread, an async
//!   runtime's blocking pool).
//!
//! It also owns the number ranges of the typed 3.0 model that `load` parses into
//! ([`fit_numbers`]): a schema bound that does not fit where the model wants an `i64` or a
//! `usize` is clamped (integer bounds, which the lowering reads from the document itself) or
//! dropped with a located warning, instead of failing the whole document.
//!
//! This module must not know JSON from YAML syntax: [`read_tree`] takes any serde
//! deserializer, and `load` chooses which.

use std::cell::{Cell, RefCell};
use std::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

use crate::error::{pointer_push, Diagnostic};

/// The deepest nesting of objects and arrays a document may have, counting the document's
/// root object as level 1: `{"a": [{}]}` nests 3 levels.
///
/// Real-world specs nest at most about 25 levels (Stripe's and Plaid's are the deepest we
/// have measured); 100 leaves room for four times that, and stays below the recursion limit
/// of 128 that both `serde_json` and `serde_yaml` keep, so that this limit, with its
/// located message, is always the one a document meets.
pub const MAX_NESTING: usize = 100;

/// The stack, in bytes, that every entry point runs its work on: 64 MiB.
///
/// A debug build of the whole pipeline (load, lower, emit, render) uses about 16 KiB of
/// stack per level of nesting, so a document at [`MAX_NESTING`] needs about 2 MiB; 64 MiB
/// leaves room for optimisation levels and sanitizers that change frame sizes, and for the
/// recursion that follows `$ref`s. The stack is reserved, not committed: only the pages the
/// work touches take memory.
pub const STACK_BYTES: usize = 64 << 20;

thread_local! {
    /// Whether this thread is already running on a stack from [`with_stack`], so that nested
    /// entry points (the builder calls `parse` and then generates) switch only once.
    static ON_OWN_STACK: Cell<bool> = const { Cell::new(false) };
}

/// Runs `f` on a fresh stack of [`STACK_BYTES`] on the calling thread (via `stacker`), so
/// that how deep the work may recurse does not depend on the caller's thread. A panic in `f`
/// unwinds to the caller as usual. Calls nested inside `f` run on the same stack.
pub fn with_stack<T>(f: impl FnOnce() -> T) -> T {
    if ON_OWN_STACK.with(Cell::get) {
        return f();
    }
    /// Clears the flag however `f` ends, panics included.
    struct Reset;
    impl Drop for Reset {
        fn drop(&mut self) {
            ON_OWN_STACK.with(|flag| flag.set(false));
        }
    }
    stacker::grow(STACK_BYTES, || {
        ON_OWN_STACK.with(|flag| flag.set(true));
        let _reset = Reset;
        f()
    })
}

/// Why [`read_tree`] failed.
#[derive(Debug)]
pub enum TreeError<E> {
    /// The document nests deeper than [`MAX_NESTING`]; `pointer` is the first object or
    /// array past the limit, `error` the deserializer's error raised there (for its
    /// position).
    TooDeep {
        /// JSON pointer of the object or array at level `MAX_NESTING + 1`.
        pointer: String,
        /// The deserializer's error, which carries the line and column.
        error: E,
    },
    /// The text is not well-formed (the deserializer's own error).
    Syntax(E),
}

/// The message for a document nested deeper than [`MAX_NESTING`] in `format` ("JSON" or
/// "YAML").
pub fn too_deep_message(format: &str) -> String {
    format!(
        "the {format} document nests objects and arrays deeper than {MAX_NESTING} levels here, \
         the limit of forge-codegen (forge_codegen::limits::MAX_NESTING)"
    )
}

/// Reads a document into a JSON tree, refusing nesting deeper than [`MAX_NESTING`] as soon
/// as it is met (before the deserializer's own recursion limit, whose message says neither
/// where nor how deep). Numbers keep their value where a JSON number can hold it: integers
/// beyond 64 bits (which YAML hands over as 128-bit integers) become the nearest `f64`, and
/// infinities the largest finite `f64` of their sign, each with a warning at its pointer.
/// Returns the tree and those warnings (pointers only; the caller adds positions).
pub fn read_tree<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<(Value, Vec<Diagnostic>), TreeError<D::Error>> {
    let context = Context::default();
    let node = Node {
        context: &context,
        pointer: String::new(),
        depth: 0,
    };
    match node.deserialize(deserializer) {
        Ok(value) => Ok((value, context.warnings.into_inner())),
        Err(error) => Err(match context.too_deep.into_inner() {
            Some(pointer) => TreeError::TooDeep { pointer, error },
            None => TreeError::Syntax(error),
        }),
    }
}

/// What the nodes of one [`read_tree`] share.
#[derive(Default)]
struct Context {
    /// Set when the nesting limit is crossed: the pointer of the first node past it.
    too_deep: RefCell<Option<String>>,
    /// Numbers that had to change to fit a JSON number.
    warnings: RefCell<Vec<Diagnostic>>,
}

/// One node of the tree being read: where it is and how deep.
struct Node<'a> {
    context: &'a Context,
    pointer: String,
    depth: usize,
}

impl Node<'_> {
    fn child(&self, token: &str) -> Node<'_> {
        Node {
            context: self.context,
            pointer: pointer_push(&self.pointer, token),
            depth: self.depth + 1,
        }
    }

    /// Refuses an object or array at this node when it would be one level too many.
    fn enter<E: de::Error>(&self) -> Result<(), E> {
        if self.depth < MAX_NESTING {
            return Ok(());
        }
        *self.context.too_deep.borrow_mut() = Some(self.pointer.clone());
        Err(E::custom(format_args!(
            "nested deeper than {MAX_NESTING} levels"
        )))
    }

    fn big_integer(&self, value: f64, written: &dyn fmt::Display) -> Value {
        self.context.warnings.borrow_mut().push(Diagnostic::new(
            self.pointer.clone(),
            format!("the integer {written} does not fit in 64 bits; read as {value:e}"),
        ));
        float(value)
    }
}

/// A JSON number for a finite `f64`.
fn float(value: f64) -> Value {
    Number::from_f64(value).map_or(Value::Null, Value::Number)
}

impl<'de> DeserializeSeed<'de> for Node<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Node<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_i128<E>(self, value: i128) -> Result<Value, E> {
        Ok(match i64::try_from(value) {
            Ok(small) => Value::from(small),
            Err(_) => match u64::try_from(value) {
                Ok(unsigned) => Value::from(unsigned),
                Err(_) => self.big_integer(value as f64, &value),
            },
        })
    }

    fn visit_u128<E>(self, value: u128) -> Result<Value, E> {
        Ok(match u64::try_from(value) {
            Ok(small) => Value::from(small),
            Err(_) => self.big_integer(value as f64, &value),
        })
    }

    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        if value.is_finite() {
            return Ok(float(value));
        }
        if value.is_nan() {
            self.context.warnings.borrow_mut().push(Diagnostic::new(
                self.pointer.clone(),
                "`.nan` is not a JSON number; read as null",
            ));
            return Ok(Value::Null);
        }
        let largest = f64::MAX.copysign(value);
        self.context.warnings.borrow_mut().push(Diagnostic::new(
            self.pointer.clone(),
            format!("the number {value} is beyond the range of f64; read as {largest:e}"),
        ));
        Ok(float(largest))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_owned()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.enter()?;
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element_seed(self.child(&items.len().to_string()))? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        self.enter()?;
        let mut entries = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(self.child(&key))?;
            entries.insert(key, value);
        }
        Ok(Value::Object(entries))
    }
}

/// Makes the numbers of a document's schemas fit the typed model, which holds integer
/// schemas' `minimum`, `maximum`, `multipleOf` and `enum` as `i64`, and the length and count
/// bounds (`minLength`, `maxItems`, ...) as `usize`. Without this, one bound like
/// `minimum: -9223372036854776000` (as published specs have, written by tools that print
/// 64-bit integers through a double) or `maxLength: 1.0` fails the document, or silently
/// turns the schema into an untyped one.
///
/// - an integral number in range becomes that integer;
/// - an integer schema's `minimum` or `maximum` out of the `i64` range is clamped to it in
///   this copy, without a warning (the lowering chooses the integer type from the bound as
///   the document writes it), and a fractional one is rounded inwards (`minimum: 1.5` to 2);
/// - any other number that does not fit (a negative or fractional length, a `multipleOf`
///   beyond `i64`, an integer `enum` value beyond `i64`) is dropped.
///
/// Every change is returned as a warning at its JSON pointer. Only schema objects are
/// touched: example values, defaults and extensions (`x-...`) keep their numbers.
pub fn fit_numbers(document: &mut Value) -> Vec<Diagnostic> {
    let mut warnings = Vec::new();
    fit(document, "", false, &mut warnings);
    warnings
}

/// Keys whose values are data, not schemas, outside a map of named schemas.
const DATA_KEYS: &[&str] = &["example", "examples", "default", "enum", "const", "value"];

/// Keys whose values are maps from names to schemas (whose own keys can be anything).
const NAMED_SCHEMAS: &[&str] = &["properties", "schemas"];

const LENGTH_KEYS: &[&str] = &[
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "minProperties",
    "maxProperties",
];

fn fit(value: &mut Value, pointer: &str, names: bool, warnings: &mut Vec<Diagnostic>) {
    match value {
        Value::Array(items) => {
            for (index, item) in items.iter_mut().enumerate() {
                fit(
                    item,
                    &pointer_push(pointer, &index.to_string()),
                    false,
                    warnings,
                );
            }
        }
        Value::Object(object) => {
            if !names {
                fit_schema(object, pointer, warnings);
            }
            for (key, child) in object.iter_mut() {
                let data = DATA_KEYS.contains(&key.as_str()) || key.starts_with("x-");
                if names || !data {
                    let child_names = !names && NAMED_SCHEMAS.contains(&key.as_str());
                    fit(child, &pointer_push(pointer, key), child_names, warnings);
                }
            }
        }
        _ => {}
    }
}

/// Fits the bounds of one object that may be a schema.
fn fit_schema(object: &mut Map<String, Value>, pointer: &str, warnings: &mut Vec<Diagnostic>) {
    let integer = object.get("type").and_then(Value::as_str) == Some("integer");
    let mut warn = |key: &str, message: String| {
        warnings.push(Diagnostic::new(pointer_push(pointer, key), message));
    };
    // A bound written as text that is a number: a literal too large for any reader to hold
    // as a number (`1e400`, or an integer beyond 128 bits) arrives as text.
    for key in LENGTH_KEYS
        .iter()
        .chain(&["minimum", "maximum", "multipleOf"])
    {
        let Some(Value::String(text)) = object.get(*key) else {
            continue;
        };
        let Ok(number) = text.trim().parse::<f64>() else {
            continue;
        };
        let number = if number.is_finite() {
            number
        } else {
            f64::MAX.copysign(number)
        };
        warn(
            key,
            format!("`{key}: {text}` is text or beyond the range of f64; read as {number:e}"),
        );
        object[*key] = float(number);
    }
    for key in LENGTH_KEYS {
        let Some(Value::Number(number)) = object.get(*key) else {
            continue;
        };
        if number.is_u64() {
            continue;
        }
        let number = number.clone();
        match whole(&number).and_then(|n| u64::try_from(n).ok()) {
            Some(n) => object[*key] = Value::from(n),
            None => {
                object.remove(*key);
                warn(
                    key,
                    format!(
                        "`{key}: {number}` is not a count from 0 to 2^64-1; the bound is dropped"
                    ),
                );
            }
        }
    }
    if !integer {
        return;
    }
    for (key, inwards_up) in [("minimum", true), ("maximum", false)] {
        let Some(Value::Number(number)) = object.get(key) else {
            continue;
        };
        if number.is_i64() {
            continue;
        }
        let number = number.clone();
        let fitted = match whole(&number) {
            Some(n) => i64::try_from(n).ok(),
            None => None,
        };
        let fitted = fitted.unwrap_or_else(|| {
            let value = number.as_f64().unwrap_or(0.0);
            let rounded = if inwards_up {
                value.ceil()
            } else {
                value.floor()
            };
            // `as` saturates: beyond the range of i64 is the end of that range. No warning:
            // the lowering types integers from the document's own bound, not this one.
            rounded as i64
        });
        object[key] = Value::from(fitted);
    }
    if let Some(Value::Number(number)) = object.get("multipleOf") {
        if !number.is_i64() {
            let number = number.clone();
            match whole(&number).and_then(|n| i64::try_from(n).ok()) {
                Some(n) => object["multipleOf"] = Value::from(n),
                None => {
                    object.remove("multipleOf");
                    warn(
                        "multipleOf",
                        format!("`multipleOf: {number}` of an integer schema is not an i64; it is dropped"),
                    );
                }
            }
        }
    }
    if let Some(Value::Array(values)) = object.get_mut("enum") {
        let before = values.len();
        let mut dropped = Vec::new();
        values.retain_mut(|value| match value {
            Value::Number(number) if !number.is_i64() => {
                match whole(number).and_then(|n| i64::try_from(n).ok()) {
                    Some(n) => {
                        *value = Value::from(n);
                        true
                    }
                    None => {
                        dropped.push(number.to_string());
                        false
                    }
                }
            }
            _ => true,
        });
        if values.len() != before {
            warn(
                "enum",
                format!(
                    "integer enum value(s) {} do not fit an i64; they are dropped",
                    dropped.join(", ")
                ),
            );
        }
    }
}

/// The number as an integer when it has no fractional part (and fits 128 bits).
fn whole(number: &Number) -> Option<i128> {
    if let Some(n) = number.as_i64() {
        return Some(n.into());
    }
    if let Some(n) = number.as_u64() {
        return Some(n.into());
    }
    let value = number.as_f64()?;
    (value.fract() == 0.0 && value.abs() < 1e38).then_some(value as i128)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn nested(levels: usize) -> String {
        let mut text = String::from("0");
        for _ in 1..levels {
            text = format!("{{\"a\":{text}}}");
        }
        format!("{{\"a\":{text}}}")
    }

    #[test]
    fn nesting_up_to_the_limit_is_read_and_one_more_is_refused_at_its_pointer() {
        let (at_limit, beyond) = (nested(MAX_NESTING), nested(MAX_NESTING + 1));
        let mut de = serde_json::Deserializer::from_str(&at_limit);
        assert!(read_tree(&mut de).is_ok());
        let mut de = serde_json::Deserializer::from_str(&beyond);
        match read_tree(&mut de) {
            Err(TreeError::TooDeep { pointer, error }) => {
                assert_eq!(pointer, "/a".repeat(MAX_NESTING));
                assert_eq!(error.line(), 1);
            }
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn with_stack_runs_deep_recursion_from_a_small_thread_and_passes_panics_on() {
        fn depth(n: usize) -> usize {
            let pad = std::hint::black_box([0u8; 1024]);
            if n == 0 {
                pad[0] as usize
            } else {
                depth(n - 1) + 1 + pad[n % 1024] as usize
            }
        }
        let thread = std::thread::Builder::new().stack_size(256 << 10);
        let result = thread
            .spawn(|| with_stack(|| with_stack(|| depth(8 << 10))))
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(result, 8 << 10);
        let panicked = std::panic::catch_unwind(|| with_stack(|| panic!("inside")));
        assert!(panicked.is_err());
        assert!(!ON_OWN_STACK.with(Cell::get));
    }

    /// A spec whose deepest object or array sits at nesting level `levels` (the root object
    /// is level 1): a component schema (level 4) holding `{"a": ...}` properties and then
    /// arrays of arrays down to that level, as JSON or YAML.
    fn deep_spec(levels: usize, yaml: bool) -> String {
        let below_schema = levels - 4;
        let mut schema = json!({"type": "string"});
        let mut depth = below_schema;
        while depth > 0 {
            schema = if depth >= 2 && depth % 3 == 0 {
                depth -= 2;
                json!({"type": "object", "properties": {"a": schema}})
            } else {
                depth -= 1;
                json!({"type": "array", "items": schema})
            };
        }
        let doc = json!({
            "openapi": "3.0.3",
            "info": {"title": "deep", "version": "1"},
            "paths": {},
            "components": {"schemas": {"Deep": schema}},
        });
        if yaml {
            serde_yaml::to_string(&doc).unwrap()
        } else {
            serde_json::to_string_pretty(&doc).unwrap()
        }
    }

    /// Loads and generates `text` on a thread with a 2 MiB stack (the default of spawned
    /// and test threads, and of async runtimes' blocking pools).
    fn generate_on_small_thread(text: String) -> Result<usize, crate::Error> {
        std::thread::Builder::new()
            .stack_size(2 << 20)
            .spawn(move || {
                let document = crate::load::parse(&text)?;
                let files = crate::generate(&document, &crate::Settings::new("deep"))?;
                let module = crate::generate_module(&document, &crate::Settings::new("deep"))?;
                Ok(files.len() + usize::from(!module.contents.is_empty()))
            })
            .unwrap()
            .join()
            .unwrap()
    }

    #[test]
    fn a_spec_nested_at_the_limit_generates_from_a_2_mib_thread_in_json_and_yaml() {
        for yaml in [false, true] {
            let text = deep_spec(MAX_NESTING, yaml);
            let files = generate_on_small_thread(text).unwrap_or_else(|err| panic!("{err}"));
            assert!(files > 1);
        }
    }

    #[test]
    fn a_spec_nested_past_the_limit_is_refused_where_it_crosses_in_json_and_yaml() {
        for (yaml, format) in [(false, "JSON"), (true, "YAML")] {
            let text = deep_spec(MAX_NESTING + 1, yaml);
            let err = generate_on_small_thread(text.clone()).unwrap_err();
            let crate::Error::Parse(diagnostic) = err else {
                panic!("{format}: unexpected {err}")
            };
            assert_eq!(diagnostic.message, too_deep_message(format));
            assert!(diagnostic
                .message
                .contains(&format!("{MAX_NESTING} levels")));
            // The pointer names the first array past the limit: level MAX_NESTING + 1.
            let tokens = diagnostic.pointer.split('/').skip(1).count();
            assert_eq!(tokens, MAX_NESTING, "{format}: {diagnostic}");
            assert!(diagnostic.pointer.starts_with("/components/schemas/Deep/"));
            let (line, _) = diagnostic.location.expect("located");
            let source_line = text.lines().nth(line - 1).unwrap_or_default();
            let key = diagnostic.pointer.rsplit('/').next().unwrap();
            assert!(
                source_line
                    .trim_start()
                    .trim_start_matches('"')
                    .starts_with(key),
                "{format}: line {line} is {source_line:?}; {diagnostic}"
            );
        }
    }

    #[test]
    fn schema_bounds_are_fitted_and_data_is_left_alone() {
        let mut doc = json!({
            "components": {"schemas": {"N": {
                "type": "integer",
                "minimum": -9.223372036854776e18_f64 * 2.0,
                "maximum": 1.5,
                "multipleOf": 2.0,
                "enum": [1, 1e30, 2],
                "example": {"type": "integer", "minimum": 1e30},
                "properties": {"example": {"type": "string", "maxLength": -1}},
            }}}
        });
        let warnings = fit_numbers(&mut doc);
        let n = &doc["components"]["schemas"]["N"];
        assert_eq!(n["minimum"], json!(i64::MIN));
        assert_eq!(n["maximum"], json!(1));
        assert_eq!(n["multipleOf"], json!(2));
        assert_eq!(n["enum"], json!([1, 2]));
        assert_eq!(n["example"]["minimum"], json!(1e30));
        assert!(n["properties"]["example"].get("maxLength").is_none());
        let pointers: Vec<&str> = warnings.iter().map(|w| w.pointer.as_str()).collect();
        assert_eq!(
            pointers,
            [
                "/components/schemas/N/enum",
                "/components/schemas/N/properties/example/maxLength",
            ],
            "{warnings:?}"
        );
    }
}
